import { randomBytes } from 'node:crypto';
import { ImapFlow } from 'imapflow';
import { simpleParser, type ParsedMail } from 'mailparser';
import nodemailer from 'nodemailer';
import { inject } from 'vitest';
import type { DbHandle } from '../../db/client.ts';
import { systemClock, type Clock } from '../../lib/clock.ts';
import { testLogger } from './log-capture.ts';
import { createOutboxWorker, type OutboxWorker } from '../../services/outbox-worker.ts';
import type { IncomingMailHandler } from '../../mail/handler.ts';
import { createTestMailHandler } from './stand-in-mail-handler.ts';
import { createMailboxListener, type ImapSettings, type MailboxListener } from '../../mail/imap-listener.ts';
import { createSenderAuthenticator, type SenderAuthenticator } from '../../mail/sender-auth.ts';
import { createSmtpSender, type SmtpSender } from '../../mail/smtp-sender.ts';
import { dkimOptions, testDnsResolver, type Signing } from './dkim.ts';
import { waitFor } from './services/system.ts';

export { waitFor };

/** Where the shared test mail services listen (started by global-setup.ts). */
export type MailServices = { imapPort: number; smtpPort: number; lmtpPort: number; password: string };

export function sharedMailServices(): MailServices {
  return { imapPort: inject('mailImapPort'), smtpPort: inject('mailSmtpPort'), lmtpPort: inject('mailLmtpPort'), password: inject('mailPassword') };
}

/** A fresh address per test, so tests running in parallel never share a mailbox. */
export function uniqueAddress(local: string, domain = 'kommun.test'): string {
  return `${local}.${randomBytes(4).toString('hex')}@${domain}`;
}

export type OutgoingTestMail = {
  from: string;
  to: string | string[];
  subject?: string;
  text?: string;
  headers?: Record<string, string>;
  messageId?: string;
  attachments?: { filename: string; content: Buffer | string; contentType?: string }[];
  /** MAIL FROM; '' for a bounce's empty return path. Defaults to `from`. */
  envelopeFrom?: string;
  /** DKIM: signed by the From domain unless a test says otherwise (forged, wrong key, unsigned). */
  signing?: Signing;
};

/** Sends mail into the test SMTP relay, as a colleague's mail server would: DKIM-signed for its domain. */
export function createTestSender(smtpPort: number) {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true, pool: true, maxConnections: 4 });
  return {
    send: async (mail: OutgoingTestMail): Promise<string> => {
      const to = Array.isArray(mail.to) ? mail.to : [mail.to];
      const dkim = dkimOptions(mail.from, mail.signing);
      const info = await transport.sendMail({
        ...(dkim ? { dkim } : {}),
        from: mail.from,
        to,
        subject: mail.subject ?? 'Behovsbedömning',
        text: mail.text ?? 'Se bifogad behovsbedömning.',
        headers: mail.headers ?? {},
        attachments: mail.attachments ?? [],
        ...(mail.messageId === undefined ? {} : { messageId: mail.messageId }),
        envelope: { from: mail.envelopeFrom ?? mail.from, to },
      });
      return info.messageId;
    },
    /** Signed by the envelope sender's domain (a bounce, with an empty sender, is not signed). */
    sendRaw: async (envelope: { from: string; to: string[] }, raw: Buffer | string, signing?: Signing): Promise<void> => {
      const dkim = envelope.from === '' ? undefined : dkimOptions(envelope.from, signing);
      await transport.sendMail({ envelope, raw, ...(dkim ? { dkim } : {}) });
    },
    close: () => transport.close(),
  };
}

export type TestMessage = { uid: number; messageId: string | undefined; subject: string | undefined; source: Buffer };

async function withMailbox<T>(services: MailServices, user: string, folder: string, work: (client: ImapFlow) => Promise<T>): Promise<T> {
  const client = new ImapFlow({ host: '127.0.0.1', port: services.imapPort, secure: false, auth: { user, pass: services.password }, logger: false, disableAutoIdle: true });
  client.on('error', () => {}); // a dropped helper connection fails the call, not the process
  await client.connect();
  try {
    const lock = await client.getMailboxLock(folder);
    try {
      return await work(client);
    } finally {
      lock.release();
    }
  } finally {
    await client.logout().catch(() => client.close());
  }
}

/** Every message in a user's folder, with its raw source. */
export async function listMessages(services: MailServices, user: string, folder = 'INBOX'): Promise<TestMessage[]> {
  return withMailbox(services, user, folder, async (client) => {
    const mailbox = client.mailbox;
    if (!mailbox || mailbox.exists === 0) return [];
    const all = await client.fetchAll('1:*', { uid: true, envelope: true, source: true });
    return all.map((m) => ({ uid: m.uid, messageId: m.envelope?.messageId, subject: m.envelope?.subject, source: m.source ?? Buffer.alloc(0) }));
  });
}

