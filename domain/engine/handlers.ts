import { compareDates, isLocalDate } from '../calendar/local-date.ts';
import { adjustDate, nextWorkingDay } from '../calendar/working-days.ts';
import { roleTitle, type RoleId } from '../roles.ts';
import type { RoutineDefinition, StepDefinition } from '../routines/types.ts';
import { cancelTimer, notify, scopeOf, setTimer, stepDef, type Ctx } from './context.ts';
import { closeCase } from './close.ts';
import { lateMessage, occurrenceTitle, wrongRoleMessage } from './messages.ts';
import { beginPhase } from './phases.ts';
import { refuse, type Refusal } from './refusals.ts';
import { instancesOf, lateTimerKey, stepKey } from './step-keys.ts';
import { completeInstance, openOccurrence, openStep } from './steps.ts';
import type { Actor, CaseEvent, CaseState, FactValue, StepState } from './types.ts';
import { checkRules, validateCaptures } from './validate.ts';
import { allowedRoles, evaluateDateRule, rawDate, resolveRole } from './values.ts';

type EventOf<T extends CaseEvent['type']> = Extract<CaseEvent, { type: T }>;

function actingRole(actor: Actor, allowed: readonly RoleId[]): RoleId | undefined {
  return allowed.find((r) => actor.roles.includes(r));
}

/** Validates the data against the step's fields and rules, then completes it. */
function validateAndComplete(
  ctx: Ctx,
  step: StepDefinition,
  instance: StepState,
  by: { personId: string; role: RoleId },
  data: Record<string, FactValue>,
): Refusal | undefined {
  const captured = validateCaptures(step.captures ?? [], data, scopeOf(ctx));
  if (!captured.ok) return captured;
  const broken = checkRules(step.rules ?? [], scopeOf(ctx, captured.values));
  if (broken) return broken;
  completeInstance(ctx, instance, by, captured.values);
  return undefined;
}

function notOpenMessage(instance: StepState, title: string): string {
  if (instance.status === 'done') return `”${title}” är redan klart (${roleTitle(instance.completedBy?.role ?? instance.role)}, ${instance.completedAt?.slice(0, 10) ?? ''}).`;
  if (instance.status === 'skipped') return `”${title}” behövs inte i det här ärendet.`;
  return `”${title}” är avbrutet.`;
}

