import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import nodemailer from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { Db } from '../db/client.ts';
import { enqueue, type OutboxRow } from '../db/outbox.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import type { DeliveryOutcome } from '../services/outbox-worker.ts';
import { withoutAttachmentBytes, type MailPayload } from '../db/outbox-mail.ts';

export type SmtpSettings = { host: string; port: number; secure: boolean; user: string | undefined; password: string | undefined };

export type SmtpSenderDeps = {
  smtp: SmtpSettings;
  from: string;
  internalDomains: readonly string[];
  /** Where follow-up rows for recipients the server did not accept are queued. */
  db: Db;
  clock: Clock;
  logger: Logger;
  /** Pooled SMTP connections; one outbox worker per connection keeps them busy. */
  maxConnections?: number;
  /**
   * Where an accepted mail's time in the send-tail hold went (the benches print it): waiting for
   * the hold, the server's answer to the final dot, and marking the row sent.
   */
  onHold?: (t: { waitMs: number; answerMs: number; markMs: number }) => void;
};

export type SmtpSender = {
  /** The outbox deliverer for channel 'mail'. */
  deliver: (row: OutboxRow) => Promise<DeliveryOutcome>;
  /** Closes the pooled connections (on shutdown). */
  close: () => void;
};

type SmtpError = Error & { code?: string; responseCode?: number; rejectedErrors?: SmtpError[]; recipient?: string };

/**
 * Sends outbox mail over one pooled SMTP transport per process. Every mail is marked as
 * automatic (RFC 3834) and as ours, so auto-replies stay quiet and our own listener ignores it.
 *
 * Partial acceptance (some RCPT TO refused): the mail went to the accepted recipients, so this
 * row is done; the refused ones are queued again as follow-up rows with the SAME Message-ID and
 * an envelope of only those recipients: deferred (4xx) ones retry with backoff, refused (5xx)
 * ones get one more try of their own and then show as failed to administrators. Nobody who
 * accepted the mail gets it twice, and nobody refused is silently dropped.
 */
export function createSmtpSender(deps: SmtpSenderDeps): SmtpSender {
  const transport = nodemailer.createTransport({
    pool: true,
    maxConnections: deps.maxConnections ?? 2,
    host: deps.smtp.host,
    port: deps.smtp.port,
    secure: deps.smtp.secure,
    ...(deps.smtp.user === undefined ? {} : { auth: { user: deps.smtp.user, pass: deps.smtp.password ?? '' } }),
    connectionTimeout: 15_000,
    socketTimeout: 60_000,
  });
  const internal = deps.internalDomains.map((d) => d.toLowerCase());
  const tail = createTail();

  async function deliver(row: OutboxRow): Promise<DeliveryOutcome> {
    const payload = row.payload as MailPayload;
    const envelopeTo = payload.envelopeTo ?? [...payload.to, ...(payload.cc ?? [])];
    if (envelopeTo.length === 0) return { ok: false, permanent: true, error: 'no recipients' };
    if (payload.external !== true) {
      // Privacy (DESIGN.md): a BB with price goes only to internal addresses. Fail closed.
      const outside = [...new Set([...envelopeTo, ...payload.to, ...(payload.cc ?? [])].map(domainOf).filter((d) => !internal.includes(d)))];
      if (outside.length > 0) return { ok: false, permanent: true, error: `recipient domain not internal: ${outside.join(', ')}` };
    }
    const message = await new MailComposer({
      from: deps.from,
      to: payload.to,
      ...(payload.cc && payload.cc.length > 0 ? { cc: payload.cc } : {}),
      subject: payload.subject,
      text: payload.text,
      html: payload.html,
      messageId: row.messageId,
      ...(payload.inReplyTo === undefined ? {} : { inReplyTo: payload.inReplyTo }),
      ...(payload.references === undefined ? {} : { references: payload.references }),
      headers: { 'Auto-Submitted': 'auto-generated', 'X-Boendelotsen': '1', 'X-Auto-Response-Suppress': 'All' },
      attachments: (payload.attachments ?? []).map((a) => ({ filename: a.filename, contentType: a.contentType, content: Buffer.from(a.contentBase64, 'base64') })),
    })
      .compile()
      .build();
    // What the row keeps once sent is worked out now (the attachments' hashes), not in the hold.
    const kept = withoutAttachmentBytes(payload);
    let hold: Hold | undefined;
    let asked = 0;
    let taken = 0;
    const raw = withHeldBackEnd(message, async () => {
      asked = performance.now();
      hold = tail.take();
      await hold.taken;
      taken = performance.now();
    });
    const outcome = await send(row, payload, envelopeTo, raw, kept);
    const answered = performance.now();
    // Accepted: the hold lasts until the worker has marked the row; otherwise it ends here.
    if (outcome.ok) {
      return {
        ...outcome,
        recorded: () => {
          deps.onHold?.({ waitMs: taken - asked, answerMs: answered - taken, markMs: performance.now() - answered });
          hold?.release();
        },
      };
    }
    hold?.release();
    return outcome;
  }

  async function send(row: OutboxRow, payload: MailPayload, envelopeTo: string[], raw: Readable, kept: ReturnType<typeof withoutAttachmentBytes>): Promise<DeliveryOutcome> {
    let accepted: string[];
    let rejected: SmtpError[];
    try {
      const info = await transport.sendMail({ envelope: { from: deps.from, to: envelopeTo }, raw });
      accepted = info.accepted.map(String);
      rejected = ((info as { rejectedErrors?: SmtpError[] }).rejectedErrors ?? []).slice();
      // rejected addresses without an error object still count as refused
      for (const address of info.rejected.map(String)) {
        if (!rejected.some((e) => e.recipient === address)) rejected.push(Object.assign(new Error('rejected'), { recipient: address }));
      }
    } catch (err) {
      const e = err as SmtpError;
      if (e.code === 'EENVELOPE' && e.rejectedErrors && e.rejectedErrors.length > 0) {
        accepted = [];
        rejected = e.rejectedErrors;
      } else {
        return classifyError(e);
      }
    }
    if (rejected.length === 0) return { ok: true, keptPayload: kept };
    return splitRejected(row, payload, accepted, rejected, kept);
  }

  async function splitRejected(row: OutboxRow, payload: MailPayload, accepted: string[], rejected: SmtpError[], kept: ReturnType<typeof withoutAttachmentBytes>): Promise<DeliveryOutcome> {
    const deferred = rejected.filter((e) => !isPermanent(e)).map((e) => e.recipient ?? '').filter(Boolean);
    const refused = rejected.filter(isPermanent).map((e) => e.recipient ?? '').filter(Boolean);
    deps.logger.warn({ code: 'MAIL_PARTIALLY_ACCEPTED', id: row.id, accepted: accepted.length, deferred: deferred.length, refused: refused.length }, 'SMTP server did not accept every recipient');
    if (accepted.length === 0 && refused.length === 0) return { ok: false, permanent: false, error: `all recipients deferred: ${summary(rejected)}` };
    if (accepted.length === 0 && deferred.length === 0) return { ok: false, permanent: true, error: `all recipients refused: ${summary(rejected)}` };
    const now = deps.clock.now();
    const followUp = async (kind: string, to: string[]) => {
      if (to.length === 0) return;
      await enqueue(deps.db, { channel: 'mail', dedupeKey: `${row.dedupeKey}|${kind}@${row.attempts}`, messageId: row.messageId, recipient: to.join(', '), caseRef: row.caseRef, payload: { ...payload, envelopeTo: to } }, now);
    };
    await followUp('deferred', deferred);
    if (accepted.length > 0) {
      await followUp('refused', refused);
      return { ok: true, keptPayload: kept };
    }
    // Nobody accepted it: this row stays failed for the refused ones; the deferred retry apart.
    return { ok: false, permanent: true, error: `recipients refused: ${summary(rejected.filter(isPermanent))}` };
  }

  return { deliver, close: () => transport.close() };
}

