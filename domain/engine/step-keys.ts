import type { CaseState, StepState } from './types.ts';

/** 'kontrollrakning', 'reservation#2' for a second round, 'manadsrapport:2027-01' for an occurrence. */
export function stepKey(stepId: string, round: number, occurrence: string | null): string {
  const base = round > 1 ? `${stepId}#${round}` : stepId;
  return occurrence === null ? base : `${base}:${occurrence}`;
}

export function currentRound(state: CaseState, stepId: string): number {
  return state.rounds[stepId] ?? 1;
}

/** The non-recurring instance of a step in its current round, if it has been reached. */
export function currentInstance(state: CaseState, stepId: string): StepState | undefined {
  return state.steps[stepKey(stepId, currentRound(state, stepId), null)];
}

export function instancesOf(state: CaseState, stepId: string): StepState[] {
  return Object.values(state.steps)
    .filter((s) => s.stepId === stepId)
    .sort((a, b) => a.seq - b.seq);
}

export function lateTimerKey(key: string): string {
  return `late:${key}`;
}