export function handleComplete(ctx: Ctx, event: EventOf<'complete'>): Refusal | undefined {
  const instance = ctx.state.steps[event.stepKey];
  const step = instance ? stepDef(ctx, instance.stepId) : stepDef(ctx, event.stepKey.split(/[#:]/)[0] ?? '');
  if (!step) return refuse('unknown_step', `Steget ”${event.stepKey}” finns inte i rutinen ${ctx.def.title}.`);
  const title = occurrenceTitle(step.title, instance?.occurrence ?? null);
  if (!instance) return refuse('step_not_open', `”${step.title}” är inte öppet ännu.`);
  if (instance.status !== 'open') return refuse('step_not_open', notOpenMessage(instance, title));
  if (step.completedBy.by === 'document') {
    return refuse('step_not_open', `”${title}” blir klart när dokumentet kommer in med e-post.`);
  }
  const allowed = allowedRoles(step.role, instance.role);
  const role = actingRole(event.actor, allowed);
  if (!role) return refuse('wrong_role', wrongRoleMessage(title, allowed));
  return validateAndComplete(ctx, step, instance, { personId: event.actor.personId, role }, event.data ?? {});
}

export function handleRecord(ctx: Ctx, event: EventOf<'record'>): Refusal | undefined {
  const step = stepDef(ctx, event.stepId);
  if (!step) return refuse('unknown_step', `Åtgärden ”${event.stepId}” finns inte i rutinen ${ctx.def.title}.`);
  if (step.opensOn.on !== 'action') return refuse('step_not_open', `”${step.title}” är ett steg i flödet, inte en fri åtgärd.`);
  const after = step.opensOn.availableAfter;
  if (after && !instancesOf(ctx.state, after).some((s) => s.status === 'done')) {
    const prerequisite = stepDef(ctx, after)?.title ?? after;
    return refuse('step_not_open', `”${step.title}” kan göras först när ”${prerequisite}” är klart.`);
  }
  if (!step.phases.some((p) => ctx.state.phases.includes(p))) return refuse('step_not_open', `”${step.title}” hör inte till det här ärendets skede.`);
  const allowed = allowedRoles(step.role, resolveRole(step.role, scopeOf(ctx)));
  const role = actingRole(event.actor, allowed);
  if (!role) return refuse('wrong_role', wrongRoleMessage(step.title, allowed));
  return recordAction(ctx, step, { personId: event.actor.personId, role }, event.data ?? {});
}

function recordAction(ctx: Ctx, step: StepDefinition, by: { personId: string; role: RoleId }, data: Record<string, FactValue>): Refusal | undefined {
  const n = instancesOf(ctx.state, step.id).length + 1;
  const captured = validateCaptures(step.captures ?? [], data, scopeOf(ctx));
  if (!captured.ok) return captured;
  const broken = checkRules(step.rules ?? [], scopeOf(ctx, captured.values));
  if (broken) return broken;
  ctx.state.seq += 1;
  const instance: StepState = {
    key: stepKey(step.id, 1, String(n)),
    stepId: step.id,
    round: 1,
    occurrence: String(n),
    status: 'open',
    role: by.role,
    seq: ctx.state.seq,
    openedAt: ctx.nowIso,
    due: null,
    completedAt: null,
    completedBy: null,
    data: {},
    lateNotifiedAt: null,
  };
  ctx.state.steps[instance.key] = instance;
  completeInstance(ctx, instance, by, captured.values);
  return undefined;
}

/** The first open step an incoming document (the BB) completes, if the case waits for one. */
export function openDocumentStep(def: RoutineDefinition, state: CaseState): StepState | undefined {
  return Object.values(state.steps)
    .filter((s) => s.status === 'open')
    .sort((a, b) => a.seq - b.seq)
    .find((s) => def.steps.find((d) => d.id === s.stepId)?.completedBy.by === 'document');
}

export function handleDocument(ctx: Ctx, event: EventOf<'document'>): Refusal | undefined {
  const open = openDocumentStep(ctx.def, ctx.state);
  const step = open ? stepDef(ctx, open.stepId) : undefined;
  if (!open || !step) return refuse('step_not_open', `Ärendet ${ctx.state.caseRef} väntar ingen behovsbedömning just nu.`);
  const bb = event.bb;
  // Only what the routine needs; the parsed BB's name and personnummer never enter the case state.
  const data: Record<string, FactValue> = {
    bbKind: bb.kind,
    assessedOn: bb.assessedOn,
    dailyPrice: bb.dailyPrice,
    statedDailyPrice: bb.statedDailyPrice,
    priceCheck: bb.priceCheck,
    exception: bb.exception !== null,
    exceptionReason: bb.exception?.reason ?? null,
  };
  return validateAndComplete(ctx, step, open, { personId: event.from ?? 'e-post', role: open.role }, data);
}

export function handleProviderReply(ctx: Ctx, event: EventOf<'provider_reply'>): Refusal | undefined {
  const waits = (s: StepDefinition | undefined): boolean =>
    s?.completedBy.by === 'provider_reply' && s.completedBy.kind === event.kind;
  const data = { ...(event.data ?? {}), date: event.date };
  const open = Object.values(ctx.state.steps)
    .filter((s) => s.status === 'open' && waits(stepDef(ctx, s.stepId)))
    .sort((a, b) => a.seq - b.seq)[0];
  const openDef = open ? stepDef(ctx, open.stepId) : undefined;
  if (open && openDef) return validateAndComplete(ctx, openDef, open, { personId: 'leverantor', role: 'leverantor' }, data);
  // A report the provider sends on its own (absence over 30 days) is an action step.
  const action = ctx.def.steps.find((s) => s.opensOn.on === 'action' && waits(s));
  if (action) return recordAction(ctx, action, { personId: 'leverantor', role: 'leverantor' }, data);
  return refuse('step_not_open', `Ärendet ${ctx.state.caseRef} väntar inget sådant svar från utföraren just nu.`);
}

export function handleTimer(ctx: Ctx, event: EventOf<'timer'>): Refusal | undefined {
  const timer = ctx.state.timers[event.key];
  if (!timer) return refuse('unknown_timer', `Bevakningen ${event.key} finns inte (längre) på ärendet.`);
  delete ctx.state.timers[event.key];
  const action = timer.action;
  switch (action.type) {
    case 'step_late': {
      const instance = ctx.state.steps[action.stepKey];
      const step = instance ? stepDef(ctx, instance.stepId) : undefined;
      if (!instance || !step || instance.status !== 'open') return undefined;
      instance.lateNotifiedAt = ctx.nowIso;
      const message = lateMessage(ctx.state.caseRef, occurrenceTitle(step.title, instance.occurrence), instance);
      const roles = new Set<RoleId>([instance.role, ...(step.notify?.onLate ?? [])]);
      for (const role of roles) notify(ctx, role, 'step_late', message, instance.key);
      return undefined;
    }
    case 'open_step': {
      const step = stepDef(ctx, action.stepId);
      if (step) openStep(ctx, step);
      return undefined;
    }
    case 'open_occurrence': {
      const step = stepDef(ctx, action.stepId);
      if (step) openOccurrence(ctx, step, { index: action.index, id: action.occurrence, openOn: ctx.today, due: action.due });
      return undefined;
    }
    case 'begin_phase': {
      const phase = ctx.def.phases.find((p) => p.id === action.phase);
      return phase ? beginPhase(ctx, phase, {}) : undefined;
    }
  }
}

export function handleBeginPhase(ctx: Ctx, event: EventOf<'begin_phase'>): Refusal | undefined {
  const phase = ctx.def.phases.find((p) => p.id === event.phase);
  if (!phase) return refuse('unknown_step', `Rutinen ${ctx.def.title} har inget skede ”${event.phase}”.`);
  if (!phase.beginBy || phase.beginBy.length === 0) return refuse('wrong_role', `”${phase.title}” startas av systemet, inte för hand.`);
  if (!actingRole(event.actor, phase.beginBy)) return refuse('wrong_role', wrongRoleMessage(phase.title, phase.beginBy));
  return beginPhase(ctx, phase, event.data ?? {});
}

/** Genomförandeplan: "kan handläggaren godkänna en förlängd tidsfrist på upp till totalt en månad". */
export function handleExtend(ctx: Ctx, event: EventOf<'extend'>): Refusal | undefined {
  const instance = ctx.state.steps[event.stepKey];
  const step = instance ? stepDef(ctx, instance.stepId) : undefined;
  if (!instance || !step) return refuse('unknown_step', `Steget ”${event.stepKey}” finns inte på ärendet.`);
  if (instance.status !== 'open') return refuse('step_not_open', notOpenMessage(instance, step.title));
  if (!step.extendable) return refuse('rule_not_met', `Tidsfristen för ”${step.title}” kan inte förlängas.`);
  if (!actingRole(event.actor, [step.extendable.by])) return refuse('wrong_role', wrongRoleMessage(`Förlängning av ”${step.title}”`, [step.extendable.by]));
  if (!isLocalDate(event.until)) return refuse('data_invalid', 'Ogiltig uppgift: nytt sista datum (ska vara ett datum ÅÅÅÅ-MM-DD).');
  const scope = scopeOf(ctx, {}, instance.openedAt.slice(0, 10));
  const raw = rawDate(step.extendable.maxTotal, scope);
  const max = evaluateDateRule(step.extendable.maxTotal, scope);
  if (!raw || !max) return refuse('data_missing', `Startdatum saknas för att räkna ut längsta förlängning av ”${step.title}”.`);
  if (compareDates(event.until, max) > 0) return refuse('rule_not_met', `Tidsfristen för ”${step.title}” kan förlängas till högst ${max}.`);
  if (instance.due && compareDates(event.until, instance.due) <= 0) return refuse('data_invalid', `Det nya datumet måste vara senare än ${instance.due}.`);
  instance.due = adjustDate(event.until, 'deadline');
  instance.lateNotifiedAt = null;
  cancelTimer(ctx, lateTimerKey(instance.key));
  setTimer(ctx, lateTimerKey(instance.key), nextWorkingDay(instance.due), { type: 'step_late', stepKey: instance.key });
  notify(ctx, instance.role, 'info', `${ctx.state.caseRef}: tidsfristen för ”${step.title}” är förlängd till ${instance.due}.`, instance.key);
  return undefined;
}

export function handleAssignRole(ctx: Ctx, event: EventOf<'assign_role'>): Refusal | undefined {
  ctx.state.roles[event.role] = event.personId;
  return undefined;
}

export function handleClose(ctx: Ctx, event: EventOf<'close'>): Refusal | undefined {
  if (!actingRole(event.actor, ctx.def.closing.by)) return refuse('wrong_role', wrongRoleMessage(`Avslut av ${ctx.def.title}`, ctx.def.closing.by));
  if (!isLocalDate(event.date)) return refuse('data_invalid', 'Ogiltig uppgift: slutdatum (ska vara ett datum ÅÅÅÅ-MM-DD).');
  if (event.reason.trim() === '') return refuse('data_missing', 'Uppgifter saknas: orsak till avslut.');
  closeCase(ctx, event.date, event.reason.trim());
  return undefined;
}
