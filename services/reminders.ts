import type { Db } from '../db/client.ts';
import { enqueue } from '../db/outbox.ts';
import { activeSubstitute } from '../db/people.ts';
import { dueStepReminders, managerOf, recordRungSent, sentRungs, setNextLook, type DueReminderRow } from '../db/reminders.ts';
import { stockholmDate } from '../domain/calendar/stockholm.ts';
import { planLadder, type LadderParams, type ReminderLevel } from '../domain/reminders/ladder.ts';
import { escalationMessage, reminderMessage } from '../domain/reminders/messages.ts';
import type { ClockTime } from '../domain/calendar/working-time.ts';
import { isRoleId, roleTitle } from '../domain/roles.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import type { TeamsNotification } from './apply-effects.ts';

export type ReminderSettings = LadderParams & { digestTime: ClockTime };

export type ReminderDeps = { db: Db; clock: Clock; logger: Logger; settings: ReminderSettings };

/** One message the ladder wants out: to the holder (kind 'reminder') or the manager (kind 'info'). */
export type PlannedMessage = {
  caseId: number;
  caseRef: string;
  clientInitials: string;
  stepKey: string;
  title: string;
  due: string;
  level: ReminderLevel;
  rungKey: string;
  /** Whom the payload names: the holder (the deliverer resolves a substitute) or the manager's stand-in. */
  personId: string | null;
  /** Who will actually get it, substitutes resolved now. */
  recipientId: string | null;
  kind: 'reminder' | 'info';
  message: string;
};

export type StepPlan = { row: DueReminderRow; messages: PlannedMessage[]; nextAt: Date | null };

/** The ladder for each claimed step; a step no longer open (or its case closed) gets no more looks. */
export async function planSteps(db: Db, rows: DueReminderRow[], settings: ReminderSettings, now: Date): Promise<StepPlan[]> {
  const sent = await sentRungs(db, rows);
  const today = stockholmDate(now);
  const plans: StepPlan[] = [];
  for (const row of rows) {
    if (row.stepStatus !== 'open' || row.caseStatus !== 'open' || row.due === null) {
      plans.push({ row, messages: [], nextAt: null });
      continue;
    }
    const ladder = planLadder(
      { due: row.due, openedAt: row.openedAt, snoozeUntil: row.snoozeUntil, sent: sent.get(`${row.caseId}:${row.stepKey}`) ?? new Set() },
      settings,
      now,
    );
    const messages: PlannedMessage[] = [];
    for (const rung of ladder.send) {
      const subject = { caseRef: row.caseRef, clientInitials: row.clientInitials, title: row.title, due: row.due };
      const base = { caseId: row.caseId, caseRef: row.caseRef, clientInitials: row.clientInitials, stepKey: row.stepKey, title: row.title, due: row.due, level: rung.level, rungKey: rung.key };
      if (rung.level !== 'escalation') {
        const recipientId = row.holderId ? ((await activeSubstitute(db, row.holderId, today)) ?? row.holderId) : null;
        messages.push({ ...base, personId: row.holderId, recipientId, kind: 'reminder', message: reminderMessage(rung.level, subject) });
        continue;
      }
      const holder = row.holderId ? await managerOf(db, row.holderId) : undefined;
      const managerId = holder?.managerId ?? null;
      const recipientId = managerId ? ((await activeSubstitute(db, managerId, today)) ?? managerId) : null;
      const role = isRoleId(row.role) ? roleTitle(row.role) : row.role;
      messages.push({ ...base, personId: recipientId, recipientId, kind: 'info', message: escalationMessage(subject, { name: holder?.name ?? 'okänd', role }) });
    }
    plans.push({ row, messages, nextAt: ladder.nextAt });
  }
  return plans;
}

/**
 * Sends what the ladder says is due, a batch per transaction: the rows are claimed SKIP LOCKED,
 * each rung is recorded in reminders_sent and enqueued in the same transaction (insert-wins, so a
 * rung goes out once however many sweep), and the step's next look is written. A sweeper killed
 * mid-batch rolls back and the next sweep finds the same rows due.
 */
export async function sendDueReminders(deps: ReminderDeps, opts: { batchSize?: number; limit?: number } = {}): Promise<number> {
  const batchSize = opts.batchSize ?? 100;
  const limit = opts.limit ?? 10_000;
  let sentCount = 0;
  let looked = 0;
  while (looked < limit) {
    const now = deps.clock.now();
    const batch = await deps.db.transaction(async (tx) => {
      const rows = await dueStepReminders(tx, { now, limit: batchSize, lock: true });
      for (const plan of await planSteps(tx, rows, deps.settings, now)) {
        for (const m of plan.messages) if (await sendOne(tx, deps, m, now)) sentCount += 1;
        await setNextLook(tx, { caseId: plan.row.caseId, stepKey: plan.row.stepKey, nextAt: plan.nextAt }, now);
      }
      return rows.length;
    });
    looked += batch;
    if (batch < batchSize) break;
  }
  return sentCount;
}

async function sendOne(tx: Db, deps: ReminderDeps, m: PlannedMessage, now: Date): Promise<boolean> {
  const won = await recordRungSent(tx, { caseId: m.caseId, stepKey: m.stepKey, level: m.rungKey, recipient: m.recipientId }, now);
  if (!won) return false;
  if (!m.personId || !m.recipientId) {
    // Recorded anyway: retrying every minute would not find a holder or manager either.
    deps.logger.warn({ code: 'REMINDER_NO_RECIPIENT', caseRef: m.caseRef, stepKey: m.stepKey, level: m.level }, 'nobody to remind');
    return false;
  }
  const payload: TeamsNotification | (Omit<TeamsNotification, 'kind'> & { kind: 'reminder' }) = {
    kind: m.kind,
    caseRef: m.caseRef,
    stepKey: m.stepKey,
    personId: m.personId,
    message: m.message,
  };
  const key = `reminder:${m.caseRef}:${m.stepKey}:${m.rungKey}`;
  await enqueue(tx, { channel: 'teams', dedupeKey: key, messageId: key, recipient: m.recipientId, caseRef: m.caseRef, payload }, now);
  return true;
}
