import { index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { cases } from './cases.ts';

/**
 * The reminder ladder's state per step with a deadline. `next_at` is when the sweep must look at
 * the step again; null once nothing more can go out (done, cancelled, ladder finished). The partial
 * index holds only rows with a pending look, so "what is due now" costs what is due, not every step.
 */
export const stepReminders = pgTable(
  'step_reminders',
  {
    caseId: integer('case_id').notNull().references(() => cases.id),
    stepKey: text('step_key').notNull(),
    nextAt: timestamp('next_at', { withTimezone: true }),
    /** "Påminn mig DATUM": the holder's next reminder not before this Stockholm day. */
    snoozeUntil: text('snooze_until'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.caseId, t.stepKey] }), index('step_reminders_next_idx').on(t.nextAt).where(sql`next_at is not null`)],
);

/**
 * One row per rung sent. Inserted in the same transaction as the outbox row, on conflict do
 * nothing: of two sweepers only the one whose insert lands enqueues, so a reminder goes out once.
 */
export const remindersSent = pgTable(
  'reminders_sent',
  {
    caseId: integer('case_id').notNull().references(() => cases.id),
    stepKey: text('step_key').notNull(),
    /** 'heads_up' | 'due_day' | 'escalation' | 'snooze:<date>' */
    level: text('level').notNull(),
    /** Person the message was addressed to; null when nobody could be found (logged). */
    recipient: text('recipient'),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.caseId, t.stepKey, t.level] })],
);

/** The daily digest, once per person and day (same insert-wins rule as reminders_sent). */
export const digestsSent = pgTable(
  'digests_sent',
  {
    personId: text('person_id').notNull(),
    day: text('day').notNull(),
    steps: integer('steps').notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.personId, t.day] })],
);

/** A day whose digest pass finished: later sweeps that day skip the digest query altogether. */
export const digestDays = pgTable('digest_days', {
  day: text('day').primaryKey(),
  completedAt: timestamp('completed_at', { withTimezone: true }).notNull(),
});
