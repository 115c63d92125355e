import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../main.ts';
import { simulate, type TimedEvent } from '../../../domain/engine/simulate.ts';
import { shippedRoutines } from '../../support/routines.ts';

type ExampleFile = TimedEvent[] | { until?: string; events: TimedEvent[] };

function example(id: string): { events: TimedEvent[]; until?: string } {
  const parsed = JSON.parse(readFileSync(new URL(`../../../domain/routines/examples/${id}.json`, import.meta.url), 'utf8')) as ExampleFile;
  return Array.isArray(parsed) ? { events: parsed } : parsed;
}

function tempEvents<K extends string>(files: Record<K, unknown>): Record<K, string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'simulate-'));
  const written = {} as Record<K, string>;
  for (const name of Object.keys(files) as K[]) {
    written[name] = path.join(dir, `${name}.json`);
    writeFileSync(written[name], JSON.stringify(files[name]));
  }
  return written;
}

function capture(): { io: { stdout: (t: string) => void; stderr: (t: string) => void }; out: () => string } {
  let out = '';
  return { io: { stdout: (t) => { out += t; }, stderr: (t) => { out += t; } }, out: () => out };
}

describe('simulate', () => {
  it.each(['ramavtal-bb', 'extern-placering', 'boendestod-lov', 'boendekoordination'])('runs the %s example with no refusal', (id) => {
    const { events, until } = example(id);
    const result = simulate(events, until === undefined ? { routines: shippedRoutines.find } : { until, routines: shippedRoutines.find });
    expect(result.refusals).toEqual([]);
    expect(result.timeline.length).toBeGreaterThan(5);
  });

  it('shows the follow-up BB opened by its timer in the ramavtal example', () => {
    const { events, until } = example('ramavtal-bb');
    const result = simulate(events, until === undefined ? { routines: shippedRoutines.find } : { until, routines: shippedRoutines.find });
    expect(result.timeline.find((t) => t.stepKey === 'bb_uppf')).toMatchObject({ opened: '2026-02-28T06:00:00.000Z', role: 'planeringsledare' });
  });

  it('shows the monthly reports in the extern placering example, the October one moved to Monday the 12th', () => {
    const { events, until } = example('extern-placering');
    const result = simulate(events, until === undefined ? { routines: shippedRoutines.find } : { until, routines: shippedRoutines.find });
    expect(result.timeline.find((t) => t.stepKey === 'manadsrapport:2026-10')).toMatchObject({ due: '2026-10-12', completedByRole: 'leverantor' });
    expect(result.timeline.find((t) => t.stepKey === 'manadsrapport:2026-11')).toMatchObject({ due: '2026-11-10', completed: null });
  });

  it('reports the refusal of a move before the planeringsledare dialogue in the intern flytt example', () => {
    const result = simulate(example('intern-flytt').events, { routines: shippedRoutines.find });
    expect(result.refusals).toEqual([expect.objectContaining({ reason: 'rule_not_met', eventType: 'complete' })]);
    expect(result.final?.status).toBe('closed');
  });
});

describe('routine commands', () => {
  it('lists every routine with its version', async () => {
    const c = capture();
    expect(await runCli(['routines'], c.io)).toBe(0);
    for (const r of shippedRoutines.all) expect(c.out()).toContain(`${r.id}\tversion ${r.version}`);
  });

  it('shows a routine in Swedish with roles and deadline rules', async () => {
    const c = capture();
    expect(await runCli(['routine', 'show', 'extern-placering'], c.io)).toBe(0);
    expect(c.out()).toContain('Ansvarig: socialsekreterare/handläggare');
    expect(c.out()).toContain('sista inlämningsdag före nästa AU-sammanträde');
    expect(c.out()).toContain('varje månad, senast den 10 (manadsrapportDueDay):e');
  });

  it('prints the rules, the parameters, who may start, and shared steps under every phase', async () => {
    const c = capture();
    expect(await runCli(['routine', 'show', 'ramavtal-bb'], c.io)).toBe(0);
    expect(c.out()).toContain('Kan startas av: socialsekreterare/handläggare eller enhetschef på myndighet');
    expect(c.out()).toContain('  uppfoljandeBbMonths = 3');
    expect(c.out()).toContain('Regel: Det förändrade behovet ska ha funnits i minst 3 månader innan en ny behovsbedömning begärs. (changeRequestedOn minst 3 (changedNeedMinMonths) månader efter needAroseOn)');
    expect(c.out()).toContain('Räknar ut followUpContractFrom: 3 månader + 1 dag från moveInDate (giltighetsdag, flyttas inte)');
    expect(c.out()).toContain('(faller den på en fridag flyttas den till nästa vardag)');
    const lov = capture();
    expect(await runCli(['routine', 'show', 'boendestod-lov'], lov.io)).toBe(0);
    // beslut belongs to both phases and is listed under each.
    expect(lov.out().match(/\[beslut\]/gu)).toHaveLength(2);
    expect(lov.out()).toContain('vardagen efter fristen 2 (valMonths) månader från decisionDate');
  });

  it('prints every fact the engine stores, and takes --until as the end of that day in Stockholm', async () => {
    const c = capture();
    const file = new URL('../../../domain/routines/examples/ramavtal-bb.json', import.meta.url).pathname;
    expect(await runCli(['simulate', 'ramavtal-bb', '--events', file, '--until', '2026-02-28'], c.io)).toBe(0);
    const printed = JSON.parse(c.out()) as { timeline: Array<{ stepKey: string }>; facts: Record<string, unknown> };
    for (const fact of ['placementStart', 'followUpContractFrom', 'contractFrom', 'contractUntil']) expect(printed.facts[fact]).toMatch(/^\d{4}-\d\d-\d\d$/u);
    expect(printed.facts['dailyPrice']).toBeTypeOf('number');
    // The follow-up phase begins 07:00 on 2026-02-28: within that day, so it is on the timeline.
    expect(printed.timeline.map((t) => t.stepKey)).toContain('bb_uppf');
  });

  it('refuses an unknown event type and an event without its actor, naming the index', async () => {
    const files = tempEvents({
      unknown: [{ at: '2026-01-05T09:00:00+01:00', event: { type: 'start', caseRef: 'X-1', phase: 'infor_kop' } }, { at: '2026-01-06T09:00:00+01:00', event: { type: 'compleet', stepKey: 'beslut_kop' } }],
      noActor: [{ at: '2026-01-05T09:00:00+01:00', event: { type: 'start', caseRef: 'X-1', phase: 'infor_kop' } }, { at: '2026-01-06T09:00:00+01:00', event: { type: 'complete', stepKey: 'beslut_kop' } }],
    });
    const a = capture();
    expect(await runCli(['simulate', 'ramavtal-bb', '--events', files.unknown], a.io)).toBe(1);
    expect(a.out()).toContain('Händelse 1: okänd händelsetyp ”compleet”.');
    const b = capture();
    expect(await runCli(['simulate', 'ramavtal-bb', '--events', files.noActor], b.io)).toBe(1);
    expect(b.out()).toMatch(/^Händelse 1 \(complete\): actor: /u);
  });

  it('prints the simulated timeline as JSON', async () => {
    const c = capture();
    const file = new URL('../../../domain/routines/examples/boendekoordination.json', import.meta.url).pathname;
    expect(await runCli(['simulate', 'boendekoordination', '--events', file], c.io)).toBe(0);
    const printed = JSON.parse(c.out()) as { timeline: Array<{ stepKey: string }>; refusals: unknown[] };
    expect(printed.refusals).toEqual([]);
    expect(printed.timeline.map((t) => t.stepKey)).toContain('svar#2');
  });
});
