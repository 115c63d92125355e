import { caseRolesHeldBySelfOrCovered, findCaseBriefFor } from '../db/case-roles.ts';
import type { Db } from '../db/client.ts';
import { inAreas, areasOf } from '../domain/areas.ts';
import type { RoleId } from '../domain/roles.ts';
import type { PeopleDirectory } from '../db/people.ts';
import { caseAreaValues, type CaseScope } from '../db/overview.ts';
import type { ServiceRefusal } from './types.ts';

/** Roles that may see every case of their own areas without holding a role on it. */
export const COORDINATOR_ROLES: readonly RoleId[] = ['verksamhetschef', 'samordnare_lss_sol'];

/**
 * The one answer to "no such case" and "no role on it": telling them apart would tell anyone in
 * the directory which references exist (inre sekretess holds within the authority too).
 */
export function noCaseMessage(caseRef: string): string {
  return `Hittar inget ärende ${caseRef} där du har en roll. Kontrollera referensen.`;
}

export function noCase(caseRef: string): ServiceRefusal {
  return { ok: false, code: 'not_found', message: noCaseMessage(caseRef) };
}

/**
 * Whether the person may see or act on the case: they (or someone they stand in for today) hold a
 * role on it, or they hold a coordinator role in the case's area. A case without an area is seen
 * by its role holders only, never by every coordinator of every area.
 */
export async function mayAccessCase(db: Db, people: PeopleDirectory, today: string, c: { id: number; area: string | null }, personId: string): Promise<boolean> {
  const held = await caseRolesHeldBySelfOrCovered(db, c.id, personId, today);
  return mayAccessHolding(people, c, personId, held.length > 0);
}

/** The same rule when whether the person (or someone they stand in for) holds a role on the case is known. */
export async function mayAccessHolding(people: PeopleDirectory, c: { area: string | null }, personId: string, holdsRole: boolean): Promise<boolean> {
  return holdsRole || inAreas(c.area, await coordinatorAreas(people, personId));
}

/** The areas whose every case the person sees through a coordinator role (none without one). */
async function coordinatorAreas(people: PeopleDirectory, personId: string): Promise<string[]> {
  const profile = await people.profile(personId);
  if (!profile || !profile.roles.some((r) => COORDINATOR_ROLES.includes(r))) return [];
  return areasOf(profile.area);
}

/**
 * The same rule as `mayAccessCase`, for listing many cases at once (the overview tab): the people
 * whose role on a case lets the person see it (themselves and whom they stand in for today), and
 * the area values, as cases spell them, that a coordinator role opens.
 */
export async function caseScope(db: Db, people: PeopleDirectory, today: string, personId: string): Promise<CaseScope> {
  const holders = [personId, ...(await people.coveredBy(personId, today))];
  const areas = await coordinatorAreas(people, personId);
  const values = areas.length === 0 ? [] : (await caseAreaValues(db)).filter((value) => inAreas(value, areas));
  return { holders, areas: values, coordinatorAreas: areas };
}

/** The same check by reference; an unknown reference is simply not accessible. */
export async function mayAccessCaseRef(db: Db, people: PeopleDirectory, today: string, caseRef: string, personId: string): Promise<boolean> {
  const row = await findCaseBriefFor(db, caseRef, personId, today);
  return row ? mayAccessHolding(people, row, personId, row.holdsRole) : false;
}
