import { once } from 'node:events';
import type { Worker } from 'node:worker_threads';
import type { Db } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import { createMailSenders, type MailSendSettings } from './mail-senders.ts';
import { startModuleWorker } from './module-worker.ts';
import type { SmtpSenderDeps } from './smtp-sender.ts';

/** What the sending thread is started with (structured-cloned: plain data only). */
export type SendThreadData = {
  databaseUrl: string;
  poolSize: number;
  settings: MailSendSettings;
  /** The service clock's shift from the system clock (training and demo environments), fixed by the main thread. */
  clockOffsetMs: number;
  logLevel: string;
  reportHold: boolean;
};
export type SendThreadRequest = { type: 'stop' };
export type SendThreadReply =
  | { type: 'ready' }
  | { type: 'log'; line: string }
  | { type: 'hold'; hold: Parameters<NonNullable<SmtpSenderDeps['onHold']>>[0] };

export type MailSending = {
  start: () => void;
  stop: () => Promise<void>;
  /** Why mail is not being sent right now, in Swedish (the sending thread died and waits to restart). */
  problem: () => string | undefined;
};

export type MailSendingDeps = {
  /**
   * PostgreSQL's URL: mail is sent from a thread of its own with its own connections. Undefined
   * (PGlite, one connection in this thread): sent from this thread on `db`.
   */
  databaseUrl: string | undefined;
  db: Db;
  settings: MailSendSettings;
  clock: Clock;
  logger: Logger;
  /** Where an accepted mail's time in the send-tail hold went (the bench prints it). */
  onHold?: SmtpSenderDeps['onHold'];
  /** How long a stop waits for the mails being sent before the thread is terminated. */
  stopTimeoutMs?: number;
};

/**
 * Sends outbox mail. On PostgreSQL the senders run in a worker thread: the send-tail hold keeps
 * one mail at a time between the server's acceptance of its final dot and its row marked sent,
 * so every step of that moment (the answer read off the socket, the mark's round trip) waits for
 * its event loop; on the main thread, busy reading mail, that loop was late by several ms per
 * step and capped sending near 70 mails/s. A thread that dies is logged and started again with
 * backoff (its claimed rows go out again once their lease runs out, as after a kill): sending
 * never stops silently.
 */
export function createMailSending(deps: MailSendingDeps): MailSending {
  if (deps.databaseUrl === undefined) {
    const senders = createMailSenders({ db: deps.db, clock: deps.clock, logger: deps.logger, settings: deps.settings, ...(deps.onHold ? { onHold: deps.onHold } : {}) });
    return { start: senders.start, stop: senders.stop, problem: () => undefined };
  }
  const databaseUrl = deps.databaseUrl;
  const stopTimeoutMs = deps.stopTimeoutMs ?? 30_000;
  // The thread's lines are already redacted and serialized (its own pino, the same options).
  const threadLog = deps.logger.child({ thread: 'mail-send' }, { serializers: { err: (e: unknown) => e, error: (e: unknown) => e } });
  let worker: Worker | undefined;
  let stopping = false;
  let failures = 0;
  let restart: NodeJS.Timeout | undefined;
  let down: string | undefined;

  function spawn(): void {
    const data: SendThreadData = {
      databaseUrl,
      // One connection per sender, and one for claims while the others mark.
      poolSize: deps.settings.concurrency + 1,
      settings: deps.settings,
      clockOffsetMs: deps.clock.now().getTime() - Date.now(),
      logLevel: deps.logger.level,
      reportHold: deps.onHold !== undefined,
    };
    const w = startModuleWorker(import.meta.url, 'send-thread-worker', { workerData: data });
    const startedAt = Date.now();
    let error: Error | undefined;
    worker = w;
    w.on('message', (reply: SendThreadReply) => {
      if (reply.type === 'log') relog(reply.line);
      else if (reply.type === 'hold') deps.onHold?.(reply.hold);
      else down = undefined;
    });
    w.on('error', (err) => (error = err));
    w.on('exit', (exitCode) => {
      worker = undefined;
      if (stopping) return;
      // Backoff for a thread that keeps dying (the database or the relay gone); one that ran a while starts over at 1 s.
      failures = Date.now() - startedAt > 60_000 ? 1 : failures + 1;
      const delayMs = Math.min(60_000, 1_000 * 2 ** (failures - 1));
      down = 'utskicket av e-post startas om efter ett fel';
      deps.logger.error({ code: 'MAIL_SEND_THREAD_DIED', exitCode, err: error, restartInMs: delayMs }, 'the mail sending thread stopped; starting it again');
      restart = setTimeout(spawn, delayMs);
    });
  }

  function relog(line: string): void {
    try {
      const { level, msg, time: _time, pid: _pid, hostname: _hostname, ...fields } = JSON.parse(line) as Record<string, unknown>;
      const label = typeof level === 'number' ? deps.logger.levels.labels[level] : undefined;
      const write = threadLog[(label ?? 'info') as 'info'].bind(threadLog);
      write(fields, typeof msg === 'string' ? msg : '');
    } catch {
      deps.logger.warn({ code: 'MAIL_SEND_THREAD_LOG' }, 'unreadable log line from the mail sending thread');
    }
  }

  return {
    start: () => {
      if (worker || stopping) return;
      spawn();
    },
    stop: async () => {
      stopping = true;
      clearTimeout(restart);
      const w = worker;
      if (!w) return;
      const exited = once(w, 'exit');
      w.postMessage({ type: 'stop' } satisfies SendThreadRequest);
      // A send stuck on a dead SMTP connection must not hold the shutdown: terminated, it is a
      // kill (at most one mail accepted and not marked, sent again after its lease).
      const timer = setTimeout(() => {
        deps.logger.warn({ code: 'MAIL_SEND_THREAD_STOP_TIMEOUT', timeoutMs: stopTimeoutMs }, 'the mail sending thread did not stop in time; terminating it');
        void w.terminate();
      }, stopTimeoutMs);
      await exited;
      clearTimeout(timer);
    },
    problem: () => down,
  };
}
