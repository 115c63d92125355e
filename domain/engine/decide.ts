import { stockholmDate } from '../calendar/stockholm.ts';
import type { RoutineLookup } from '../routines/registry.ts';
import type { RoutineDefinition } from '../routines/types.ts';
import type { Ctx } from './context.ts';
import {
  handleAssignRole,
  handleBeginPhase,
  handleClose,
  handleComplete,
  handleDocument,
  handleExtend,
  handleProviderReply,
  handleRecord,
  handleTimer,
} from './handlers.ts';
import { beginPhase } from './phases.ts';
import { refuse, type Refusal } from './refusals.ts';
import type { CaseEvent, CaseState, Decision } from './types.ts';

/**
 * The routine engine: the state of a case, one event and the time it happens give the next state
 * and the effects to perform, or a refusal with a reason. Pure: `now` is a parameter, the input
 * state is never mutated, and the same call always gives the same answer. The case runs on the
 * routine version it started with.
 */
export function decide(
  state: CaseState | null,
  event: CaseEvent,
  now: Date,
  routines: RoutineLookup,
): Decision {
  if (event.type === 'start') {
    if (state) return refuse('case_exists', `Ärendet ${state.caseRef} är redan startat.`);
    const def = routines(event.routineId, event.routineVersion);
    if (!def) return refuse('unknown_routine', `Rutinen ${event.routineId}${event.routineVersion ? ` version ${event.routineVersion}` : ''} finns inte.`);
    return start(def, event, now);
  }
  if (!state) return refuse('no_case');
  const def = routines(state.routineId, state.routineVersion);
  if (!def) return refuse('unknown_routine', `Ärendets rutin ${state.routineId} version ${state.routineVersion} finns inte längre.`);
  // A timer on a closed case is a leftover the sweep may drop; anything else is refused.
  if (state.status === 'closed') return refuse('case_closed', `Ärendet ${state.caseRef} är avslutat.`);
  const ctx = newCtx(def, structuredClone(state), now);
  const refusal = apply(ctx, event);
  return refusal ?? { ok: true, next: ctx.state, effects: ctx.effects };
}

function apply(ctx: Ctx, event: Exclude<CaseEvent, { type: 'start' }>): Refusal | undefined {
  switch (event.type) {
    case 'begin_phase':
      return handleBeginPhase(ctx, event);
    case 'complete':
      return handleComplete(ctx, event);
    case 'record':
      return handleRecord(ctx, event);
    case 'document':
      return handleDocument(ctx, event);
    case 'provider_reply':
      return handleProviderReply(ctx, event);
    case 'timer':
      return handleTimer(ctx, event);
    case 'extend':
      return handleExtend(ctx, event);
    case 'assign_role':
      return handleAssignRole(ctx, event);
    case 'close':
      return handleClose(ctx, event);
  }
}

function start(def: RoutineDefinition, event: Extract<CaseEvent, { type: 'start' }>, now: Date): Decision {
  const phase = def.phases.find((p) => p.id === event.phase);
  if (!phase) {
    return refuse('data_invalid', `Rutinen ${def.title} har inget skede ”${event.phase}”. Välj ett av: ${def.phases.map((p) => p.id).join(', ')}.`);
  }
  const state: CaseState = {
    caseRef: event.caseRef,
    routineId: def.id,
    routineVersion: def.version,
    status: 'open',
    openedAt: now.toISOString(),
    closedAt: null,
    closeReason: null,
    phases: [],
    facts: {},
    roles: { ...(event.roles ?? {}) },
    steps: {},
    rounds: {},
    timers: {},
    seq: 0,
  };
  // Start facts the phase does not declare (a placement start entered by the shell) are kept as
  // given; declared ones are validated by beginPhase like any captured data.
  const declared = new Set((phase.captures ?? []).map((f) => f.name));
  for (const [name, value] of Object.entries(event.facts ?? {})) if (!declared.has(name)) state.facts[name] = value;
  const ctx = newCtx(def, state, now);
  const refusal = beginPhase(ctx, phase, event.facts ?? {});
  if (refusal) return refusal;
  return { ok: true, next: ctx.state, effects: ctx.effects };
}

function newCtx(def: RoutineDefinition, state: CaseState, now: Date): Ctx {
  return { def, state, effects: [], now, nowIso: now.toISOString(), today: stockholmDate(now) };
}
