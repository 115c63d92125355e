import { and, eq, inArray, sql } from 'drizzle-orm';
import { rowsOf, type Db } from './client.ts';
import { outbox } from './schema/index.ts';

export type OutboxChannel = 'mail' | 'teams';
export type OutboxRow = typeof outbox.$inferSelect;

export type NewOutboxMessage = {
  channel: OutboxChannel;
  dedupeKey: string;
  messageId: string;
  recipient: string;
  caseRef?: string | null;
  payload: unknown;
  /** Earliest send time; defaults to now. */
  notBefore?: Date;
};

/** The row a queued message becomes: due at once unless it says when. */
function outboxRow(msg: NewOutboxMessage, now: Date) {
  return {
    channel: msg.channel,
    dedupeKey: msg.dedupeKey,
    messageId: msg.messageId,
    recipient: msg.recipient,
    caseRef: msg.caseRef ?? null,
    payload: msg.payload,
    nextAttemptAt: msg.notBefore ?? now,
    createdAt: now,
  };
}

/** Queues a message inside the caller's transaction. Returns false when the key was already queued. */
export async function enqueue(db: Db, msg: NewOutboxMessage, now: Date): Promise<boolean> {
  const inserted = await db
    .insert(outbox)
    .values(outboxRow(msg, now))
    .onConflictDoNothing({ target: outbox.dedupeKey })
    .returning({ id: outbox.id });
  return inserted.length > 0;
}

/**
 * Queues several messages in one statement (an event's effects), inside the caller's
 * transaction. A key already queued is skipped, as with enqueue.
 */
export async function enqueueMany(db: Db, msgs: NewOutboxMessage[], now: Date): Promise<void> {
  if (msgs.length === 0) return;
  await db
    .insert(outbox)
    .values(
      msgs.map((msg) => outboxRow(msg, now)),
    )
    .onConflictDoNothing({ target: outbox.dedupeKey });
}

/**
 * A lease's end, timed by the database server's clock. Every instance reads the same clock, so
 * they agree on when a claim has run out even when their own clocks differ: hosts out of step,
 * or two instances on a training clock (CLOCK_START) started seconds apart. Timed by the
 * claimer's clock, an instance whose clock ran a lease's length ahead saw every claim of the other
 * as expired at once, took its rows and sent them a second time.
 */
const leaseEnd = (leaseMs: number) => sql`clock_timestamp() + ${Math.round(leaseMs)} * interval '1 millisecond'`;

/**
 * Claims due messages for one worker. SKIP LOCKED lets any number of workers claim at once
 * without waiting on or taking each other's rows; the lease (leaseEnd) makes a crashed worker's
 * rows claimable again once it expires. When a message is due is business time, the service's
 * clock (`now`: a retry's backoff, a message held until working time).
 */
export async function claimDue(
  db: Db,
  params: { channel: OutboxChannel; now: Date; limit: number; leaseMs: number },
): Promise<OutboxRow[]> {
  const result = await db.execute(sql`
    update outbox set status = 'sending', lease_until = ${leaseEnd(params.leaseMs)}, attempts = attempts + 1
    where id in (
      select id from outbox
      where channel = ${params.channel}
        and ((status = 'pending' and next_attempt_at <= ${params.now.toISOString()})
          or (status = 'sending' and lease_until < clock_timestamp()))
      order by next_attempt_at, id
      limit ${params.limit}
      for update skip locked
    )
    returning id`);
  const ids = rowsOf<{ id: number | string }>(result).map((r) => Number(r.id));
  if (ids.length === 0) return [];
  const rows = await db.select().from(outbox).where(inArray(outbox.id, ids));
  return rows.sort((a, b) => a.id - b.id);
}

/**
 * Compare-and-set on (id, attempts): a worker whose lease expired and was re-claimed loses.
 * `keptPayload`, when given, replaces the payload (the channel keeps less once a message is out).
 *
 * The mark commits without waiting for its WAL to reach disk: synchronous_commit off for this
 * statement's own transaction only (set_config(…, true) ends with it; call this outside any
 * transaction, or the whole enclosing one would commit so). A mail is marked while the
 * process's SMTP senders hold back their next final dot, so a flush here would be paid once per
 * mail, in series. A kill of the app cannot lose the mark: the database server has it and
 * writes it within a moment (wal_writer_delay, 200 ms by default). Only a crash of the database
 * server itself in that moment can, and the row is then sent again after its lease: one extra
 * copy (or Teams card), the same kind of failure as a kill between delivery and the mark.
 */
export async function markSent(db: Db, row: Pick<OutboxRow, 'id' | 'attempts'>, now: Date, keptPayload?: unknown): Promise<boolean> {
  const updated = await db
    .update(outbox)
    .set({ status: 'sent', sentAt: now, leaseUntil: null, lastError: null, ...(keptPayload === undefined ? {} : { payload: keptPayload }) })
    .where(and(eq(outbox.id, row.id), eq(outbox.status, 'sending'), eq(outbox.attempts, row.attempts), sql`set_config('synchronous_commit', 'off', true) is not null`))
    .returning({ id: outbox.id });
  return updated.length > 0;
}

/** Keeps a live worker's claim: extends the lease of rows it still holds (compare-and-set on attempts). */
export async function extendLeases(db: Db, rows: readonly Pick<OutboxRow, 'id' | 'attempts'>[], leaseMs: number): Promise<void> {
  for (const row of rows) {
    await db
      .update(outbox)
      .set({ leaseUntil: leaseEnd(leaseMs) })
      .where(and(eq(outbox.id, row.id), eq(outbox.status, 'sending'), eq(outbox.attempts, row.attempts)));
  }
}

/** A temporary failure: try again later (exponential backoff chosen by the caller). */
export async function markRetry(
  db: Db,
  row: Pick<OutboxRow, 'id' | 'attempts'>,
  params: { error: string; retryAt: Date },
): Promise<boolean> {
  const updated = await db
    .update(outbox)
    .set({ status: 'pending', nextAttemptAt: params.retryAt, leaseUntil: null, lastError: params.error })
    .where(and(eq(outbox.id, row.id), eq(outbox.status, 'sending'), eq(outbox.attempts, row.attempts)))
    .returning({ id: outbox.id });
  return updated.length > 0;
}

/** A permanent failure: kept and shown to administrators, never retried automatically. */
export async function markFailed(db: Db, row: Pick<OutboxRow, 'id' | 'attempts'>, error: string): Promise<boolean> {
  const updated = await db
    .update(outbox)
    .set({ status: 'failed', leaseUntil: null, lastError: error })
    .where(and(eq(outbox.id, row.id), eq(outbox.status, 'sending'), eq(outbox.attempts, row.attempts)))
    .returning({ id: outbox.id });
  return updated.length > 0;
}

export async function listFailed(db: Db): Promise<OutboxRow[]> {
  return db.select().from(outbox).where(eq(outbox.status, 'failed'));
}

/** Exponential backoff with a cap: 30 s, 1 min, 2 min … 1 h. */
export function backoffMs(attempts: number): number {
  return Math.min(3_600_000, 30_000 * 2 ** Math.max(0, attempts - 1));
}
