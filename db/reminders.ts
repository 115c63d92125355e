import { and, asc, eq, inArray, isNotNull, lte, sql } from 'drizzle-orm';
import { writeTogether, type Db } from './client.ts';
import { caseRoles, cases, caseSteps, digestDays, digestsSent, remindersSent, stepReminders } from './schema/index.ts';

/**
 * The ladder is looked at again as soon as a step changes: an open step with a deadline gets
 * `next_at = now` (the sweep computes the real time), anything else `null` (no more reminders).
 * Called where the case_steps projection is written, so completion and close cancel at once.
 */
export async function trackStepReminders(tx: Db, params: { caseId: number; active: string[]; inactive: string[] }, now: Date): Promise<void> {
  if (params.active.some((key) => params.inactive.includes(key))) throw new Error('a step is both active and inactive in one reminder write');
  const stop =
    params.inactive.length > 0
      ? tx
          .update(stepReminders)
          .set({ nextAt: null, updatedAt: now })
          .where(and(eq(stepReminders.caseId, params.caseId), inArray(stepReminders.stepKey, params.inactive), isNotNull(stepReminders.nextAt)))
      : undefined;
  const look =
    params.active.length > 0
      ? tx
          .insert(stepReminders)
          .values(params.active.map((stepKey) => ({ caseId: params.caseId, stepKey, nextAt: now, updatedAt: now })))
          .onConflictDoUpdate({ target: [stepReminders.caseId, stepReminders.stepKey], set: { nextAt: now, updatedAt: now } })
      : undefined;
  // The two sets of steps are disjoint, so both writes go in one statement.
  await writeTogether(tx, stop, look);
}

export type DueReminderRow = {
  caseId: number;
  stepKey: string;
  snoozeUntil: string | null;
  stepStatus: string;
  due: string | null;
  openedAt: Date;
  title: string;
  role: string;
  holderId: string | null;
  caseRef: string;
  clientInitials: string;
  caseStatus: string;
};

/**
 * Steps whose ladder must be looked at by `now`, oldest first, through the partial index on
 * next_at. With `lock`, the rows are claimed FOR UPDATE SKIP LOCKED: a second sweeper takes other
 * rows instead of waiting, and a sweeper that dies releases its claim with its transaction.
 */
export async function dueStepReminders(db: Db, params: { now: Date; limit: number; lock: boolean }): Promise<DueReminderRow[]> {
  const query = db
    .select({
      caseId: stepReminders.caseId,
      stepKey: stepReminders.stepKey,
      snoozeUntil: stepReminders.snoozeUntil,
      stepStatus: caseSteps.status,
      due: caseSteps.due,
      openedAt: caseSteps.openedAt,
      title: caseSteps.title,
      role: caseSteps.role,
      // The current holder of the role (a reassigned role takes its reminders along).
      holderId: sql<string | null>`coalesce(${caseRoles.personId}, ${caseSteps.assigneeId})`,
      caseRef: cases.caseRef,
      clientInitials: cases.clientInitials,
      caseStatus: cases.status,
    })
    .from(stepReminders)
    .innerJoin(caseSteps, and(eq(caseSteps.caseId, stepReminders.caseId), eq(caseSteps.stepKey, stepReminders.stepKey)))
    .innerJoin(cases, eq(cases.id, stepReminders.caseId))
    .leftJoin(caseRoles, and(eq(caseRoles.caseId, caseSteps.caseId), eq(caseRoles.role, caseSteps.role)))
    .where(and(isNotNull(stepReminders.nextAt), lte(stepReminders.nextAt, params.now)))
    .orderBy(asc(stepReminders.nextAt))
    .limit(params.limit);
  return params.lock ? query.for('update', { of: stepReminders, skipLocked: true }) : query;
}

