import { describe, expect, it } from 'vitest';
import { approachingOn, daysWaited, lastDayInTime, reportableIn, waitBand, type DecisionTrack } from '../../../domain/report/ej-verkstallda.ts';
import { insatsFor } from '../../../domain/report/insats.ts';
import { personFacts } from '../../../domain/report/person-facts.ts';
import { parseQuarter, previousQuarter, quarterContaining } from '../../../domain/report/quarter.ts';
import { leadTime, percentile } from '../../../domain/report/stats.ts';

const k4 = parseQuarter('2026K4')!;
const track = (from: string, doneOn: string | null = null, endedOn: string | null = null): DecisionTrack => ({ kind: 'beslut', from, doneOn, endedOn });

describe('quarters', () => {
  it('reads 2026K4 as 1 October to 31 December 2026', () => {
    expect(k4).toMatchObject({ label: '2026K4', from: '2026-10-01', to: '2026-12-31' });
    expect(parseQuarter('2027 k1')).toMatchObject({ from: '2027-01-01', to: '2027-03-31' });
  });
  it('refuses what is not a quarter', () => {
    for (const bad of ['2026K5', '2026Q4', 'K4', '2026-10']) expect(parseQuarter(bad)).toBeUndefined();
  });
  it('finds the quarter of a day and the one before', () => {
    expect(quarterContaining('2026-05-31').label).toBe('2026K2');
    expect(previousQuarter(parseQuarter('2027K1')!).label).toBe('2026K4');
  });
});

describe('ej verkställda beslut', () => {
  it('counts three months as lag 1930:173 does: 2026-05-31 is in time until 2026-08-31, 2026-11-30 until 2027-02-28', () => {
    expect(lastDayInTime('2026-05-31')).toBe('2026-08-31');
    expect(lastDayInTime('2026-11-30')).toBe('2027-02-28');
  });
  it('reports a decision not carried out within three months whose time ran out before the quarter ended', () => {
    expect(reportableIn(track('2026-08-15'), k4)).toBe(true);
    expect(reportableIn(track('2026-03-01'), k4)).toBe(true);
  });
  it('does not report one whose three months end on or after the quarter’s last day', () => {
    expect(reportableIn(track('2026-09-30'), k4)).toBe(true);
    expect(reportableIn(track('2026-10-01'), k4)).toBe(false);
    expect(reportableIn(track('2026-11-02'), k4)).toBe(false);
  });
  it('does not report one carried out in time, even on the last day', () => {
    expect(reportableIn(track('2026-07-10', '2026-10-10'), k4)).toBe(false);
  });
  it('reports one carried out late within the quarter, and not one carried out late before it', () => {
    expect(reportableIn(track('2026-06-01', '2026-11-20'), k4)).toBe(true);
    expect(reportableIn(track('2026-04-01', '2026-09-20'), k4)).toBe(false);
  });
  it('does not report one ended within three months, but does one ended later within the quarter', () => {
    expect(reportableIn(track('2026-08-01', null, '2026-09-15'), k4)).toBe(false);
    expect(reportableIn(track('2026-06-01', null, '2026-10-20'), k4)).toBe(true);
  });
  it('reports an interruption not resumed within three months like a decision', () => {
    expect(reportableIn({ kind: 'avbrott', from: '2026-07-01', doneOn: null, endedOn: null }, k4)).toBe(true);
    expect(reportableIn({ kind: 'avbrott', from: '2026-07-01', doneOn: '2026-09-01', endedOn: null }, k4)).toBe(false);
  });
  it('counts days waited to the day carried out or the quarter’s end, and bands them', () => {
    expect(daysWaited(track('2026-09-01'), '2026-12-31')).toBe(121);
    expect(daysWaited(track('2026-06-01', '2026-11-01'), '2026-12-31')).toBe(153);
    expect(waitBand(track('2026-09-01'), '2026-12-31')).toBe('3–6 månader');
    expect(waitBand(track('2025-11-01'), '2026-12-31')).toBe('mer än 12 månader');
  });
  it('warns from two months until the last day in time', () => {
    expect(approachingOn(track('2026-09-10'), '2026-11-09')).toBeUndefined();
    expect(approachingOn(track('2026-09-10'), '2026-11-10')).toEqual({ lastDay: '2026-12-10', daysLeft: 30 });
    expect(approachingOn(track('2026-09-10'), '2026-12-11')).toBeUndefined();
    expect(approachingOn(track('2026-09-10', '2026-11-20'), '2026-11-25')).toBeUndefined();
  });
});

describe('what the report says about the person', () => {
  it('reads födelseår and kön from the second last digit of a personnummer', () => {
    expect(personFacts('194511302389')).toEqual({ fodelsear: 1945, kon: 'kvinna' });
    expect(personFacts('199001011234')).toEqual({ fodelsear: 1990, kon: 'man' });
    expect(personFacts('19900101-1234')).toBeUndefined();
  });
  it('names the insats and lagrum from the recorded legal basis', () => {
    expect(insatsFor('LSS 9 § 9').lagrum).toBe('LSS 9 § 9');
    expect(insatsFor('LSS9§8').lagrum).toBe('LSS 9 § 8');
    expect(insatsFor('SoL').insats).toMatch(/SoL/);
  });
});

describe('lead-time figures', () => {
  it('takes the median and 90th percentile by nearest rank', () => {
    expect(percentile([], 50)).toBeNull();
    expect(leadTime([5, 1, 3, 2, 4])).toEqual({ count: 5, median: 3, p90: 5 });
    expect(leadTime(Array.from({ length: 10 }, (_, i) => i + 1))).toEqual({ count: 10, median: 5, p90: 9 });
  });
});
