import type { Db } from '../db/client.ts';
import { setCaseRole } from '../db/case-roles.ts';
import { updateCaseState, type CaseRow } from '../db/cases.ts';
import { trackStepReminders } from '../db/reminders.ts';
import { upsertCaseSteps } from '../db/case-steps.ts';
import type { CaseState, StepState } from '../domain/engine/types.ts';
import { occurrenceTitle } from '../domain/engine/messages.ts';
import type { RoutineLookup } from '../domain/routines/registry.ts';
import { settleAll } from '../lib/settle.ts';

export function stepTitle(routines: RoutineLookup, state: CaseState, step: StepState): string {
  const def = routines(state.routineId, state.routineVersion);
  const title = def?.steps.find((s) => s.id === step.stepId)?.title ?? step.stepId;
  return occurrenceTitle(title, step.occurrence);
}

/** The version saveCaseState writes. */
export function nextVersion(row: Pick<CaseRow, 'version'>): number {
  return row.version + 1;
}

/**
 * Writes the engine's next state and its step projection (the roles first, saveCaseRoles). The
 * row is locked by loadCaseForUpdate (db/cases.ts), and the update is still compare-and-set on
 * `version`: a writer that did not lock cannot silently overwrite. The statements touch different
 * rows and go out without waiting for each other.
 */
export async function saveCaseState(tx: Db, row: CaseRow, before: CaseState | null, next: CaseState, now: Date, routines: RoutineLookup): Promise<void> {
  const updated = async () => {
    if (!(await updateCaseState(tx, row, { state: next, status: next.status, updatedAt: now }))) throw new Error(`case ${row.caseRef} changed under a lock (version ${row.version})`);
  };
  await settleAll([updated(), syncSteps(tx, row.id, before, next, now, routines)]);
}

/** Who holds each role on the case, as the next state says (what the event's effects then read). */
export async function saveCaseRoles(tx: Db, caseId: number, before: CaseState | null, next: CaseState): Promise<void> {
  for (const [role, personId] of Object.entries(next.roles)) {
    if (!personId || before?.roles[role as keyof CaseState['roles']] === personId) continue;
    await setCaseRole(tx, caseId, role, personId);
  }
}

async function syncSteps(tx: Db, caseId: number, before: CaseState | null, next: CaseState, now: Date, routines: RoutineLookup): Promise<void> {
  const changed = Object.values(next.steps).filter((step) => {
    const old = before?.steps[step.key];
    return !(old && JSON.stringify(old) === JSON.stringify(step));
  });
  if (changed.length === 0) return;
  // One statement for every changed step of the event, and one per kind of reminder change.
  const steps = upsertCaseSteps(
    tx,
    changed.map((step) => ({
      caseId,
      stepKey: step.key,
      stepId: step.stepId,
      title: stepTitle(routines, next, step),
      role: step.role,
      assigneeId: next.roles[step.role] ?? null,
      status: step.status,
      seq: step.seq,
      due: step.due,
      openedAt: new Date(step.openedAt),
      completedAt: step.completedAt ? new Date(step.completedAt) : null,
      completedBy: step.completedBy?.personId ?? null,
      completedByRole: step.completedBy?.role ?? null,
    })),
  );
  // Reminder ladder: a changed step is looked at again; done or cancelled stops it.
  const active = (step: StepState) => step.status === 'open' && step.due !== null && next.status === 'open';
  const reminders = trackStepReminders(tx, { caseId, active: changed.filter(active).map((s) => s.key), inactive: changed.filter((s) => !active(s)).map((s) => s.key) }, now);
  await settleAll([steps, reminders]);
}