/** Rung keys already sent, per `${caseId}:${stepKey}`. */
export async function sentRungs(db: Db, steps: ReadonlyArray<{ caseId: number; stepKey: string }>): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  if (steps.length === 0) return out;
  const wanted = new Set(steps.map((s) => `${s.caseId}:${s.stepKey}`));
  const rows = await db
    .select({ caseId: remindersSent.caseId, stepKey: remindersSent.stepKey, level: remindersSent.level })
    .from(remindersSent)
    .where(inArray(remindersSent.caseId, [...new Set(steps.map((s) => s.caseId))]));
  for (const r of rows) {
    const key = `${r.caseId}:${r.stepKey}`;
    if (!wanted.has(key)) continue;
    const set = out.get(key) ?? new Set<string>();
    set.add(r.level);
    out.set(key, set);
  }
  return out;
}

/** True for the one caller whose row landed: only that caller may enqueue the message. */
export async function recordRungSent(tx: Db, params: { caseId: number; stepKey: string; level: string; recipient: string | null }, now: Date): Promise<boolean> {
  const inserted = await tx.insert(remindersSent).values({ ...params, sentAt: now }).onConflictDoNothing().returning({ level: remindersSent.level });
  return inserted.length > 0;
}

export async function setNextLook(tx: Db, params: { caseId: number; stepKey: string; nextAt: Date | null }, now: Date): Promise<void> {
  await tx
    .update(stepReminders)
    .set({ nextAt: params.nextAt, updatedAt: now })
    .where(and(eq(stepReminders.caseId, params.caseId), eq(stepReminders.stepKey, params.stepKey)));
}

/** The holder's next reminder waits until `until`; the sweep looks at the step again at once. */
export async function setSnooze(tx: Db, params: { caseId: number; stepKey: string; until: string }, now: Date): Promise<void> {
  await tx
    .insert(stepReminders)
    .values({ caseId: params.caseId, stepKey: params.stepKey, snoozeUntil: params.until, nextAt: now, updatedAt: now })
    .onConflictDoUpdate({ target: [stepReminders.caseId, stepReminders.stepKey], set: { snoozeUntil: params.until, nextAt: now, updatedAt: now } });
}

export type DigestRow = { holderId: string; caseRef: string; clientInitials: string; title: string; due: string };

/** Open steps due by `through` (late ones included), with their current holder: read through the open-due partial index. */
export async function digestRows(db: Db, through: string): Promise<DigestRow[]> {
  const rows = await db
    .select({
      holderId: sql<string | null>`coalesce(${caseRoles.personId}, ${caseSteps.assigneeId})`,
      caseRef: cases.caseRef,
      clientInitials: cases.clientInitials,
      title: caseSteps.title,
      due: caseSteps.due,
    })
    .from(caseSteps)
    .innerJoin(cases, eq(cases.id, caseSteps.caseId))
    .leftJoin(caseRoles, and(eq(caseRoles.caseId, caseSteps.caseId), eq(caseRoles.role, caseSteps.role)))
    .where(and(eq(caseSteps.status, 'open'), isNotNull(caseSteps.due), lte(caseSteps.due, through), eq(cases.status, 'open')));
  return rows.flatMap((r) => (r.holderId && r.due ? [{ ...r, holderId: r.holderId, due: r.due }] : []));
}

export async function isDigestDayDone(db: Db, day: string): Promise<boolean> {
  const [row] = await db.select({ day: digestDays.day }).from(digestDays).where(eq(digestDays.day, day));
  return row !== undefined;
}

export async function markDigestDayDone(db: Db, day: string, now: Date): Promise<void> {
  await db.insert(digestDays).values({ day, completedAt: now }).onConflictDoNothing();
}

export async function digestSentTo(db: Db, day: string): Promise<Set<string>> {
  const rows = await db.select({ personId: digestsSent.personId }).from(digestsSent).where(eq(digestsSent.day, day));
  return new Set(rows.map((r) => r.personId));
}

export async function recordDigestSent(tx: Db, params: { personId: string; day: string; steps: number }, now: Date): Promise<boolean> {
  const inserted = await tx.insert(digestsSent).values({ ...params, sentAt: now }).onConflictDoNothing().returning({ day: digestsSent.day });
  return inserted.length > 0;
}
