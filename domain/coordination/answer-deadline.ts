import { daysBetween, type LocalDate } from '../calendar/local-date.ts';
import { stockholmDate } from '../calendar/stockholm.ts';
import { addWorkingDays } from '../calendar/working-days.ts';
import { nextWorkingTime, type WorkingTime } from '../calendar/working-time.ts';

/**
 * Routine 5 asks for an answer "snarast möjligt"; the number of working days is a setting
 * (OFFER_ANSWER_WORKING_DAYS). Weekends and Swedish holidays do not count. A person cannot be
 * asked to answer before they have seen the apartment: when the deadline would fall on or before
 * the viewing, the days are counted from the viewing instead.
 */
export function offerAnswerDeadline(offeredOn: LocalDate, workingDays: number, viewingOn?: LocalDate | null): LocalDate {
  const deadline = addWorkingDays(offeredOn, workingDays);
  return viewingOn && deadline <= viewingOn ? addWorkingDays(viewingOn, workingDays) : deadline;
}

/** The day an offer made at `now` counts from: after working hours, or on a day off, the next working day. */
export function offerCountsFrom(now: Date, hours: WorkingTime): LocalDate {
  return stockholmDate(nextWorkingTime(now, hours));
}

/** Days an apartment has stood empty: from the day it was free, never negative. */
export function daysVacant(freeFrom: LocalDate, today: LocalDate): number {
  return Math.max(0, daysBetween(freeFrom, today));
}
