import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays, addDuration, addMonths, addWorkingDays, adjustDate, compareDates, isLocalDate, isSwedishHoliday,
  DEFAULT_WORKING_TIME, isWorkingDay, isWorkingTime, nextWorkingDay, nextWorkingDayOnOrAfter, nextWorkingTime, stockholmDate, stockholmInstant,
} from '../../../domain/calendar/index.ts';

describe('month arithmetic (lag 1930:173)', () => {
  it('lands on the last day of a shorter month: 2025-11-30 + 3 months = 2026-02-28', () => {
    expect(addMonths('2025-11-30', 3)).toBe('2026-02-28');
  });
  it('gives the day after 3 months as one day later', () => {
    expect(addDuration('2025-11-30', { months: 3, days: 1 })).toBe('2026-03-01');
  });
  it('keeps the day number when it exists and handles leap years and year ends', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2025-12-15', 1)).toBe('2026-01-15');
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
  });
});

describe('Swedish days off', () => {
  it('counts midsommarafton, julafton and nyårsafton as days off, but not observances', () => {
    expect(isSwedishHoliday('2026-06-19')).toBe(true);
    expect(isSwedishHoliday('2026-12-24')).toBe(true);
    expect(isSwedishHoliday('2026-12-31')).toBe(true);
    expect(isSwedishHoliday('2026-05-31')).toBe(false); // Mors dag (an observance)
    expect(isSwedishHoliday('2026-12-13')).toBe(false); // Luciadagen
    expect(isWorkingDay('2026-05-25')).toBe(true); // annandag pingst is no longer a holiday
  });
  it('treats public holidays and weekends as non-working days', () => {
    expect(isWorkingDay('2026-06-06')).toBe(false); // nationaldagen, a Saturday
    expect(isWorkingDay('2026-04-03')).toBe(false); // långfredagen
    expect(isWorkingDay('2026-10-10')).toBe(false); // Saturday
    expect(isWorkingDay('2026-10-12')).toBe(true);
  });
});

describe('deadlines and validity dates', () => {
  it('moves a 14-day deadline from 2026-06-05 off midsommarafton to 2026-06-22', () => {
    expect(adjustDate(addDays('2026-06-05', 14), 'deadline')).toBe('2026-06-22');
  });
  it('moves the monthly report due 2026-10-10, a Saturday, to 2026-10-12', () => {
    expect(adjustDate('2026-10-10', 'deadline')).toBe('2026-10-12');
  });
  it('never moves a validity date', () => {
    expect(adjustDate('2026-06-19', 'validity')).toBe('2026-06-19');
  });
  it('puts the follow-up BB after a move-in on 2025-11-30 on 2026-02-28 and its contract on 2026-03-01', () => {
    expect(addMonths('2025-11-30', 3)).toBe('2026-02-28');
    expect(adjustDate(addDuration('2025-11-30', { months: 3, days: 1 }), 'validity')).toBe('2026-03-01');
  });
  it('gives the next working day after julafton as the day after annandag jul weekend', () => {
    expect(nextWorkingDay('2026-12-23')).toBe('2026-12-28');
    expect(addWorkingDays('2026-12-23', 2)).toBe('2026-12-29');
    expect(addWorkingDays('2026-12-28', -1)).toBe('2026-12-23');
  });

  const dates = fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2035-12-31T00:00:00Z'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10));

  it('property: a moved deadline is a working day, never earlier than the raw date, and at most a week later', () => {
    fc.assert(fc.property(dates, (d) => {
      const moved = adjustDate(d, 'deadline');
      expect(isWorkingDay(moved)).toBe(true);
      expect(compareDates(moved, d)).toBeGreaterThanOrEqual(0);
      expect(compareDates(moved, addDays(d, 7))).toBeLessThan(0);
      if (isWorkingDay(d)) expect(moved).toBe(d);
    }));
  });
  it('property: a validity date never moves', () => {
    fc.assert(fc.property(dates, (d) => adjustDate(d, 'validity') === d));
  });
  it('property: adding months gives a valid date whose day never exceeds the original', () => {
    fc.assert(fc.property(dates, fc.integer({ min: -36, max: 36 }), (d, n) => {
      const r = addMonths(d, n);
      expect(isLocalDate(r)).toBe(true);
      expect(Number(r.slice(8))).toBeLessThanOrEqual(Number(d.slice(8)));
    }));
  });
  it('property: the next working day on or after a date is the first working day from it', () => {
    fc.assert(fc.property(dates, (d) => {
      const n = nextWorkingDayOnOrAfter(d);
      for (let x = d; x < n; x = addDays(x, 1)) expect(isWorkingDay(x)).toBe(false);
    }));
  });
});

describe('Europe/Stockholm time', () => {
  it('gives the Stockholm date of an instant near midnight', () => {
    expect(stockholmDate(new Date('2025-12-31T23:30:00Z'))).toBe('2026-01-01');
    expect(stockholmDate(new Date('2026-06-30T21:59:00Z'))).toBe('2026-06-30');
    expect(stockholmDate(new Date('2026-06-30T22:00:00Z'))).toBe('2026-07-01');
  });
  it('finds the instant of a Stockholm wall-clock time in winter and summer', () => {
    expect(stockholmInstant('2026-01-15', 8).toISOString()).toBe('2026-01-15T07:00:00.000Z');
    expect(stockholmInstant('2026-07-15', 8).toISOString()).toBe('2026-07-15T06:00:00.000Z');
    expect(stockholmInstant('2026-03-29', 7).toISOString()).toBe('2026-03-29T05:00:00.000Z'); // DST starts that night
  });
  it('sends reminders only inside working hours on working days', () => {
    expect(isWorkingTime(new Date('2026-06-22T07:00:00Z'), DEFAULT_WORKING_TIME)).toBe(true); // Mon 09:00
    expect(isWorkingTime(new Date('2026-06-19T07:00:00Z'), DEFAULT_WORKING_TIME)).toBe(false); // midsommarafton
    // Thu 18:00 before midsommarafton → Monday 07:00 Stockholm.
    expect(nextWorkingTime(new Date('2026-06-18T16:00:00Z'), DEFAULT_WORKING_TIME).toISOString()).toBe('2026-06-22T05:00:00.000Z');
  });
});