type Hold = { taken: Promise<void>; release: () => void };

/**
 * The end of a send, shared by all of this process's senders (one transport per process): from
 * just before the final dot, after which the server has the mail, until the outbox row is marked
 * sent. One send at a time holds it, so a kill finds at most one mail accepted by the server and
 * not yet marked: at most one extra copy once its lease runs out, whatever MAIL_SEND_CONCURRENCY
 * is. Connecting, the envelope and the message's bytes still go in parallel.
 */
function createTail() {
  let last: Promise<void> = Promise.resolve();
  return {
    take(): Hold {
      let release: () => void = () => {};
      const released = new Promise<void>((resolve) => (release = resolve));
      const taken = last;
      last = last.then(() => released);
      return { taken, release };
    },
  };
}

/**
 * The message as a stream whose end waits for `beforeEnd`. nodemailer writes the terminating
 * "<CRLF>.<CRLF>" when the message stream ends (smtp-connection's DataStream flush), so until
 * then the server holds an unfinished DATA and has accepted nothing.
 */
function withHeldBackEnd(message: Buffer, beforeEnd: () => Promise<void>): Readable {
  let state: 'start' | 'sent' | 'ending' = 'start';
  return new Readable({
    read() {
      if (state === 'start') {
        state = 'sent';
        this.push(message);
        return;
      }
      if (state === 'ending') return;
      state = 'ending';
      beforeEnd().then(
        () => this.push(null),
        (err: unknown) => this.destroy(err instanceof Error ? err : new Error(String(err))),
      );
    },
  });
}

function isPermanent(e: SmtpError): boolean {
  return e.responseCode !== undefined && e.responseCode >= 500;
}

/** 5xx is the server's final word on this mail; a network error or 4xx may pass. */
function classifyError(e: SmtpError): DeliveryOutcome {
  const error = `${e.code ?? 'ERROR'}${e.responseCode === undefined ? '' : ` ${e.responseCode}`}: ${e.message}`.slice(0, 500);
  // A refused login is our configuration, not this mail's fault: keep it queued until fixed.
  if (e.code === 'EAUTH') return { ok: false, permanent: false, error };
  return { ok: false, permanent: isPermanent(e), error };
}

function summary(errors: SmtpError[]): string {
  return errors.map((e) => `${domainOf(e.recipient ?? '')} ${e.responseCode ?? '?'}`).join(', ');
}

function domainOf(address: string): string {
  return (address.split('@')[1] ?? '').toLowerCase().replace(/>$/, '');
}
