import type { LocalDate } from '../calendar/local-date.ts';
import { findSwedishDates } from '../calendar/swedish-date.ts';

export { findReportMonth } from '../calendar/swedish-date.ts';

/**
 * Dates as providers write them in a reply: "2026-12-03", "3 december", "3 dec 2026", "3/12",
 * "idag", "i morgon". A date without a year is the one nearest the day the mail was sent: "start
 * 3 januari" written on 28 December means next January.
 */
export type FoundDate = { date: LocalDate; index: number };

/** Every real date in the text, in the order written. */
export function findDates(text: string, reference: LocalDate): FoundDate[] {
  return findSwedishDates(text, reference).flatMap((f) => (f.date ? [{ date: f.date, index: f.index }] : []));
}
