import { describe, expect, it } from 'vitest';
import { findReportMonth, findSwedishDates, readSwedishDate } from '../../../domain/calendar/swedish-date.ts';

const today = '2026-01-10';

describe('the one Swedish date reader', () => {
  it.each([
    ['2026-12-01', '2026-12-01'],
    ['2026/12/01', '2026-12-01'],
    ['20261201', '2026-12-01'],
    ['1 december 2026', '2026-12-01'],
    ['1:a dec. 2026', '2026-12-01'],
    ['1.12.2026', '2026-12-01'],
    ['1/12 2026', '2026-12-01'],
    ['1/12-26', '2026-12-01'],
    ['idag', '2026-01-10'],
    ['igår', '2026-01-09'],
    ['i morgon', '2026-01-11'],
  ])('reads %s', (text, expected) => {
    expect(readSwedishDate(text, today)).toEqual({ ok: true, date: expected });
  });

  it('reads a date without a year as the nearest such day (1/12 in January is last December)', () => {
    expect(readSwedishDate('1/12', today)).toEqual({ ok: true, date: '2025-12-01' });
    expect(readSwedishDate('3 februari', today)).toEqual({ ok: true, date: '2026-02-03' });
  });

  it('says a date that names no real day does not exist, rather than that there is none', () => {
    expect(readSwedishDate('2026-02-30', today)).toEqual({ ok: false, reason: 'no_such_date' });
    expect(readSwedishDate('31/4', today)).toEqual({ ok: false, reason: 'no_such_date' });
    expect(readSwedishDate('tack', today)).toEqual({ ok: false, reason: 'not_a_date' });
    expect(readSwedishDate('2026-12-01 tack', today)).toEqual({ ok: false, reason: 'not_a_date' });
  });

  it('finds only dates with a year in a document (no reference date), in the order written', () => {
    const found = findSwedishDates('Beslut 18/11 2026, inflytt 1/12, utredning 2026-10-03 och 1 dec');
    expect(found.map((f) => f.date)).toEqual(['2026-11-18', '2026-10-03']);
  });

  it('does not read a price, a phone number or a case reference as a date', () => {
    expect(findSwedishDates('pris 2 450,50 kr, tel 08-123 45 67, ärende FF-2026-0142', today)).toEqual([]);
  });

  it('reads the month a provider report is about', () => {
    expect(findReportMonth('Månadsrapport november', '2026-12-03')).toBe('2026-11');
    expect(findReportMonth('rapport_2026-10.pdf', '2026-12-03')).toBe('2026-10');
  });
});
