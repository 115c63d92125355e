import { daysBetween, type LocalDate } from '../calendar/local-date.ts';
import { addWorkingDays } from '../calendar/working-days.ts';

/**
 * Routine 5 asks for an answer "snarast möjligt"; the number of working days is a setting
 * (OFFER_ANSWER_WORKING_DAYS). Weekends and Swedish holidays do not count.
 */
export function offerAnswerDeadline(offeredOn: LocalDate, workingDays: number): LocalDate {
  return addWorkingDays(offeredOn, workingDays);
}

/** Days an apartment has stood empty: from the day it was free, never negative. */
export function daysVacant(freeFrom: LocalDate, today: LocalDate): number {
  return Math.max(0, daysBetween(freeFrom, today));
}
