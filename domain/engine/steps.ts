import { compareDates, type LocalDate } from '../calendar/local-date.ts';
import type { DeadlineRule, StepDefinition } from '../routines/types.ts';
import type { RoleId } from '../roles.ts';
import { nextWorkingDay } from '../calendar/working-days.ts';
import { cancelTimer, isPhaseActive, notify, scopeOf, setTimer, stepDef, type Ctx } from './context.ts';
import { closeCase } from './close.ts';
import { interpolate, completedMessage, occurrenceTitle, openedInfoMessage, openedMessage } from './messages.ts';
import { startRecurrence, recurTimerKey, scheduleNextOccurrence, type Occurrence } from './recurrence.ts';
import { currentInstance, currentRound, lateTimerKey, stepKey } from './step-keys.ts';
import type { FactValue, StepState } from './types.ts';
import { evaluateCondition, evaluateDateRule, resolveRole } from './values.ts';
import { auSubmissionDeadline } from './au-calendar.ts';

function openTimerKey(stepId: string): string {
  return `open:${stepId}`;
}

export function phaseTimerKey(phase: string): string {
  return `phase:${phase}`;
}

function newInstance(ctx: Ctx, step: StepDefinition, occurrence: string | null, role: RoleId, due: LocalDate | null): StepState {
  const round = currentRound(ctx.state, step.id);
  const key = stepKey(step.id, round, occurrence);
  ctx.state.seq += 1;
  const instance: StepState = {
    key,
    stepId: step.id,
    round,
    occurrence,
    status: 'open',
    role,
    seq: ctx.state.seq,
    openedAt: ctx.nowIso,
    due,
    completedAt: null,
    completedBy: null,
    data: {},
    lateNotifiedAt: null,
  };
  ctx.state.steps[key] = instance;
  return instance;
}

function computeDue(ctx: Ctx, rule: DeadlineRule | undefined): LocalDate | null {
  if (!rule) return null;
  if (rule.type === 'au_submission') return auSubmissionDeadline(ctx, rule.meetingsParam);
  if (rule.type === 'occurrence') return null;
  return evaluateDateRule(rule, scopeOf(ctx, {}, ctx.today)) ?? null;
}

/** Opens a step (or an occurrence of a recurring one); a step whose `when` fails is skipped. */
export function openStep(ctx: Ctx, step: StepDefinition, occurrence: Occurrence | null = null): void {
  if (!isPhaseActive(ctx, step) || ctx.state.status === 'closed') return;
  const key = stepKey(step.id, currentRound(ctx.state, step.id), occurrence?.id ?? null);
  if (ctx.state.steps[key]) return;
  const scope = scopeOf(ctx);
  const role = resolveRole(step.role, scope);
  if (step.when && !evaluateCondition(step.when, scope)) {
    newInstance(ctx, step, null, role, null).status = 'skipped';
    cascadeFrom(ctx, step.id);
    return;
  }
  const due = occurrence ? occurrence.due : computeDue(ctx, step.deadline);
  const instance = newInstance(ctx, step, occurrence?.id ?? null, role, due);
  const title = occurrenceTitle(step.title, instance.occurrence);
  if (step.completedBy.by === 'system') {
    completeInstance(ctx, instance, { personId: 'system', role }, {});
    return;
  }
  const notes = (step.notes ?? []).filter((n) => evaluateCondition(n.when, scope)).map((n) => interpolate(n.text, scope.values));
  notify(ctx, role, 'step_opened', openedMessage(ctx.state.caseRef, title, due, notes), key);
  for (const other of step.notify?.onOpen ?? []) {
    if (other !== role) notify(ctx, other, 'info', openedInfoMessage(ctx.state.caseRef, title, role), key);
  }
  // The late timer fires the morning of the next working day after the due day: until then the
  // step is not late, and nobody is told so on a Saturday or julafton.
  if (due) setTimer(ctx, lateTimerKey(key), nextWorkingDay(due), { type: 'step_late', stepKey: key });
}

/** Reaching a step: recurring steps start their series, the others open once per round. */
function triggerStep(ctx: Ctx, step: StepDefinition): void {
  if (step.recurrence) {
    if (!isPhaseActive(ctx, step) || recurTimerKey(step.id) in ctx.state.timers) return;
    startRecurrence(ctx, step, (o) => openStep(ctx, step, o));
    return;
  }
  openStep(ctx, step);
}

export function openOccurrence(ctx: Ctx, step: StepDefinition, o: Occurrence): void {
  openStep(ctx, step, o);
  scheduleNextOccurrence(ctx, step, o.index);
}

function dependenciesMet(ctx: Ctx, step: StepDefinition): boolean {
  if (step.opensOn.on === 'phase_start') return true;
  if (step.opensOn.on !== 'steps_done') return false;
  const states = step.opensOn.steps.map((id) => currentInstance(ctx.state, id)?.status);
  return step.opensOn.mode === 'any'
    ? states.some((s) => s === 'done')
    : states.every((s) => s === 'done' || s === 'skipped');
}

/** A branch not taken stays not taken: a step that only follows skipped steps is skipped too. */
function onlyAfterSkipped(ctx: Ctx, step: StepDefinition): boolean {
  return step.opensOn.on === 'steps_done' && step.opensOn.steps.every((id) => currentInstance(ctx.state, id)?.status === 'skipped');
}

