import { findSwedishDates } from '../calendar/swedish-date.ts';

/** A calendar date without time zone; month 1–12. */
export type CalendarDate = { year: number; month: number; day: number };


export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

export function isValidDate(d: CalendarDate): boolean {
  return Number.isInteger(d.year) && d.year >= 1800 && d.year <= 2200
    && d.month >= 1 && d.month <= 12 && d.day >= 1 && d.day <= daysInMonth(d.year, d.month);
}

export function formatIsoDate(d: CalendarDate): string {
  const p = (n: number, w: number): string => String(n).padStart(w, '0');
  return `${p(d.year, 4)}-${p(d.month, 2)}-${p(d.day, 2)}`;
}

export function compareDates(a: CalendarDate, b: CalendarDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

/**
 * Finds the first date in `text` ("2026-11-18", "18 november 2026", "18 nov. 2026",
 * "18/11 2026", "18.11.2026", "20261118"). Returns null when none is found or the first one
 * is not a real calendar date (2026-02-30): an impossible date is an error, not a guess.
 */
export function parseSwedishDate(text: string): CalendarDate | null {
  const first = findSwedishDates(text)[0]?.date;
  if (!first) return null;
  return { year: Number(first.slice(0, 4)), month: Number(first.slice(5, 7)), day: Number(first.slice(8, 10)) };
}
