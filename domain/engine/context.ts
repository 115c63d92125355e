import type { LocalDate } from '../calendar/local-date.ts';
import { stockholmInstant } from '../calendar/stockholm.ts';
import type { RoutineDefinition, StepDefinition } from '../routines/types.ts';
import type { RoleId } from '../roles.ts';
import type { CaseState, Effect, FactValue, TimerAction } from './types.ts';
import { factScope, type Scope } from './values.ts';

/** Hour (Stockholm) at which date-based timers fire, so what they open lands in the working day. */
const TIMER_HOUR = 7;

/**
 * One decision in progress: a private draft of the state and the effects so far. decide() clones
 * the incoming state first, so callers never see mutation.
 */
export type Ctx = {
  def: RoutineDefinition;
  state: CaseState;
  effects: Effect[];
  now: Date;
  nowIso: string;
  today: LocalDate;
};

export function stepDef(ctx: Ctx, stepId: string): StepDefinition | undefined {
  return ctx.def.steps.find((s) => s.id === stepId);
}

export function scopeOf(ctx: Ctx, data: Record<string, FactValue> = {}, opened?: LocalDate): Scope {
  const scope = factScope(ctx.def, ctx.state, ctx.today, data);
  return opened === undefined ? scope : { ...scope, opened };
}

function personFor(ctx: Ctx, role: RoleId): string | null {
  return ctx.state.roles[role] ?? null;
}

export function notify(
  ctx: Ctx,
  role: RoleId,
  kind: 'step_opened' | 'step_completed' | 'step_late' | 'info',
  message: string,
  stepKey?: string,
): void {
  const effect: Effect = { type: 'notify', role, personId: personFor(ctx, role), kind, message };
  ctx.effects.push(stepKey === undefined ? effect : { ...effect, stepKey });
}

export function setTimer(ctx: Ctx, key: string, date: LocalDate, action: TimerAction): void {
  const at = stockholmInstant(date, TIMER_HOUR).toISOString();
  ctx.state.timers[key] = { at, action };
  ctx.effects.push({ type: 'set_timer', key, at, action });
}

export function cancelTimer(ctx: Ctx, key: string): void {
  if (!(key in ctx.state.timers)) return;
  delete ctx.state.timers[key];
  ctx.effects.push({ type: 'cancel_timer', key });
}

export function isPhaseActive(ctx: Ctx, step: StepDefinition): boolean {
  return step.phases.some((p) => ctx.state.phases.includes(p));
}
