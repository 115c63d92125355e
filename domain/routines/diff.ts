import type { RoutineDefinition, StepDefinition } from './types.ts';

/**
 * What changed between two versions of a routine, in the terms a municipality reviews: steps
 * added or removed, and for each kept step its deadline, role, opening and condition; the params
 * (day counts, the AU calendar) and who may start it.
 */
export function diffRoutines(a: RoutineDefinition, b: RoutineDefinition): string[] {
  const out: string[] = [];
  const before = new Map(a.steps.map((s) => [s.id, s]));
  const after = new Map(b.steps.map((s) => [s.id, s]));
  for (const [id, s] of after) if (!before.has(id)) out.push(`+ steg ${id}: ${s.title}`);
  for (const [id, s] of before) if (!after.has(id)) out.push(`- steg ${id}: ${s.title}`);
  const aspects: Array<[string, (s: StepDefinition) => unknown]> = [
    ['titel', (s) => s.title],
    ['roll', (s) => s.role],
    ['tidsfrist', (s) => s.deadline ?? null],
    ['startar', (s) => s.opensOn],
    ['villkor', (s) => s.when ?? null],
    ['skeden', (s) => s.phases],
    ['e-post', (s) => s.mailOnComplete ?? null],
  ];
  for (const [id, s] of after) {
    const old = before.get(id);
    if (!old) continue;
    for (const [name, get] of aspects) {
      const x = JSON.stringify(get(old));
      const y = JSON.stringify(get(s));
      if (x !== y) out.push(`~ steg ${id}, ${name}: ${x} → ${y}`);
    }
  }
  const params = new Set([...Object.keys(a.params), ...Object.keys(b.params)]);
  for (const p of params) {
    const x = JSON.stringify(a.params[p] ?? null);
    const y = JSON.stringify(b.params[p] ?? null);
    if (x !== y) out.push(`~ parameter ${p}: ${x} → ${y}`);
  }
  if (JSON.stringify(a.startableBy) !== JSON.stringify(b.startableBy)) out.push(`~ kan startas av: ${a.startableBy.join(', ')} → ${b.startableBy.join(', ')}`);
  if (JSON.stringify(a.closing) !== JSON.stringify(b.closing)) out.push(`~ avslut: ${JSON.stringify(a.closing)} → ${JSON.stringify(b.closing)}`);
  return out;
}