export async function uidValidityOf(services: MailServices, user: string, folder = 'INBOX'): Promise<number> {
  return withMailbox(services, user, folder, (client) => Promise.resolve(client.mailbox ? Number(client.mailbox.uidValidity) : 0));
}

export async function countMessages(services: MailServices, user: string, folder = 'INBOX'): Promise<number> {
  return withMailbox(services, user, folder, (client) => Promise.resolve(client.mailbox ? client.mailbox.exists : 0));
}

/** Parsed messages of a folder (headers, text, html), for asserting what a person received. */
export async function readMessages(services: MailServices, user: string, folder = 'INBOX'): Promise<ParsedMail[]> {
  const messages = await listMessages(services, user, folder);
  return Promise.all(messages.map((m) => simpleParser(m.source)));
}

/** Waits (polling; Dovecot delays IDLE by ~0.5 s) until a folder holds at least `count` messages. */
export async function waitForCount(services: MailServices, user: string, folder: string, count: number, timeoutMs = 20_000): Promise<void> {
  let seen = -1;
  try {
    await waitFor(`${count} brev i ${folder}`, async () => (seen = await countMessages(services, user, folder)) >= count, timeoutMs);
  } catch (err) {
    throw new Error(`${String(err)} (såg ${seen})`);
  }
}

/** Listener settings for one test mailbox on the shared (or a test's own) Dovecot. */
export function imapSettings(services: MailServices, user: string, overrides: Partial<ImapSettings> = {}): ImapSettings {
  return {
    host: '127.0.0.1',
    port: services.imapPort,
    secure: false,
    user,
    password: services.password,
    mailbox: 'INBOX',
    processedFolder: 'Processed',
    quarantineFolder: 'Quarantine',
    pollIntervalMs: 1_000,
    ...overrides,
  };
}

export type MailStack = {
  bot: string;
  listener: MailboxListener;
  worker: OutboxWorker;
  smtp: SmtpSender;
  stop: () => Promise<void>;
};

export { testLogger };

/**
 * The same parts main.ts composes (listener + mail outbox worker + SMTP sender) on one test
 * mailbox, with short timings. `handler` defaults to the test distribution handler.
 */
export function startMailStack(opts: {
  handle: DbHandle;
  services: MailServices;
  bot?: string;
  handler?: IncomingMailHandler;
  distributeTo?: string[];
  maxSizeBytes?: number;
  clock?: Clock;
  smtpPort?: number;
  imap?: Partial<ImapSettings>;
  lockRetryMs?: number;
  startWorker?: boolean;
  /** Defaults to DMARC verified here, with the test DNS (test/support/dkim.ts). */
  authenticate?: SenderAuthenticator;
}): MailStack {
  const bot = opts.bot ?? uniqueAddress('boendelotsen');
  const clock = opts.clock ?? systemClock;
  const logger = testLogger();
  const handler = opts.handler ?? createTestMailHandler({ distributeTo: opts.distributeTo ?? [], from: bot, clock });
  const listener = createMailboxListener({
    handle: opts.handle,
    imap: imapSettings(opts.services, bot, opts.imap),
    handler,
    authenticate: opts.authenticate ?? createSenderAuthenticator({ policy: 'dmarc', servId: undefined, arcSealers: [] }, testDnsResolver),
    from: bot,
    internalDomains: ['kommun.test'],
    maxSizeBytes: opts.maxSizeBytes ?? 5 * 1024 * 1024,
    clock,
    logger,
    lockRetryMs: opts.lockRetryMs ?? 200,
    reconnectMinMs: 200,
    reconnectMaxMs: 2_000,
  });
  const smtp = createSmtpSender({
    smtp: { host: '127.0.0.1', port: opts.smtpPort ?? opts.services.smtpPort, secure: false, user: undefined, password: undefined },
    from: bot,
    internalDomains: ['kommun.test'],
    db: opts.handle.db,
    clock,
    logger,
  });
  const worker = createOutboxWorker({ db: opts.handle.db, channel: 'mail', deliver: smtp.deliver, clock, logger, intervalMs: 100, leaseMs: 30_000 });
  listener.start();
  if (opts.startWorker !== false) worker.start();
  return {
    bot,
    listener,
    worker,
    smtp,
    stop: async () => {
      await listener.stop();
      await worker.stop();
      smtp.close();
    },
  };
}
