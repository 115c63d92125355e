import { addDuration, isLocalDate, type LocalDate } from '../calendar/local-date.ts';
import { addWorkingDays, adjustDate } from '../calendar/working-days.ts';
import type { Amount, Condition, DateRef, DateRule, RoleRule, RoutineDefinition } from '../routines/types.ts';
import type { RoleId } from '../roles.ts';
import type { CaseState, FactValue } from './types.ts';
import { currentInstance } from './step-keys.ts';

/** What conditions and date rules read: the case's facts overlaid with the event's data. */
export type Scope = {
  def: RoutineDefinition;
  state: CaseState;
  values: Record<string, FactValue>;
  today: LocalDate;
  /** The day the step in question opened, for 'opened'-relative rules. */
  opened?: LocalDate;
};

export function resolveAmount(amount: Amount | undefined, def: RoutineDefinition): number {
  if (amount === undefined) return 0;
  if (typeof amount === 'number') return amount;
  const value = def.params[amount.param];
  if (typeof value !== 'number') throw new Error(`Routine ${def.id} v${def.version}: param ${amount.param} is not a number`);
  return value;
}

export function resolveDateRef(ref: DateRef, scope: Scope): LocalDate | undefined {
  if (ref === 'today') return scope.today;
  if (ref === 'opened') return scope.opened ?? scope.today;
  const value = scope.values[ref.fact];
  return isLocalDate(value) ? value : undefined;
}

/** The unadjusted date of a rule (months, then days, then working days). */
export function rawDate(rule: DateRule, scope: Scope): LocalDate | undefined {
  const base = resolveDateRef(rule.from, scope);
  if (base === undefined) return undefined;
  const add = rule.add ?? {};
  const shifted = addDuration(base, { months: resolveAmount(add.months, scope.def), days: resolveAmount(add.days, scope.def) });
  const workingDays = resolveAmount(add.workingDays, scope.def);
  return workingDays === 0 ? shifted : addWorkingDays(shifted, workingDays);
}

/** A deadline moves to the next working day; a validity date never moves. */
export function evaluateDateRule(rule: DateRule, scope: Scope): LocalDate | undefined {
  const raw = rawDate(rule, scope);
  return raw === undefined ? undefined : adjustDate(raw, rule.kind);
}

export function evaluateCondition(condition: Condition, scope: Scope): boolean {
  if ('all' in condition) return condition.all.every((c) => evaluateCondition(c, scope));
  if ('any' in condition) return condition.any.some((c) => evaluateCondition(c, scope));
  if ('not' in condition) return !evaluateCondition(condition.not, scope);
  if ('stepDone' in condition) return currentInstance(scope.state, condition.stepDone)?.status === 'done';
  if ('phase' in condition) return scope.state.phases.includes(condition.phase);
  const value = scope.values[condition.fact];
  if ('exists' in condition) return (value !== undefined && value !== null) === condition.exists;
  if ('in' in condition) return value !== undefined && value !== null && condition.in.includes(value);
  return (value ?? null) === condition.equals;
}

export function resolveRole(rule: RoleRule, scope: Scope): RoleId {
  if (typeof rule === 'string') return rule;
  if ('anyOf' in rule) return rule.anyOf[0] ?? 'socialsekreterare';
  return evaluateCondition(rule.when, scope) ? rule.then : rule.else;
}

export function factScope(def: RoutineDefinition, state: CaseState, today: LocalDate, data: Record<string, FactValue> = {}): Scope {
  return { def, state, today, values: { ...state.facts, ...data } };
}

/** Who may complete the instance: its resolved role, or any of the roles the step allows. */
export function allowedRoles(rule: RoleRule, resolved: RoleId): RoleId[] {
  return typeof rule === 'object' && 'anyOf' in rule ? rule.anyOf : [resolved];
}
