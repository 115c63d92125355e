import { ROLE_TITLES, type RoleId } from '../roles.ts';
import type { RoutineLookup } from '../routines/registry.ts';
import { decide } from './decide.ts';
import type { RefusalCode } from './refusals.ts';
import type { CaseEvent, CaseState, Effect } from './types.ts';

export type TimedEvent = { at: string; event: CaseEvent };

export type TimelineEntry = {
  stepKey: string;
  title: string;
  role: RoleId;
  roleTitle: string;
  status: string;
  opened: string;
  due: string | null;
  completed: string | null;
  completedByRole: RoleId | null;
};

export type Simulation = {
  timeline: TimelineEntry[];
  refusals: Array<{ at: string; eventType: string; reason: RefusalCode; message: string }>;
  effects: Array<{ at: string; effect: Effect }>;
  final: CaseState | null;
};

/**
 * Runs a case through decide from a list of timestamped events, so a municipality can check a
 * routine before using it. Due timers are fired in time order before each event (as the sweep
 * would), and the remaining ones up to `until` at the end.
 */
export function simulate(events: readonly TimedEvent[], options: { until?: string; routines: RoutineLookup }): Simulation {
  const routines = options.routines;
  const result: Simulation = { timeline: [], refusals: [], effects: [], final: null };
  let state: CaseState | null = null;
  const step = (event: CaseEvent, at: string): void => {
    const d = decide(state, event, new Date(at), routines);
    if (!d.ok) {
      result.refusals.push({ at, eventType: event.type, reason: d.reason, message: d.message });
      return;
    }
    state = d.next;
    for (const effect of d.effects) result.effects.push({ at, effect });
  };
  const fireTimersUntil = (until: string): void => {
    for (let guard = 0; guard < 1000 && state && state.status === 'open'; guard++) {
      const due = Object.entries(state.timers)
        .filter(([, t]) => t.at <= until)
        .sort((a, b) => a[1].at.localeCompare(b[1].at))[0];
      if (!due) return;
      step({ type: 'timer', key: due[0] }, due[1].at);
    }
  };
  for (const { at, event } of [...events].sort((a, b) => a.at.localeCompare(b.at))) {
    const instant = new Date(at).toISOString();
    fireTimersUntil(instant);
    step(event, instant);
  }
  if (options.until) fireTimersUntil(new Date(options.until).toISOString());
  result.final = state;
  result.timeline = timeline(state, routines);
  return result;
}

function timeline(state: CaseState | null, routines: RoutineLookup): TimelineEntry[] {
  if (!state) return [];
  const def = routines(state.routineId, state.routineVersion);
  return Object.values(state.steps)
    .sort((a, b) => a.seq - b.seq)
    .map((s) => {
      const title = def?.steps.find((d) => d.id === s.stepId)?.title ?? s.stepId;
      return {
        stepKey: s.key,
        title: s.occurrence ? `${title} (${s.occurrence})` : title,
        role: s.role,
        roleTitle: ROLE_TITLES[s.role],
        status: s.status,
        opened: s.openedAt,
        due: s.due,
        completed: s.completedAt,
        completedByRole: s.completedBy?.role ?? null,
      };
    });
}
