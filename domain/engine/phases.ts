import type { PhaseDefinition } from '../routines/types.ts';
import { cancelTimer, stepDef, scopeOf, type Ctx } from './context.ts';
import { refuse, type Refusal } from './refusals.ts';
import { currentInstance, currentRound } from './step-keys.ts';
import { phaseTimerKey, tryOpen } from './steps.ts';
import type { FactValue } from './types.ts';
import { checkRules, validateCaptures } from './validate.ts';

/**
 * Begins a phase (a variant of the routine) on the case: validates its data and rules, starts a
 * new round of its steps if they ran before (a second förändrade behov), and opens its first steps.
 */
export function beginPhase(ctx: Ctx, phase: PhaseDefinition, data: Record<string, FactValue>): Refusal | undefined {
  const steps = ctx.def.steps.filter((s) => s.phases.includes(phase.id));
  const running = steps.some((s) => currentInstance(ctx.state, s.id)?.status === 'open');
  if (running) return refuse('rule_not_met', `”${phase.title}” pågår redan på ärendet; slutför de öppna stegen först.`);
  const captured = validateCaptures(phase.captures ?? [], data, scopeOf(ctx));
  if (!captured.ok) return captured;
  const broken = checkRules(phase.rules ?? [], scopeOf(ctx, captured.values));
  if (broken) return broken;
  for (const field of phase.captures ?? []) {
    const value = captured.values[field.name];
    if (value !== undefined) ctx.state.facts[field.fact ?? field.name] = value;
  }
  cancelTimer(ctx, phaseTimerKey(phase.id));
  for (const s of steps) if (currentInstance(ctx.state, s.id)) ctx.state.rounds[s.id] = currentRound(ctx.state, s.id) + 1;
  if (!ctx.state.phases.includes(phase.id)) ctx.state.phases.push(phase.id);
  for (const s of steps) {
    const def = stepDef(ctx, s.id);
    if (def && def.opensOn.on === 'phase_start') tryOpen(ctx, def);
  }
  return undefined;
}
