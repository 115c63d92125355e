import { bigserial, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

/**
 * Every outgoing message (mail or Teams) is a row written in the same transaction as the state
 * change that caused it (DESIGN.md, "One transaction per event"), then delivered by a worker.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** 'mail' | 'teams' */
    channel: text('channel').notNull(),
    /** Unique per logical message: enqueuing the same key twice is a no-op. */
    dedupeKey: text('dedupe_key').notNull().unique(),
    /** Fixed when queued so a retry is recognisable as the same message (mail Message-ID). */
    messageId: text('message_id').notNull(),
    /** Person id, role mailbox or address, as the channel understands it. */
    recipient: text('recipient').notNull(),
    caseRef: text('case_ref'),
    payload: jsonb('payload').notNull(),
    /** 'pending' | 'sending' | 'sent' | 'failed' */
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull(),
    /** While 'sending': the lease; a worker that died leaves it to expire and be claimed again. */
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [
    index('outbox_due_idx').on(t.channel, t.nextAttemptAt).where(sql`status in ('pending', 'sending')`),
  ],
);