/** Opens the step if it is reachable now and has not been reached in its current round. */
export function tryOpen(ctx: Ctx, step: StepDefinition): void {
  if (!isPhaseActive(ctx, step) || currentInstance(ctx.state, step.id)) return;
  if (onlyAfterSkipped(ctx, step)) {
    newInstance(ctx, step, null, resolveRole(step.role, scopeOf(ctx)), null).status = 'skipped';
    cascadeFrom(ctx, step.id);
    return;
  }
  if (dependenciesMet(ctx, step)) triggerStep(ctx, step);
}

function cascadeFrom(ctx: Ctx, doneStepId: string): void {
  for (const step of ctx.def.steps) {
    if (step.opensOn.on === 'steps_done' && step.opensOn.steps.includes(doneStepId)) tryOpen(ctx, step);
  }
}

export type CompletedBy = { personId: string; role: RoleId };

/** Marks the instance done with its validated data and runs everything the routine ties to it. */
export function completeInstance(ctx: Ctx, instance: StepState, by: CompletedBy, values: Record<string, FactValue>): void {
  const step = stepDef(ctx, instance.stepId);
  if (!step) return;
  instance.status = 'done';
  instance.completedAt = ctx.nowIso;
  instance.completedBy = by;
  instance.data = values;
  for (const field of step.captures ?? []) {
    const value = values[field.name];
    if (value !== undefined) ctx.state.facts[field.fact ?? field.name] = value;
  }
  for (const d of step.derive ?? []) {
    const date = evaluateDateRule(d.rule, scopeOf(ctx));
    if (date !== undefined) ctx.state.facts[d.fact] = date;
  }
  cancelTimer(ctx, lateTimerKey(instance.key));
  const title = occurrenceTitle(step.title, instance.occurrence);
  for (const role of step.notify?.onComplete ?? []) {
    notify(ctx, role, 'step_completed', completedMessage(ctx.state.caseRef, title, instance, ctx.today), instance.key);
  }
  const scope = scopeOf(ctx);
  for (const mail of step.mailOnComplete ?? []) {
    if (mail.when && !evaluateCondition(mail.when, scope)) continue;
    ctx.effects.push({ type: 'send_mail', to: mail.to, template: mail.template, data: mailData(ctx, mail.fields, instance.key) });
  }
  armTimers(ctx, step.id);
  for (const id of step.cancels ?? []) {
    const other = currentInstance(ctx.state, id);
    if (other?.status === 'open') {
      other.status = 'cancelled';
      cancelTimer(ctx, lateTimerKey(other.key));
    }
  }
  if (step.startCase && evaluateCondition(step.startCase.when, scope)) {
    const phase = typeof step.startCase.phase === 'string' ? step.startCase.phase : String(scope.values[step.startCase.phase.fact] ?? '');
    const facts: Record<string, FactValue> = {};
    for (const name of step.startCase.facts ?? []) if (name in ctx.state.facts) facts[name] = ctx.state.facts[name] ?? null;
    ctx.effects.push({ type: 'start_case', routineId: step.startCase.routineId, phase, fromCaseRef: ctx.state.caseRef, facts, roles: { ...ctx.state.roles } });
  }
  if (step.restart && evaluateCondition(step.restart.when, scope)) {
    for (const id of step.restart.steps) ctx.state.rounds[id] = currentRound(ctx.state, id) + 1;
    for (const id of step.restart.steps) {
      const s = stepDef(ctx, id);
      if (s) tryOpen(ctx, s);
    }
  }
  if (instance.occurrence === null) cascadeFrom(ctx, step.id);
  if (step.closeCase && evaluateCondition(step.closeCase.when, scope)) closeCase(ctx, ctx.today, step.closeCase.reason);
}

/** Only the named facts go into a mail; with none named, the mail carries the case ref alone. */
function mailData(ctx: Ctx, fields: readonly string[] | undefined, stepKeyValue?: string): Record<string, FactValue> {
  const data: Record<string, FactValue> = { caseRef: ctx.state.caseRef };
  if (stepKeyValue !== undefined) data['stepKey'] = stepKeyValue;
  for (const name of fields ?? []) data[name] = ctx.state.facts[name] ?? null;
  return data;
}

/** Timers armed by a completed step: steps that open later, phases that begin later. */
function armTimers(ctx: Ctx, doneStepId: string): void {
  for (const step of ctx.def.steps) {
    if (step.opensOn.on !== 'timer') continue;
    if (step.opensOn.cancelledBy?.includes(doneStepId)) cancelTimer(ctx, openTimerKey(step.id));
    if (step.opensOn.armedBy !== doneStepId || !isPhaseActive(ctx, step)) continue;
    const at = evaluateDateRule(step.opensOn.at, scopeOf(ctx, {}, ctx.today));
    if (at === undefined) continue;
    if (compareDates(at, ctx.today) <= 0) openStep(ctx, step);
    else setTimer(ctx, openTimerKey(step.id), at, { type: 'open_step', stepId: step.id });
  }
  for (const phase of ctx.def.phases) {
    if (phase.timer?.armedBy !== doneStepId) continue;
    const at = evaluateDateRule(phase.timer.at, scopeOf(ctx, {}, ctx.today));
    if (at !== undefined) setTimer(ctx, phaseTimerKey(phase.id), at, { type: 'begin_phase', phase: phase.id });
  }
}
