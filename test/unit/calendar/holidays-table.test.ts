import { describe, expect, it } from 'vitest';
import { isSwedishHoliday, swedishHolidaysByRule } from '../../../domain/calendar/holidays.ts';
import {
  HOLIDAY_TABLE_FIRST_YEAR, HOLIDAY_TABLE_LAST_YEAR, HOLIDAY_TABLE_SE,
} from '../../../domain/calendar/holidays-se.generated.ts';
import { addDays } from '../../../domain/calendar/local-date.ts';
import { swedishHolidaysFromLibrary } from '../../../scripts/holidays-from-library.ts';

// Two days off may fall on one date (Kristi himmelsfärdsdag on första maj in 2008).
const datesOf = (days: ReadonlyArray<[string, string]>): string[] => [...new Set(days.map(([date]) => date))];
const sorted = (days: ReadonlyArray<[string, string]>): string[] => days.map(([date, name]) => `${date} ${name}`).sort();
const years = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

// Each test walks a century and more of years through date-holidays: seconds on a loaded machine.

// Every day of the year through isSwedishHoliday, so the check covers what the app reads.
function daysOffOf(year: number): string[] {
  const days: string[] = [];
  for (let d = `${year}-01-01`; d.startsWith(String(year)); d = addDays(d, 1)) if (isSwedishHoliday(d)) days.push(d);
  return days;
}

describe('the generated Swedish holiday table', () => {
  it('holds one row per year of its range', () => {
    expect(HOLIDAY_TABLE_SE).toHaveLength(HOLIDAY_TABLE_LAST_YEAR - HOLIDAY_TABLE_FIRST_YEAR + 1);
    expect(HOLIDAY_TABLE_FIRST_YEAR).toBeLessThanOrEqual(2000);
    expect(HOLIDAY_TABLE_LAST_YEAR).toBeGreaterThanOrEqual(2100);
  });

  it('gives the same days off as date-holidays (SE, public and bank) for every year of the table (else: npm run generate:holidays)', () => {
    for (const year of years(HOLIDAY_TABLE_FIRST_YEAR, HOLIDAY_TABLE_LAST_YEAR)) {
      const library = swedishHolidaysFromLibrary(year);
      expect(daysOffOf(year), String(year)).toEqual(datesOf(library));
      const row = HOLIDAY_TABLE_SE[year - HOLIDAY_TABLE_FIRST_YEAR];
      expect(row, String(year)).toBe(library.map(([date, name]) => `${date.slice(5)} ${name}`).join('|'));
    }
  }, 60_000);

  it('follows date-holidays by rule for years outside the table', () => {
    for (const year of [...years(1950, HOLIDAY_TABLE_FIRST_YEAR - 1), ...years(HOLIDAY_TABLE_LAST_YEAR + 1, 2200)]) {
      const library = swedishHolidaysFromLibrary(year);
      expect(sorted(swedishHolidaysByRule(year)), String(year)).toEqual(sorted(library));
      expect(daysOffOf(year), String(year)).toEqual(datesOf(library));
    }
  }, 60_000);

  it('has rules that agree with the table where both apply', () => {
    for (const year of years(HOLIDAY_TABLE_FIRST_YEAR, HOLIDAY_TABLE_LAST_YEAR)) {
      expect(sorted(swedishHolidaysByRule(year)), String(year)).toEqual(sorted(swedishHolidaysFromLibrary(year)));
    }
  }, 60_000);
});
