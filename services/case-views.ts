import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { stepViewColumns } from '../db/case-steps.ts';
import type { Db } from '../db/client.ts';
import { caseRoles, cases, caseSteps } from '../db/schema/index.ts';
import { stockholmDate } from '../domain/calendar/stockholm.ts';
import { findRoutine } from '../domain/routines/registry.ts';
import { isRoleId, type RoleId } from '../domain/roles.ts';
import type { Clock } from '../lib/clock.ts';
import type { PeopleDirectory } from './people-directory.ts';
import type { CaseView, ServiceResult, TaskView } from './types.ts';

/** Roles that may see every case of their area without holding a role on it. */
const COORDINATOR_ROLES: readonly RoleId[] = ['verksamhetschef', 'samordnare_lss_sol'];

export type ViewDeps = { db: Db; people: PeopleDirectory; clock: Clock };

/** Open steps held by the person or by those they stand in for today; late first, then by due. */
export async function listTasks(deps: ViewDeps, personId: string): Promise<TaskView[]> {
  const today = stockholmDate(deps.clock.now());
  const covered = await deps.people.coveredBy(personId, today);
  const holders = [personId, ...covered];
  const rows = await deps.db
    .select({ ...stepViewColumns, openedAt: caseSteps.openedAt, holder: caseRoles.personId })
    .from(caseSteps)
    .innerJoin(cases, eq(cases.id, caseSteps.caseId))
    // The current holder of the step's role, so a reassigned role moves its open steps too.
    .innerJoin(caseRoles, and(eq(caseRoles.caseId, caseSteps.caseId), eq(caseRoles.role, caseSteps.role)))
    .where(and(eq(caseSteps.status, 'open'), eq(cases.status, 'open'), inArray(caseRoles.personId, holders)))
    .orderBy(sql`${caseSteps.due} is null`, asc(caseSteps.due), asc(caseSteps.openedAt));
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

export async function mayViewCase(deps: ViewDeps, caseId: number, caseArea: string | null, personId: string): Promise<boolean> {
  const today = stockholmDate(deps.clock.now());
  const holders = [personId, ...(await deps.people.coveredBy(personId, today))];
  const [held] = await deps.db.select().from(caseRoles).where(and(eq(caseRoles.caseId, caseId), inArray(caseRoles.personId, holders))).limit(1);
  if (held) return true;
  const profile = await deps.people.profile(personId);
  if (!profile) return false;
  return profile.roles.some((r) => COORDINATOR_ROLES.includes(r)) && (caseArea === null || profile.area === caseArea);
}

/**
 * The one answer for a case that does not exist and for one the reader has no role on: a
 * different answer would tell anyone which references exist, and so which people are placed.
 */
export function noCaseForYou(caseRef: string): string {
  return `Hittar inget ärende ${caseRef} där du har en roll. Kontrollera referensen, eller be den som håller ärendet lägga till dig.`;
}

export async function buildCaseView(deps: ViewDeps, caseRef: string, viewerId: string): Promise<ServiceResult<{ view: CaseView }>> {
  const [row] = await deps.db.select().from(cases).where(eq(cases.caseRef, caseRef));
  // The codes differ for the audit trail; the reader gets the same sentence.
  if (!row) return { ok: false, code: 'not_found', message: noCaseForYou(caseRef) };
  if (!(await mayViewCase(deps, row.id, row.area, viewerId))) return { ok: false, code: 'forbidden', message: noCaseForYou(caseRef) };
  const today = stockholmDate(deps.clock.now());
  const steps = await deps.db.select().from(caseSteps).where(eq(caseSteps.caseId, row.id)).orderBy(asc(caseSteps.seq));
  const roles = await deps.db.select().from(caseRoles).where(eq(caseRoles.caseId, row.id));
  const holderOf = new Map(roles.map((r) => [r.role, r.personId]));
  const ids = [...new Set([...steps.map((s) => s.completedBy).filter((x): x is string => !!x), ...roles.map((r) => r.personId)])];
  const names = await deps.people.names(ids);
  const def = findRoutine(row.routineId, row.routineVersion);
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
