import { expect } from 'vitest';
import { decide } from '../../../domain/engine/decide.ts';
import type { Actor, CaseEvent, CaseState, Decision, Effect } from '../../../domain/engine/types.ts';
import type { RoleId } from '../../../domain/roles.ts';
import { shippedRoutines } from '../../support/routines.ts';

/** A fixed clock: 09:00 Stockholm time on the given day (08:00 UTC in winter, 07:00 in summer). */
export function at(date: string, time = '09:00'): Date {
  const probe = new Date(`${date}T12:00:00Z`);
  const summer = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Stockholm', timeZoneName: 'short' })
    .format(probe)
    .includes('+2');
  return new Date(`${date}T${time}:00${summer ? '+02:00' : '+01:00'}`);
}

export function actor(role: RoleId, personId = `p-${role}`): Actor {
  return { personId, roles: [role] };
}

export type Run = { state: CaseState; effects: Effect[] };

/** Applies an event that must succeed; returns the next state and its effects. */
export function ok(state: CaseState | null, event: CaseEvent, now: Date): Run {
  const d: Decision = decide(state, event, now, shippedRoutines.find);
  if (!d.ok) throw new Error(`refused ${d.reason}: ${d.message}`);
  return { state: d.next, effects: d.effects };
}

export function refused(state: CaseState | null, event: CaseEvent, now: Date): { reason: string; message: string } {
  const d = decide(state, event, now, shippedRoutines.find);
  expect(d.ok).toBe(false);
  if (d.ok) throw new Error('expected a refusal');
  return { reason: d.reason, message: d.message };
}

export function openSteps(state: CaseState): string[] {
  return Object.values(state.steps).filter((s) => s.status === 'open').map((s) => s.key).sort();
}

export function complete(run: Run, stepKey: string, role: RoleId, now: Date, data: Record<string, string | number | boolean | null> = {}): Run {
  return ok(run.state, { type: 'complete', stepKey, actor: actor(role), data }, now);
}

export function timerFor(state: CaseState, key: string): string {
  const t = state.timers[key];
  if (!t) throw new Error(`no timer ${key}; timers: ${Object.keys(state.timers).join(', ')}`);
  return t.at;
}
