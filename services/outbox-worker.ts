import type { Db } from '../db/client.ts';
import { backoffMs, claimDue, extendLeases, markFailed, markRetry, markSent, type OutboxChannel, type OutboxRow } from '../db/outbox.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import { safeErrorMessage } from '../lib/safe-error.ts';

/** What a channel's deliverer says about one message. */
export type DeliveryOutcome = (
  /** `keptPayload`: what the row keeps once delivered (personal data it no longer needs dropped). */
  | { ok: true; keptPayload?: unknown }
  | { ok: false; permanent: boolean; error: string }
) & {
  /** Called once the outcome is recorded on the row (or recording failed): the deliverer's hold ends. */
  recorded?: () => void;
};

export type OutboxWorkerDeps = {
  db: Db;
  channel: OutboxChannel;
  deliver: (row: OutboxRow) => Promise<DeliveryOutcome>;
  clock: Clock;
  logger: Logger;
  intervalMs?: number;
  batchSize?: number;
  leaseMs?: number;
  maxAttempts?: number;
};

export type OutboxWorker = {
  /** One pass: claim, deliver outside any transaction, record. Returns how many were handled. */
  runOnce: () => Promise<number>;
  start: () => void;
  stop: () => Promise<void>;
};

export function createOutboxWorker(deps: OutboxWorkerDeps): OutboxWorker {
  const intervalMs = deps.intervalMs ?? 2_000;
  const batchSize = deps.batchSize ?? 20;
  // Short, and renewed while a row is being delivered: after a crash the dead worker's rows are
  // claimable again within seconds, while a slow delivery by a live worker keeps its claim.
  const leaseMs = deps.leaseMs ?? 10_000;
  const maxAttempts = deps.maxAttempts ?? 12;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let stopped = true;

  async function handle(row: OutboxRow): Promise<void> {
    let outcome: DeliveryOutcome;
    try {
      outcome = await deps.deliver(row);
    } catch (err) {
      outcome = { ok: false, permanent: false, error: safeErrorMessage(err) };
    }
    try {
      await record(row, outcome);
    } finally {
      outcome.recorded?.();
    }
  }

  async function record(row: OutboxRow, outcome: DeliveryOutcome): Promise<void> {
    const now = deps.clock.now();
    // Each mark is compare-and-set on (id, attempts): if our lease ran out and another worker
    // re-claimed the row, our late answer is dropped instead of overwriting theirs.
    if (outcome.ok) {
      if (!(await markSent(deps.db, row, now, outcome.keptPayload))) deps.logger.warn({ code: 'OUTBOX_LEASE_LOST', id: row.id }, 'outbox row re-claimed before it was marked sent');
      return;
    }
    if (outcome.permanent || row.attempts >= maxAttempts) {
      await markFailed(deps.db, row, outcome.error);
      deps.logger.error({ code: 'OUTBOX_FAILED', id: row.id, channel: row.channel, caseRef: row.caseRef, error: outcome.error }, 'message failed permanently');
      return;
    }
    await markRetry(deps.db, row, { error: outcome.error, retryAt: new Date(now.getTime() + backoffMs(row.attempts)) });
    deps.logger.warn({ code: 'OUTBOX_RETRY', id: row.id, channel: row.channel, attempts: row.attempts, error: outcome.error }, 'message will be retried');
  }

  async function runOnce(): Promise<number> {
    const rows = await claimDue(deps.db, { channel: deps.channel, now: deps.clock.now(), limit: batchSize, leaseMs });
    if (rows.length === 0) return 0;
    const held = new Set(rows);
    let renewing: Promise<void> = Promise.resolve();
    const heartbeat = setInterval(() => {
      renewing = renewing
        .then(() => extendLeases(deps.db, [...held], leaseMs))
        .catch((err: unknown) => deps.logger.warn({ code: 'OUTBOX_LEASE_RENEW_FAILED', channel: deps.channel, err }, 'could not renew outbox leases'));
    }, Math.max(100, Math.floor(leaseMs / 3)));
    try {
      for (const row of rows) {
        await handle(row);
        held.delete(row);
      }
    } finally {
      clearInterval(heartbeat);
      await renewing;
    }
    return rows.length;
  }

  function schedule(delayMs: number): void {
    if (stopped) return;
    timer = setTimeout(() => {
      let handled = 0;
      running = runOnce()
        .then((n) => (handled = n))
        .catch((err: unknown) => {
          deps.logger.error({ code: 'OUTBOX_WORKER_ERROR', channel: deps.channel, err }, 'outbox pass failed');
          return 0;
        })
        .finally(() => {
          running = undefined;
          // A full batch means more may be waiting: go again at once.
          schedule(handled >= batchSize ? 0 : intervalMs);
        });
    }, delayMs);
  }

  return {
    runOnce,
    start: () => {
      if (!stopped) return;
      stopped = false;
      schedule(intervalMs);
    },
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (running) await running;
    },
  };
}
