import { isSwedishHoliday } from './holidays.ts';
import { addDays, dayOfWeek, type LocalDate } from './local-date.ts';

/** Monday to Friday and not a Swedish public holiday, midsommarafton, julafton or nyårsafton. */
export function isWorkingDay(date: LocalDate): boolean {
  const dow = dayOfWeek(date);
  return dow !== 0 && dow !== 6 && !isSwedishHoliday(date);
}

/** The date itself when it is a working day, else the next one. */
export function nextWorkingDayOnOrAfter(date: LocalDate): LocalDate {
  let d = date;
  while (!isWorkingDay(d)) d = addDays(d, 1);
  return d;
}

/** The first working day strictly after the date ("senast dagen efter"). */
export function nextWorkingDay(date: LocalDate): LocalDate {
  return nextWorkingDayOnOrAfter(addDays(date, 1));
}

/** Counts working days forward (n > 0) or backward (n < 0); n = 0 returns the date unchanged. */
export function addWorkingDays(date: LocalDate, n: number): LocalDate {
  let d = date;
  const step = n < 0 ? -1 : 1;
  for (let left = Math.abs(n); left > 0; ) {
    d = addDays(d, step);
    if (isWorkingDay(d)) left--;
  }
  return d;
}

/**
 * A deadline (a day by which a person must act) that lands on a day off moves to the next working
 * day. A validity date (a contract's start) never moves: the contract starts that day regardless.
 * After a deadline: the first working day after the moved deadline, when what waits on someone
 * else's time running out (an ickeval after the person's choice period) may begin.
 */
export function adjustDate(date: LocalDate, kind: 'deadline' | 'validity' | 'after_deadline'): LocalDate {
  if (kind === 'validity') return date;
  const deadline = nextWorkingDayOnOrAfter(date);
  return kind === 'deadline' ? deadline : nextWorkingDay(deadline);
}
