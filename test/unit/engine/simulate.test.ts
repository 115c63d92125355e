import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { routineShowCommand, routinesCommand, simulateCommand } from '../../../cli/routines.ts';
import { simulate, type TimedEvent } from '../../../domain/engine/simulate.ts';
import { shippedRoutines } from '../../support/routines.ts';

type ExampleFile = TimedEvent[] | { until?: string; events: TimedEvent[] };

function example(id: string): { events: TimedEvent[]; until?: string } {
  const parsed = JSON.parse(readFileSync(new URL(`../../../domain/routines/examples/${id}.json`, import.meta.url), 'utf8')) as ExampleFile;
  return Array.isArray(parsed) ? { events: parsed } : parsed;
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
    expect(await routinesCommand.run([], { io: c.io })).toBe(0);
    for (const r of shippedRoutines.all) expect(c.out()).toContain(`${r.id}\tversion ${r.version}`);
  });

  it('shows a routine in Swedish with roles and deadline rules', async () => {
    const c = capture();
    expect(await routineShowCommand.run(['extern-placering'], { io: c.io })).toBe(0);
    expect(c.out()).toContain('Ansvarig: socialsekreterare/handläggare');
    expect(c.out()).toContain('sista inlämningsdag före nästa AU-sammanträde');
    expect(c.out()).toContain('varje månad, senast den 10 (manadsrapportDueDay):e');
  });

  it('prints the simulated timeline as JSON', async () => {
    const c = capture();
    const file = new URL('../../../domain/routines/examples/boendekoordination.json', import.meta.url).pathname;
    expect(await simulateCommand.run(['boendekoordination', '--events', file], { io: c.io })).toBe(0);
    const printed = JSON.parse(c.out()) as { timeline: Array<{ stepKey: string }>; refusals: unknown[] };
    expect(printed.refusals).toEqual([]);
    expect(printed.timeline.map((t) => t.stepKey)).toContain('svar#2');
  });
});
