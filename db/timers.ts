import { and, asc, eq, gte, inArray, like, lte, or, sql, type SQL } from 'drizzle-orm';
import { writeTogether, type Db } from './client.ts';
import { cases, caseTimers } from './schema/index.ts';

/**
 * The earliest due timer no other sweeper holds, locked for this transaction (SKIP LOCKED: a
 * second sweeper takes the next one instead of waiting).
 */
export async function claimDueTimer(tx: Db, now: Date): Promise<{ caseId: number; key: string; caseRef: string } | undefined> {
  const [timer] = await tx
    .select({ caseId: caseTimers.caseId, key: caseTimers.key, caseRef: cases.caseRef })
    .from(caseTimers)
    .innerJoin(cases, eq(cases.id, caseTimers.caseId))
    .where(and(eq(caseTimers.status, 'pending'), lte(caseTimers.dueAt, now)))
    .orderBy(asc(caseTimers.dueAt))
    .limit(1)
    .for('update', { of: caseTimers, skipLocked: true });
  return timer;
}

export async function markTimerFired(tx: Db, timer: { caseId: number; key: string }, now: Date): Promise<void> {
  await tx.update(caseTimers).set({ status: 'fired', firedAt: now }).where(and(eq(caseTimers.caseId, timer.caseId), eq(caseTimers.key, timer.key)));
}

/** Drops a timer this sweep fired, unless the event re-armed the key meanwhile (then it is 'pending'). */
export async function cancelFiredTimer(tx: Db, timer: { caseId: number; key: string }): Promise<void> {
  await tx.update(caseTimers).set({ status: 'cancelled' }).where(and(eq(caseTimers.caseId, timer.caseId), eq(caseTimers.key, timer.key), eq(caseTimers.status, 'fired')));
}

/** Pending timers due by `at`, with the case each belongs to (for a preview; nothing is locked). */
export async function pendingTimersDueBy(db: Db, at: Date) {
  return db
    .select({ caseId: caseTimers.caseId, key: caseTimers.key, dueAt: caseTimers.dueAt, action: caseTimers.action, caseRef: cases.caseRef, clientInitials: cases.clientInitials, routineId: cases.routineId, routineVersion: cases.routineVersion })
    .from(caseTimers)
    .innerJoin(cases, eq(cases.id, caseTimers.caseId))
    .where(and(eq(caseTimers.status, 'pending'), lte(caseTimers.dueAt, at)));
}

/** Pending 'late:' timers due inside any of the ranges (each range's end excluded). */
export async function pendingLateTimersIn(db: Db, ranges: ReadonlyArray<{ from: Date; to: Date }>): Promise<Array<{ caseId: number; key: string; dueAt: Date }>> {
  if (ranges.length === 0) return [];
  const inRange: SQL[] = ranges.map((r) => and(gte(caseTimers.dueAt, r.from), lte(caseTimers.dueAt, new Date(r.to.getTime() - 1)))!);
  return db
    .select({ caseId: caseTimers.caseId, key: caseTimers.key, dueAt: caseTimers.dueAt })
    .from(caseTimers)
    .where(and(eq(caseTimers.status, 'pending'), like(caseTimers.key, 'late:%'), or(...inRange)));
}

/** Moves a pending timer, compare-and-set on its due time: one fired or re-armed meanwhile is left alone. */
export async function moveTimer(db: Db, t: { caseId: number; key: string; dueAt: Date }, to: Date): Promise<boolean> {
  const updated = await db
    .update(caseTimers)
    .set({ dueAt: to })
    .where(and(eq(caseTimers.caseId, t.caseId), eq(caseTimers.key, t.key), eq(caseTimers.status, 'pending'), eq(caseTimers.dueAt, t.dueAt)))
    .returning({ key: caseTimers.key });
  return updated.length > 0;
}

/** A case's timer to arm or re-arm: a fired or cancelled key is pending again. */
export type TimerToSet = { key: string; dueAt: Date; action: unknown };

/**
 * An event's timer changes in one statement: `set` arms or re-arms its keys, `cancel` cancels its
 * keys that have not fired. The two lists must not share a key (the caller keeps each key's last
 * change): the statement's two writes see the same snapshot, so a key in both would be undefined.
 */
export async function writeCaseTimers(tx: Db, caseId: number, change: { set: TimerToSet[]; cancel: string[] }): Promise<void> {
  if (change.set.some((t) => change.cancel.includes(t.key))) throw new Error('a timer key is both set and cancelled in one write');
  const cancel =
    change.cancel.length > 0
      ? tx.update(caseTimers).set({ status: 'cancelled' }).where(and(eq(caseTimers.caseId, caseId), inArray(caseTimers.key, change.cancel), eq(caseTimers.status, 'pending')))
      : undefined;
  const set =
    change.set.length > 0
      ? tx
          .insert(caseTimers)
          .values(change.set.map((t) => ({ caseId, key: t.key, dueAt: t.dueAt, action: t.action, status: 'pending' })))
          .onConflictDoUpdate({ target: [caseTimers.caseId, caseTimers.key], set: { dueAt: sql`excluded.due_at`, action: sql`excluded.action`, status: 'pending', firedAt: null } })
      : undefined;
  await writeTogether(tx, cancel, set);
}
