import { describe, expect, it } from 'vitest';
import { loadConfig, parseClockOffset } from '../../config.ts';
import { problemsOf } from '../support/config-problems.ts';
import { stockholmInstant } from '../../domain/calendar/stockholm.ts';
import { configuredClock, manualClock } from '../../lib/clock.ts';

describe('the training and demo clock', () => {
  it('reads a signed offset in days, hours and minutes', () => {
    expect(parseClockOffset('+3d')).toBe(3 * 86_400_000);
    expect(parseClockOffset('-2h30m')).toBe(-(2 * 3_600_000 + 30 * 60_000));
    expect(parseClockOffset('1d6h')).toBe(30 * 3_600_000);
    expect(parseClockOffset('tre dagar')).toBeUndefined();
    expect(parseClockOffset('+')).toBeUndefined();
  });

  it('is the system clock when nothing is set', () => {
    expect(loadConfig({}).clock).toEqual({ offsetMs: 0, start: undefined });
  });

  it('starts at a Stockholm time and runs on from there', () => {
    const config = loadConfig({ CLOCK_START: '2026-12-21 06:55' });
    expect(config.clock.start).toEqual(stockholmInstant('2026-12-21', 6, 55));
    const real = manualClock(new Date('2030-01-01T12:00:00Z'));
    const clock = configuredClock(config.clock, real);
    expect(clock.now()).toEqual(stockholmInstant('2026-12-21', 6, 55));
    real.advance(90 * 60_000);
    expect(clock.now()).toEqual(stockholmInstant('2026-12-21', 8, 25));
  });

  it('shifts the clock by the offset', () => {
    const real = manualClock(new Date('2026-12-01T08:00:00Z'));
    const clock = configuredClock(loadConfig({ CLOCK_OFFSET: '+20d' }).clock, real);
    expect(clock.now()).toEqual(new Date('2026-12-21T08:00:00Z'));
  });

  it('is refused in production, with the reason', () => {
    const key = { NODE_ENV: 'production', PNR_ENCRYPTION_KEY: 'a'.repeat(64) };
    expect(problemsOf({ ...key, CLOCK_OFFSET: '+1d' })).toEqual([expect.stringMatching(/^CLOCK_OFFSET: .*inte tillåtet när NODE_ENV=production/)]);
    expect(problemsOf({ ...key, CLOCK_START: '2026-12-21 07:00' })).toEqual([expect.stringMatching(/^CLOCK_START: .*inte tillåtet när NODE_ENV=production/)]);
  });

  it('refuses a malformed value and both settings at once', () => {
    expect(problemsOf({ CLOCK_START: '21 december' })[0]).toMatch(/^CLOCK_START \("21 december"\): .*ÅÅÅÅ-MM-DD TT:MM/);
    expect(problemsOf({ CLOCK_OFFSET: '3 dagar' })[0]).toMatch(/^CLOCK_OFFSET \("3 dagar"\): /);
    expect(problemsOf({ CLOCK_OFFSET: '+1d', CLOCK_START: '2026-12-21 07:00' })).toEqual(['CLOCK_OFFSET och CLOCK_START: ange högst en av dem']);
  });
});
