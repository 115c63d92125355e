import type { Db } from '../db/client.ts';
import { cancelFiredTimer, claimDueTimer, markTimerFired } from '../db/timers.ts';
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
      const timer = await claimDueTimer(tx, now);
      if (!timer) return false;
      // Spent before the event runs: a recurring step may re-arm the same key, and that new
      // 'pending' row must survive this firing.
      await markTimerFired(tx, timer, now);
      const outcome = await deps.engine.applyIn(tx, timer.caseRef, () => Promise.resolve({ type: 'timer', key: timer.key }), {
        actor: 'system',
        action: 'timer.fire',
        detail: { key: timer.key },
      });
      if (!outcome.ok) {
        // A refused timer (case closed, step already done) is dropped, never retried.
        await cancelFiredTimer(tx, timer);
        deps.logger.info({ code: 'TIMER_REFUSED', caseRef: timer.caseRef, key: timer.key, reason: outcome.code }, 'timer dropped');
      }
      return true;
    });
    if (!done) break;
    fired += 1;
  }
  return fired;
}
