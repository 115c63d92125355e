import { ImapFlow } from 'imapflow';
import type { Db, DbHandle, SessionLock } from '../db/client.ts';
import { findByKey, findBySha256, findRecordedUids, lockMailKey, markMailAttempt, recordMail, type MailKey, type MailOutcome } from '../db/mail-ledger.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import { classifyMail } from './classify.ts';
import { readIncomingMail, type HandleResult, type IncomingMail, type IncomingMailHandler } from './handler.ts';
import { enqueueMail } from '../db/outbox-mail.ts';
import { buildQuarantineReply, type QuarantineReason } from './quarantine-reply.ts';
import type { SenderAuthenticator, SenderAuthResult } from './sender-auth.ts';
import { LOCK_KEYS } from '../db/lock-keys.ts';

export type ImapSettings = {
  host: string; port: number; secure: boolean; user: string; password: string;
  mailbox: string; processedFolder: string; quarantineFolder: string; pollIntervalMs: number;
};

export type MailboxListenerDeps = {
  handle: DbHandle;
  imap: ImapSettings;
  handler: IncomingMailHandler;
  /** Judges the sender (DKIM/DMARC/ARC or the gateway's results) before the handler sees the mail. */
  authenticate: SenderAuthenticator;
  /** MAIL_FROM: our own mails are ignored, and quarantine replies come from it. */
  from: string;
  /** Quarantine replies go only to senders in these domains (no backscatter to the outside). */
  internalDomains: readonly string[];
  maxSizeBytes: number;
  clock: Clock;
  logger: Logger;
  /** The advisory lock key: the same in every instance that reads this mailbox. */
  lockKey?: number;
  lockRetryMs?: number;
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
  /** Tries (a thrown error, a parse timeout, a crash of the process) before a mail is quarantined as processing_failed. */
  maxHandlerAttempts?: number;
};

export type MailboxListener = {
  start: () => void;
  stop: () => Promise<void>;
  /** True while this instance holds the mailbox (the advisory lock). */
  holdsMailbox: () => boolean;
  /** Why the mailbox is not being read (a folder missing), in Swedish; undefined when it is fine. */
  problem: () => string | undefined;
};

const MAILBOX_LOCK_KEY = LOCK_KEYS.mailbox;

/**
 * Reads the mailbox so that every mail is acted on exactly once (DESIGN.md, "Mail intake"):
 * one instance at a time (a session advisory lock), each mail recorded in the ledger in the
 * transaction that carries its effects, and moved out of the inbox only after that commit. A
 * crash between commit and move leaves a mail that the next pass finds in the ledger and only
 * moves. IDLE wakes us; a poll timer covers an IDLE that died silently; any drop reconnects
 * with backoff on a new client (an ImapFlow cannot be reused).
 */
