import { deferLateTimers } from './reminders-late.ts';
import { sendDigests } from './reminders-digest.ts';
import { sendDueReminders, type ReminderDeps } from './reminders.ts';

export type ReminderSweepResult = { reminders: number; digests: number; lateTimersDeferred: number };

/**
 * The minute's reminder work, safe to run in every instance at once: late timers kept to working
 * time, the ladder's due rungs, the day's digests. Timed steps are opened by the timer sweep
 * (services/timer-sweep.ts), which runs beside this one.
 */
export async function sweepReminders(deps: ReminderDeps): Promise<ReminderSweepResult> {
  const lateTimersDeferred = await deferLateTimers(deps.db, deps.settings.hours, deps.clock.now());
  const reminders = await sendDueReminders(deps);
  const digests = await sendDigests(deps);
  if (reminders + digests + lateTimersDeferred > 0) {
    deps.logger.info({ code: 'REMINDER_SWEEP', reminders, digests, lateTimersDeferred }, 'reminders swept');
  }
  return { reminders, digests, lateTimersDeferred };
}
