import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { daysInMonth, formatIsoDate, parseSwedishDate } from '../../../domain/behovsbedomning/swedish-date.ts';

const MONTHS = ['januari', 'februari', 'mars', 'april', 'maj', 'juni', 'juli', 'augusti', 'september', 'oktober', 'november', 'december'];
const pad = (n: number): string => String(n).padStart(2, '0');
// Up to 2099: the compact form (20261118) is read only for 19xx and 20xx, so other digit runs are not taken for dates.
const date = fc.record({ year: fc.integer({ min: 1900, max: 2099 }), month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 31 }) })
  .filter((d) => d.day <= daysInMonth(d.year, d.month));

describe('Swedish dates', () => {
  it('reads every common way of writing a date', () => {
    fc.assert(fc.property(date, fc.integer({ min: 0, max: 6 }), (d, style) => {
      const m = MONTHS[d.month - 1] ?? '';
      const text = [
        `${d.year}-${pad(d.month)}-${pad(d.day)}`, `${d.day} ${m} ${d.year}`, `den ${d.day} ${m.slice(0, 3)}. ${d.year}`,
        `${d.day}/${d.month} ${d.year}`, `${pad(d.day)}.${pad(d.month)}.${d.year}`, `${d.year}${pad(d.month)}${pad(d.day)}`,
        `onsdag ${d.day} ${m.toUpperCase()} ${d.year}`,
      ][style] ?? '';
      expect(parseSwedishDate(text), text).toEqual(d);
    }));
  });

  it('refuses dates that do not exist instead of moving them', () => {
    expect(parseSwedishDate('2026-02-29')).toBeNull();
    expect(parseSwedishDate('31 april 2026')).toBeNull();
    expect(parseSwedishDate('2028-02-29')).toEqual({ year: 2028, month: 2, day: 29 });
    expect(parseSwedishDate('snart')).toBeNull();
  });

  it('formats as ISO', () => {
    expect(formatIsoDate({ year: 2026, month: 6, day: 9 })).toBe('2026-06-09');
  });
});
