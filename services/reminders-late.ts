import type { Db } from '../db/client.ts';
import { moveTimer, pendingLateTimersIn } from '../db/timers.ts';
import { addDays } from '../domain/calendar/local-date.ts';
import { stockholmDate } from '../domain/calendar/stockholm.ts';
import { isWorkingDay } from '../domain/calendar/working-days.ts';
import { instantOn, nextWorkingTime, type WorkingTime } from '../domain/calendar/working-time.ts';

const LOOKAHEAD_DAYS = 7;

/** The non-working stretches (nights, weekends, holidays) from `now`'s day through the lookahead. */
function offHours(now: Date, hours: WorkingTime): Array<{ from: Date; to: Date }> {
  const out: Array<{ from: Date; to: Date }> = [];
  const first = stockholmDate(now);
  for (let i = 0; i <= LOOKAHEAD_DAYS; i++) {
    const day = addDays(first, i);
    const midnight = instantOn(day, { hour: 0, minute: 0 });
    const next = instantOn(addDays(day, 1), { hour: 0, minute: 0 });
    if (!isWorkingDay(day)) out.push({ from: midnight, to: next });
    else out.push({ from: midnight, to: instantOn(day, hours.start) }, { from: instantOn(day, hours.end), to: next });
  }
  return out;
}

/**
 * The engine's "late" message (its 'late:<step>' timer, 07:00 the calendar day after the due day)
 * is the ladder's late rung to the holder. The engine does not know working days for it, so a
 * step due on a Friday would be chased on Saturday: pending late timers that fall on a day off or
 * outside working hours in the coming week are moved to the next working time, well before they
 * fire. Compare-and-set on (due_at, status): a timer fired or re-armed meanwhile is left alone.
 */
export async function deferLateTimers(db: Db, hours: WorkingTime, now: Date): Promise<number> {
  const rows = await pendingLateTimersIn(db, offHours(now, hours));
  let moved = 0;
  for (const t of rows) {
    const to = nextWorkingTime(t.dueAt, hours);
    if (to.getTime() === t.dueAt.getTime()) continue;
    if (await moveTimer(db, t, to)) moved += 1;
  }
  return moved;
}
