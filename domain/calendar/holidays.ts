import Holidays from 'date-holidays';
import { parseLocalDate, type LocalDate } from './local-date.ts';

/**
 * Swedish days off that are not weekends. date-holidays' default list also returns observances
 * (Mors dag, Luciadagen …) that are ordinary working days, so only 'public' and 'bank' count.
 * Midsommarafton, julafton and nyårsafton are 'bank' in the library; DESIGN.md requires them to
 * be days off, so they are added by rule as well, in case a library update reclassifies them.
 */
const holidaysSe = new Holidays('SE');
const cache = new Map<number, ReadonlyMap<LocalDate, string>>();

function holidaysOfYear(year: number): ReadonlyMap<LocalDate, string> {
  const cached = cache.get(year);
  if (cached) return cached;
  const days = new Map<LocalDate, string>();
  for (const h of holidaysSe.getHolidays(year)) {
    if (h.type === 'public' || h.type === 'bank') days.set(h.date.slice(0, 10), h.name);
  }
  for (const [date, name] of requiredEves(year)) if (!days.has(date)) days.set(date, name);
  cache.set(year, days);
  return days;
}

function requiredEves(year: number): Array<[LocalDate, string]> {
  // Midsommarafton is the Friday between 19 and 25 June.
  let midsommarafton = '';
  for (let day = 19; day <= 25; day++) {
    const date = `${year}-06-${day}`;
    if (new Date(Date.UTC(year, 5, day)).getUTCDay() === 5) midsommarafton = date;
  }
  return [
    [midsommarafton, 'midsommarafton'],
    [`${year}-12-24`, 'julafton'],
    [`${year}-12-31`, 'nyårsafton'],
  ];
}

/** The holiday's Swedish name, or undefined on an ordinary day (weekends are not holidays here). */
function swedishHolidayName(date: LocalDate): string | undefined {
  return holidaysOfYear(parseLocalDate(date).year).get(date);
}

export function isSwedishHoliday(date: LocalDate): boolean {
  return swedishHolidayName(date) !== undefined;
}