export function createMailboxListener(deps: MailboxListenerDeps): MailboxListener {
  const log = deps.logger.child({ component: 'imap-listener' });
  const lockRetryMs = deps.lockRetryMs ?? 5_000;
  const reconnectMinMs = deps.reconnectMinMs ?? 1_000;
  const reconnectMaxMs = deps.reconnectMaxMs ?? 60_000;
  const maxHandlerAttempts = deps.maxHandlerAttempts ?? 3;
  const ledgerMailbox = `${deps.imap.user}/${deps.imap.mailbox}`;
  let stopped = true;
  let holding = false;
  let folderProblem: string | undefined;
  let loop: Promise<void> | undefined;
  let interrupt: () => void = () => {};

  /** Sleeps, but stop() cuts it short. */
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      interrupt = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  async function acquireLock(): Promise<SessionLock | undefined> {
    let waiting = false;
    while (!stopped) {
      try {
        const lock = await deps.handle.tryAdvisoryLock(deps.lockKey ?? MAILBOX_LOCK_KEY);
        if (lock) return lock;
        if (!waiting) log.info({ code: 'MAILBOX_HELD_ELSEWHERE' }, 'another instance holds the mailbox; waiting to take over');
        waiting = true;
      } catch (err) {
        log.warn({ code: 'MAILBOX_LOCK_FAILED', err }, 'could not try the mailbox lock');
      }
      await pause(lockRetryMs);
    }
    return undefined;
  }

  async function run(): Promise<void> {
    while (!stopped) {
      const lock = await acquireLock();
      if (!lock) return;
      holding = true;
      log.info({ code: 'MAILBOX_ACQUIRED' }, 'holding the mailbox');
      try {
        let failures = 0;
        while (!stopped) {
          const connected = await runConnection();
          if (stopped) break;
          failures = connected ? 1 : failures + 1;
          const delay = Math.min(reconnectMaxMs, reconnectMinMs * 2 ** (failures - 1));
          log.warn({ code: 'IMAP_RECONNECT', delayMs: delay }, 'mailbox connection lost; reconnecting');
          await pause(delay);
        }
      } finally {
        holding = false;
        await lock.release().catch((err: unknown) => log.warn({ code: 'MAILBOX_UNLOCK_FAILED', err }, 'could not release the mailbox lock'));
      }
    }
  }

  /** One connection's life. Resolves when it ends; true when it got as far as the mailbox. */
  async function runConnection(): Promise<boolean> {
    const c = new ImapFlow({
      host: deps.imap.host, port: deps.imap.port, secure: deps.imap.secure,
      auth: { user: deps.imap.user, pass: deps.imap.password },
      logger: false, disableAutoIdle: true,
      // A dead TCP connection must fail a command rather than hang: polls keep a live one busy.
      socketTimeout: Math.max(60_000, deps.imap.pollIntervalMs * 3),
    });
    // Without an error listener an ImapFlow error kills the process.
    c.on('error', (err: Error & { code?: string }) => log.warn({ code: 'IMAP_ERROR', imapCode: err.code }, 'IMAP connection error'));
    const closed = new Promise<void>((resolve) => c.once('close', () => resolve()));
    let dirty = true;
    let wake: () => void = () => {};
    c.on('exists', () => {
      dirty = true;
      wake();
    });
    let reached = false;
    try {
      await c.connect();
      if (!(await ensureFolders(c))) return false;
      const mailboxLock = await c.getMailboxLock(deps.imap.mailbox);
      reached = true;
      try {
        while (!stopped && c.usable) {
          if (dirty) {
            dirty = false;
            await processMailbox(c);
            continue;
          }
          const poll = new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, deps.imap.pollIntervalMs);
            wake = interrupt = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          // IDLE ends when the next command (the pass) is issued; its promise needs no await.
          void c.idle().catch(() => undefined);
          await Promise.race([poll, closed]);
          dirty = true;
        }
      } finally {
        mailboxLock.release();
      }
    } catch (err) {
      if (!stopped) log.warn({ code: 'IMAP_CONNECTION_ENDED', err: describe(err) }, 'mailbox connection ended');
    } finally {
      if (c.usable) await c.logout().catch(() => undefined);
      c.close();
    }
    return reached;
  }

  /**
   * Processed and Quarantine must exist before any mail is handled: a move into a missing folder
   * fails and the mail would stay in the inbox after its reply went out. Missing ones are
   * created; if that fails the mailbox is not read and /healthz says why.
   */
  async function ensureFolders(c: ImapFlow): Promise<boolean> {
    const existing = new Set((await c.list()).map((f) => f.path));
    const missing = [deps.imap.processedFolder, deps.imap.quarantineFolder].filter((f) => !existing.has(f));
    for (const folder of missing) {
      try {
        await c.mailboxCreate(folder);
        log.warn({ code: 'MAILBOX_FOLDER_CREATED', folder }, 'mail folder was missing; created it');
      } catch (err) {
        folderProblem = `mappen ${folder} saknas och kunde inte skapas`;
        log.error({ code: 'MAILBOX_FOLDER_MISSING', folder, err: describe(err) }, 'mail folder missing and could not be created; mailbox not read');
        return false;
      }
    }
    folderProblem = undefined;
    return true;
  }

  /** One pass over the mailbox in UID order. Never issues a command inside a fetch iteration. */
  async function processMailbox(c: ImapFlow): Promise<void> {
    const mailbox = c.mailbox;
    if (!mailbox || mailbox.exists === 0) return;
    const uidValidity = Number(mailbox.uidValidity);
    const listed = (await c.fetchAll('1:*', { uid: true, size: true, internalDate: true })).sort((a, b) => a.uid - b.uid);
    const recorded = await findRecordedUids(deps.handle.db, { mailbox: ledgerMailbox, uidValidity, uids: listed.map((m) => m.uid) });
    for (const msg of listed) {
      if (stopped || !c.usable) return;
      const key: MailKey = { mailbox: ledgerMailbox, uidValidity, uid: msg.uid };
      const done = recorded.get(msg.uid);
      // Recorded but still here: we crashed after commit, before the move. Only move it.
      const outcome = done ?? (await handleOne(c, key, msg.size ?? 0, msg.internalDate));
      if (outcome === undefined) continue;
      const folder = outcome === 'quarantined' ? deps.imap.quarantineFolder : deps.imap.processedFolder;
      const moved = await c.messageMove(String(msg.uid), folder, { uid: true });
      // Recorded, so nothing is acted on twice; but a mail left in the inbox must not go unnoticed.
      if (!moved) log.error({ code: 'MAIL_MOVE_FAILED', uid: msg.uid, folder }, 'mail handled but not moved out of the inbox');
    }
  }

  async function handleOne(c: ImapFlow, key: MailKey, sizeBytes: number, internalDate: Date | string | undefined): Promise<MailOutcome | undefined> {
    const oversized = sizeBytes > deps.maxSizeBytes;
    // An oversized mail is not downloaded: its header is enough to classify and answer it.
    const fetched = await c.fetchOne(String(key.uid), oversized ? { uid: true, headers: true } : { uid: true, source: true }, { uid: true });
    const bytes = fetched ? (oversized ? fetched.headers : fetched.source) : undefined;
    if (!bytes) return undefined; // gone meanwhile (another client moved it)
    const receivedAt = internalDate === undefined ? null : new Date(internalDate);
    const mail = await readIncomingMail(bytes, { key, sizeBytes, receivedAt });
    // Counted and committed before the try: a mail that kills the process (or hangs the parser)
    // is known after the restart, and after a few tries it is quarantined instead of looping.
    const attempt = await markMailAttempt(deps.handle.db, key, deps.clock.now());
    const giveUp = attempt > maxHandlerAttempts;
    // Verified outside the transaction: DNS answers must not hold a database connection.
    const auth = oversized ? { ok: true as const, via: 'not_checked' } : await authenticate(mail);
    if (!auth.ok && auth.transient === true && !giveUp) {
      log.warn({ code: 'MAIL_AUTH_TEMPERROR', uid: key.uid, attempt, reason: auth.reason }, 'sender could not be verified now; will try again');
      return undefined;
    }
    try {
      return await deps.handle.db.transaction((tx) => handleInTransaction(tx, mail, giveUp, auth));
    } catch (err) {
      log.error({ code: 'MAIL_HANDLING_FAILED', uid: key.uid, attempt, err: describe(err instanceof HandlerError ? err.cause : err) }, 'mail not handled; will try again');
      return undefined;
    }
  }

  async function authenticate(mail: IncomingMail): Promise<SenderAuthResult> {
    try {
      return await deps.authenticate(mail);
    } catch (err) {
      log.warn({ code: 'MAIL_AUTH_FAILED', uid: mail.key.uid, err: describe(err) }, 'sender verification failed');
      return { ok: false, reason: 'verification_error', transient: true };
    }
  }

  async function handleInTransaction(tx: Db, mail: IncomingMail, giveUp: boolean, auth: SenderAuthResult): Promise<MailOutcome> {
    await lockMailKey(tx, mail.key);
    const existing = await findByKey(tx, mail.key);
    if (existing) return existing.outcome as MailOutcome; // another instance got here first
    const result = await decide(tx, mail, giveUp, auth);
    // A sender we could not verify gets no reply: the From address may belong to someone else.
    if (result.outcome === 'quarantined' && result.reason !== 'unauthenticated') await queueQuarantineReply(tx, mail, result);
    await recordMail(tx, {
      ...mail.key,
      messageId: mail.messageId,
      sha256: mail.sha256,
      sizeBytes: mail.sizeBytes,
      fromAddress: mail.from,
      outcome: result.outcome,
      reason: result.reason ?? null,
      caseRef: result.caseRef ?? null,
      receivedAt: mail.receivedAt,
      handledAt: deps.clock.now(),
    });
    log.info({ code: codeFor(result.outcome), uid: mail.key.uid, reason: result.reason, caseRef: result.caseRef }, 'mail handled');
    return result.outcome;
  }

  type Decision = { outcome: MailOutcome; reason?: string; caseRef?: string; missingFields?: string[]; detail?: string };

  async function decide(tx: Db, mail: IncomingMail, giveUp: boolean, auth: SenderAuthResult): Promise<Decision> {
    // The same bytes under a new key: the server reset UIDVALIDITY. Already acted on.
    if (await findBySha256(tx, { mailbox: mail.key.mailbox, sha256: mail.sha256 })) return { outcome: 'ignored', reason: 'duplicate' };
    const classified = classifyMail({ headers: mail.headers, subject: mail.subject, fromAddress: mail.from, sizeBytes: mail.sizeBytes }, { ownAddress: deps.from, maxSizeBytes: deps.maxSizeBytes });
    if (classified.kind === 'ignore') return { outcome: 'ignored', reason: classified.reason };
    if (classified.kind === 'quarantine') return { outcome: 'quarantined', reason: classified.reason };
    if (!auth.ok) {
      log.warn({ code: 'MAIL_UNAUTHENTICATED', uid: mail.key.uid, reason: auth.reason }, 'sender not authenticated; quarantined without reply');
      return { outcome: 'quarantined', reason: 'unauthenticated' };
    }
    if (giveUp) return { outcome: 'quarantined', reason: 'processing_failed' };
    let result: HandleResult;
    try {
      result = await deps.handler(tx, mail);
    } catch (err) {
      throw new HandlerError(err);
    }
    return result;
  }

  async function queueQuarantineReply(tx: Db, mail: IncomingMail, result: Decision): Promise<void> {
    const domain = mail.from?.split('@')[1];
    if (mail.from === null || domain === undefined || !deps.internalDomains.includes(domain)) {
      log.warn({ code: 'MAIL_QUARANTINE_NO_REPLY', uid: mail.key.uid, reason: result.reason }, 'sender outside the internal domains: no reply sent');
      return;
    }
    const reply = buildQuarantineReply({
      reason: result.reason as QuarantineReason,
      ...(result.missingFields === undefined ? {} : { missingFields: result.missingFields }),
      ...(result.detail === undefined ? {} : { detail: result.detail }),
      caseRef: result.caseRef,
      maxSizeBytes: deps.maxSizeBytes,
      original: { messageId: mail.messageId, references: mail.references },
    });
    const ref = `${mail.key.mailbox}|${mail.key.uidValidity}|${mail.key.uid}`;
    await enqueueMail(tx, { key: `quarantine-reply:${ref}`, to: [mail.from], caseRef: result.caseRef ?? null, ...reply }, { from: deps.from, now: deps.clock.now() });
  }

  return {
    start: () => {
      if (!stopped) return;
      stopped = false;
      loop = run().catch((err: unknown) => log.error({ code: 'MAILBOX_LISTENER_CRASHED', err }, 'mailbox listener stopped unexpectedly'));
    },
    stop: async () => {
      stopped = true;
      // Cuts short a wait (lock retry, backoff, IDLE); a pass in progress finishes its mail first.
      interrupt();
      await loop;
      loop = undefined;
    },
    holdsMailbox: () => holding,
    problem: () => folderProblem,
  };
}

class HandlerError extends Error {
  constructor(override readonly cause: unknown) {
    super('handler failed');
  }
}

function codeFor(outcome: MailOutcome): string {
  return outcome === 'processed' ? 'MAIL_PROCESSED' : outcome === 'quarantined' ? 'MAIL_QUARANTINED' : 'MAIL_IGNORED';
}

/** An error's code and message only: never a mail's content. */
function describe(err: unknown): { message: string; code?: string } {
  if (!(err instanceof Error)) return { message: String(err) };
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? { message: err.message, code } : { message: err.message };
}
