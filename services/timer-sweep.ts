import { and, asc, eq, lte, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { cases, caseTimers } from '../db/schema/index.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import type { CaseEngine } from './case-service.ts';

export type TimerSweepDeps = { db: Db; engine: CaseEngine; clock: Clock; logger: Logger };

/**
 * Fires due timers, one per transaction: the timer row is claimed with SKIP LOCKED (another
 * sweeper takes the next one instead of waiting), the event goes through the engine, and the row
 * is marked fired in the same transaction, so each timer fires once however many sweep.
 */
export async function fireDueTimers(deps: TimerSweepDeps, limit = 500): Promise<number> {
  let fired = 0;
  while (fired < limit) {
    const now = deps.clock.now();
    const done = await deps.db.transaction(async (tx) => {
      const [timer] = await tx
        .select({ caseId: caseTimers.caseId, key: caseTimers.key, caseRef: cases.caseRef })
        .from(caseTimers)
        .innerJoin(cases, eq(cases.id, caseTimers.caseId))
        .where(and(eq(caseTimers.status, 'pending'), lte(caseTimers.dueAt, now)))
        .orderBy(asc(caseTimers.dueAt))
        .limit(1)
        .for('update', { of: caseTimers, skipLocked: true });
      if (!timer) return false;
      const which = and(eq(caseTimers.caseId, timer.caseId), eq(caseTimers.key, timer.key));
      // Spent before the event runs: a recurring step may re-arm the same key, and that new
      // 'pending' row must survive this firing.
      await tx.update(caseTimers).set({ status: 'fired', firedAt: now }).where(which);
      const outcome = await deps.engine.applyIn(tx, timer.caseRef, () => Promise.resolve({ type: 'timer', key: timer.key }), {
        actor: 'system',
        action: 'timer.fire',
        detail: { key: timer.key },
      });
      if (!outcome.ok) {
        // A refused timer (case closed, step already done) is dropped, never retried.
        await tx.update(caseTimers).set({ status: 'cancelled' }).where(and(which, eq(caseTimers.status, 'fired')));
        deps.logger.info({ code: 'TIMER_REFUSED', caseRef: timer.caseRef, key: timer.key, reason: outcome.code }, 'timer dropped');
      }
      return true;
    });
    if (!done) break;
    fired += 1;
  }
  return fired;
}

export async function countPendingTimers(db: Db): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(caseTimers).where(eq(caseTimers.status, 'pending'));
  return Number(row?.n ?? 0);
}
