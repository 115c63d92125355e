import type { Db } from '../db/client.ts';
import { enqueue } from '../db/outbox.ts';
import { activeSubstitute, findByEmail, findPersonById, peopleWithRole } from '../db/people.ts';
import { dueStepReminders, recordRungSent, sentRungs, setNextLook, type DueReminderRow } from '../db/reminders.ts';
import { stockholmDate } from '../domain/calendar/stockholm.ts';
import { pickFallback, type EscalationFallback } from '../domain/reminders/escalation.ts';
import { planLadder, type LadderParams, type ReminderLevel } from '../domain/reminders/ladder.ts';
import { escalationMessage, reminderMessage } from '../domain/reminders/messages.ts';
import type { ClockTime } from '../domain/calendar/working-time.ts';
import { isRoleId, roleTitle } from '../domain/roles.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import type { TeamsNotification } from './apply-effects.ts';

export type ReminderSettings = LadderParams & { digestTime: ClockTime; escalationFallback: EscalationFallback };

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
  /** An escalation sent to the configured fallback because the holder has no manager. */
  viaFallback?: boolean;
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
      const target = row.holderId ? await escalationTarget(db, row.holderId, settings.escalationFallback) : { to: null, holderName: 'okänd', viaFallback: false };
      const recipientId = target.to ? ((await activeSubstitute(db, target.to, today)) ?? target.to) : null;
      const role = isRoleId(row.role) ? roleTitle(row.role) : row.role;
      const message = escalationMessage(subject, { name: target.holderName, role }, target.viaFallback ? 'fallback' : 'manager');
      messages.push({ ...base, personId: recipientId, recipientId, kind: 'info', message, viaFallback: target.viaFallback });
    }
    plans.push({ row, messages, nextAt: ladder.nextAt });
  }
  return plans;
}

/**
 * The holder's manager; without one in the directory, the configured fallback (the area's
 * verksamhetschef, an administrator), so that no escalation is addressed to no one.
 */
async function escalationTarget(db: Db, holderId: string, fallback: EscalationFallback): Promise<{ to: string | null; holderName: string; viaFallback: boolean }> {
  const holder = await findPersonById(db, holderId);
  if (!holder) return { to: null, holderName: 'okänd', viaFallback: false };
  if (holder.managerId) return { to: holder.managerId, holderName: holder.name, viaFallback: false };
  const candidates = 'role' in fallback ? await peopleWithRole(db, fallback.role) : [await findByEmail(db, fallback.email)].filter((p) => p !== undefined);
  return { to: pickFallback(fallback, holder, candidates), holderName: holder.name, viaFallback: true };
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
    // Recorded anyway: retrying every minute would not find a holder or manager either. An
    // escalation nobody gets is an error to fix in the directory or ESCALATION_FALLBACK.
    const log = { code: 'REMINDER_NO_RECIPIENT', caseRef: m.caseRef, stepKey: m.stepKey, level: m.level };
    if (m.level === 'escalation') deps.logger.error(log, 'escalation has nobody to go to: no manager and no fallback in the directory');
    else deps.logger.warn(log, 'nobody to remind');
    return false;
  }
  if (m.viaFallback) deps.logger.info({ code: 'ESCALATION_FALLBACK', caseRef: m.caseRef, stepKey: m.stepKey, to: m.recipientId }, 'holder has no manager: escalated to the fallback');
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
