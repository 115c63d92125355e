import { caseRoleHolders } from '../db/case-roles.ts';
import { caseStepsInOrder, openStepsHeldBy } from '../db/case-steps.ts';
import { readTaskListAudited, type InboxTaskRef, type OpenStepRow } from '../db/task-list.ts';
import { loadCase } from '../db/cases.ts';
import type { Db } from '../db/client.ts';
import { stockholmDate } from '../domain/calendar/stockholm.ts';
import type { RoutineLookup } from '../domain/routines/registry.ts';
import { isRoleId } from '../domain/roles.ts';
import type { Clock } from '../lib/clock.ts';
import type { PeopleDirectory } from '../db/people.ts';
import { mayAccessCase, noCase } from './case-access.ts';
import type { CaseView, ServiceResult, TaskView } from './types.ts';

export type ViewDeps = { db: Db; people: PeopleDirectory; clock: Clock; routines: RoutineLookup };

/** Open steps held by the person or by those they stand in for today (on one case, with `caseRef`); late first, then by due. */
export async function listTasks(deps: ViewDeps, personId: string, caseRef?: string): Promise<TaskView[]> {
  const today = stockholmDate(deps.clock.now());
  return taskViews(await openStepsHeldBy(deps.db, personId, today, caseRef), personId, today);
}

/**
 * "mina uppgifter": the person's open steps (as listTasks) and provider replies waiting on them,
 * read together with the audit entry naming every case the list shows, in one statement.
 */
export async function listTasksAndRepliesAudited(deps: Pick<ViewDeps, 'db' | 'clock'>, personId: string): Promise<{ tasks: TaskView[]; replies: InboxTaskRef[] }> {
  const now = deps.clock.now();
  const today = stockholmDate(now);
  const { steps, replies } = await readTaskListAudited(deps.db, { personId, date: today, action: 'tasks.list', now });
  return { tasks: taskViews(steps, personId, today), replies };
}

/** Late first, then as the rows come (by due date). */
function taskViews(rows: OpenStepRow[], personId: string, today: string): TaskView[] {
  const tasks = rows.map((r): TaskView => ({
    caseRef: r.caseRef,
    clientInitials: r.clientInitials,
    routineId: r.routineId,
    routineVersion: r.routineVersion,
    stepKey: r.stepKey,
    stepId: r.stepId,
    title: r.title,
    role: isRoleId(r.role) ? r.role : 'socialsekreterare',
    due: r.due,
    late: r.due !== null && r.due < today,
    openedAt: r.openedAt.toISOString(),
    onBehalfOf: r.holder === personId ? null : r.holder,
  }));
  return [...tasks.filter((t) => t.late), ...tasks.filter((t) => !t.late)];
}

export async function buildCaseView(deps: ViewDeps, caseRef: string, viewerId: string): Promise<ServiceResult<{ view: CaseView }>> {
  const row = await loadCase(deps.db, caseRef);
  if (!row) return noCase(caseRef);
  const today = stockholmDate(deps.clock.now());
  // The same words as an unknown reference; the audit entry keeps the difference.
  if (!(await mayAccessCase(deps.db, deps.people, today, row, viewerId))) return { ...noCase(caseRef), code: 'forbidden' };
  const steps = await caseStepsInOrder(deps.db, row.id);
  const roles = await caseRoleHolders(deps.db, row.id);
  const holderOf = new Map(roles.map((r) => [r.role, r.personId]));
  const ids = [...new Set([...steps.map((s) => s.completedBy).filter((x): x is string => !!x), ...roles.map((r) => r.personId)])];
  const names = await deps.people.names(ids);
  const def = deps.routines(row.routineId, row.routineVersion);
  return {
    ok: true,
    view: {
      caseRef: row.caseRef,
      clientInitials: row.clientInitials,
      routineId: row.routineId,
      routineTitle: def?.title ?? row.routineId,
      routineVersion: row.routineVersion,
      status: row.status === 'closed' ? 'closed' : 'open',
      legalBasis: row.legalBasis,
      timeline: steps.map((s) => {
        const holder = holderOf.get(s.role);
        return {
          stepKey: s.stepKey,
          stepId: s.stepId,
          title: s.title,
          role: isRoleId(s.role) ? s.role : 'socialsekreterare',
          status: s.status === 'done' || s.status === 'skipped' || s.status === 'cancelled' ? s.status : 'open',
          late: s.status === 'open' && s.due !== null && s.due < today,
          openedAt: s.openedAt.toISOString(),
          due: s.due,
          completedAt: s.completedAt?.toISOString() ?? null,
          completedByName: s.completedBy ? (names.get(s.completedBy) ?? s.completedBy) : null,
          holderName: holder ? (names.get(holder) ?? holder) : null,
        };
      }),
    },
  };
}
