import { ImapFlow } from 'imapflow';
import type { Db, DbHandle, SessionLock } from '../db/client.ts';
import { findAttempts, findRecorded, findRecordedUids, lockMailKey, markMailAttempts, recordMail, type MailKey, type MailOutcome } from '../db/mail-ledger.ts';
import { commitInLanes, createMoveBatch, type PipelineTimings } from './mail-pipeline.ts';
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
  /**
   * Reads a mail ahead of its transaction (main.ts: the BB parser's worker pool) and names its
   * lane, the case it is about: mails in one lane commit in UID order. Undefined: the sender.
   */
  prepare?: (mail: IncomingMail) => Promise<string | undefined>;
  /** Mails committed side by side (each in its own short transaction). */
  commitConcurrency?: number;
  /** Mails fetched per IMAP command. */
  fetchBatch?: number;
  onTimings?: PipelineTimings;
};

type Listed = { uid: number; size: number; internalDate: Date | string | undefined };
type Prepared = { mail: IncomingMail; attempt: number; giveUp: boolean; auth: SenderAuthResult; lane: string };

/** A fetched batch is held in memory while it is read: bounded in bytes as well as in mails. */
const FETCH_BATCH_BYTES = 32 * 1024 * 1024;

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
  const commitConcurrency = Math.max(1, deps.commitConcurrency ?? 4);
  const fetchBatch = Math.max(1, deps.fetchBatch ?? 25);
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

  /**
   * One pass over the mailbox in UID order, as a pipeline: a batch of mails is fetched in one
   * command, each is read (header, sender verification, and the BB through `prepare`, in the
   * parser's worker threads) while the batch before it commits, one short transaction per mail,
   * several at a time (mails about one case in UID order), and the committed mails are moved in
   * one UID-set command per folder. Never issues a command inside a fetch iteration.
   */
  async function processMailbox(c: ImapFlow): Promise<void> {
    const mailbox = c.mailbox;
    if (!mailbox || mailbox.exists === 0) return;
    const uidValidity = Number(mailbox.uidValidity);
    const listed = (await c.fetchAll('1:*', { uid: true, size: true, internalDate: true })).sort((a, b) => a.uid - b.uid);
    const uids = listed.map((m) => m.uid);
    const recorded = await findRecordedUids(deps.handle.db, { mailbox: ledgerMailbox, uidValidity, uids });
    const tried = await findAttempts(deps.handle.db, { mailbox: ledgerMailbox, uidValidity, uids });
    const moves = createMoveBatch(c, log, deps.onTimings);
    let committing: Promise<void> = Promise.resolve();
    let batch: Listed[] = [];
    let batchBytes = 0;

    const flush = async () => {
      if (batch.length === 0) return;
      const taken = batch;
      batch = [];
      batchBytes = 0;
      const prepared = await fetchAndPrepare(c, uidValidity, taken);
      // The previous batch commits while this one was fetched and is being read; its moves follow its commits.
      await committing;
      await moves.flush();
      committing = commitInLanes(prepared, commitConcurrency, (item) => commitOne(item, moves));
    };

    for (const msg of listed) {
      if (stopped || !c.usable) break;
      const done = recorded.get(msg.uid);
      // Recorded but still here: we crashed after commit, before the move. Only move it.
      if (done) {
        moves.add(msg.uid, folderFor(done));
        continue;
      }
      const entry: Listed = { uid: msg.uid, size: msg.size ?? 0, internalDate: msg.internalDate };
      if ((tried.get(msg.uid) ?? 0) > 0) {
        // Tried before and never recorded: it may be the mail that took the process down. It is
        // read alone, so only its own count of tries grows until it is quarantined.
        await flush();
        batch = [entry];
        await flush();
        await committing;
        continue;
      }
      batch.push(entry);
      batchBytes += Math.min(entry.size, deps.maxSizeBytes);
      if (batch.length >= fetchBatch || batchBytes >= FETCH_BATCH_BYTES) await flush();
    }
    await flush();
    await committing;
    await moves.flush();
  }

  /** Fetches a batch in one command and starts reading each mail; the promises resolve in UID order of need. */
  async function fetchAndPrepare(c: ImapFlow, uidValidity: number, taken: Listed[]): Promise<Array<Promise<Prepared | undefined>>> {
    const started = performance.now();
    const small = taken.filter((m) => m.size <= deps.maxSizeBytes);
    const sources = new Map<number, Buffer>();
    if (small.length > 0) {
      for (const m of await c.fetchAll(small.map((x) => x.uid).join(','), { uid: true, source: true }, { uid: true })) if (m.source) sources.set(m.uid, m.source);
    }
    // An oversized mail is not downloaded: its header is enough to classify and answer it.
    for (const m of taken.filter((x) => x.size > deps.maxSizeBytes)) {
      const fetched = await c.fetchOne(String(m.uid), { uid: true, headers: true }, { uid: true });
      if (fetched && fetched.headers) sources.set(m.uid, fetched.headers);
    }
    deps.onTimings?.('fetch', performance.now() - started, sources.size);
    const present = taken.filter((m) => sources.has(m.uid)); // the rest are gone meanwhile (another client moved them)
    // Counted and committed before the tries: a mail that kills the process (or hangs the parser)
    // is known after the restart, read alone from then on, and after a few tries quarantined.
    const attempts = await markMailAttempts(deps.handle.db, present.map((m) => ({ mailbox: ledgerMailbox, uidValidity, uid: m.uid })), deps.clock.now());
    return present.map((m) => {
      const key = { mailbox: ledgerMailbox, uidValidity, uid: m.uid };
      const attempt = attempts.get(m.uid) ?? 1;
      // Never rejects: a batch's readings wait while the previous batch commits, and a rejection
      // nobody awaits yet would take the process down. The mail is tried again on the next pass.
      return prepareOne(key, sources.get(m.uid)!, m, attempt).catch((err: unknown) => {
        log.error({ code: 'MAIL_HANDLING_FAILED', uid: m.uid, attempt, err: describe(err) }, 'mail could not be read; will try again');
        return undefined;
      });
    });
  }

  /** Everything about a mail that needs no transaction: its header, its sender's verification, reading the BB. */
  async function prepareOne(key: MailKey, bytes: Buffer, listed: Listed, attempt: number): Promise<Prepared | undefined> {
    const started = performance.now();
    const oversized = listed.size > deps.maxSizeBytes;
    const receivedAt = listed.internalDate === undefined ? null : new Date(listed.internalDate);
    const mail = await readIncomingMail(bytes, { key, sizeBytes: listed.size, receivedAt });
    const giveUp = attempt > maxHandlerAttempts;
    // Verified outside the transaction: DNS answers must not hold a database connection.
    const auth = oversized ? { ok: true as const, via: 'not_checked' } : await authenticate(mail);
    if (!auth.ok && auth.transient === true && !giveUp) {
      log.warn({ code: 'MAIL_AUTH_TEMPERROR', uid: key.uid, attempt, reason: auth.reason }, 'sender could not be verified now; will try again');
      return undefined;
    }
    let lane = `from:${mail.from ?? ''}`;
    if (auth.ok && !giveUp && !oversized && deps.prepare && classify(mail).kind === 'handle') {
      // A failed read is not decided here: the handler meets the same failure in its transaction.
      lane = (await deps.prepare(mail).catch(() => undefined)) ?? lane;
    }
    deps.onTimings?.('prepare', performance.now() - started, 1);
    return { mail, attempt, giveUp, auth, lane };
  }

  async function commitOne(item: Prepared, moves: ReturnType<typeof createMoveBatch>): Promise<void> {
    if (stopped) return;
    const started = performance.now();
    try {
      const outcome = await deps.handle.db.transaction((tx) => handleInTransaction(tx, item.mail, item.giveUp, item.auth));
      moves.add(item.mail.key.uid, folderFor(outcome));
    } catch (err) {
      log.error({ code: 'MAIL_HANDLING_FAILED', uid: item.mail.key.uid, attempt: item.attempt, err: describe(err instanceof HandlerError ? err.cause : err) }, 'mail not handled; will try again');
    }
    deps.onTimings?.('commit', performance.now() - started, 1);
  }

  function folderFor(outcome: MailOutcome): string {
    return outcome === 'quarantined' ? deps.imap.quarantineFolder : deps.imap.processedFolder;
  }

  function classify(mail: IncomingMail) {
    return classifyMail({ headers: mail.headers, subject: mail.subject, fromAddress: mail.from, sizeBytes: mail.sizeBytes }, { ownAddress: deps.from, maxSizeBytes: deps.maxSizeBytes });
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
    // Sent together, answered in order: the server runs the read only once it holds the lock, and
    // under READ COMMITTED the read's snapshot is taken then, so it sees a row another instance
    // committed while we waited. One round trip instead of two.
    const [, recorded] = await Promise.all([lockMailKey(tx, mail.key), findRecorded(tx, mail.key, mail.sha256)]);
    if (recorded.sameKey) return recorded.sameKey.outcome as MailOutcome; // another instance got here first
    const result = await decide(tx, mail, giveUp, auth, recorded.sameBytes !== undefined);
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

  async function decide(tx: Db, mail: IncomingMail, giveUp: boolean, auth: SenderAuthResult, recordedUnderAnotherKey: boolean): Promise<Decision> {
    // The same bytes under a new key: the server reset UIDVALIDITY. Already acted on.
    if (recordedUnderAnotherKey) return { outcome: 'ignored', reason: 'duplicate' };
    const classified = classify(mail);
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
