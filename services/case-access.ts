import { findCaseBrief, holdsRoleOnCase } from '../db/case-roles.ts';
import type { Db } from '../db/client.ts';
import { inAreas, areasOf } from '../domain/areas.ts';
import type { RoleId } from '../domain/roles.ts';
import type { PeopleDirectory } from '../db/people.ts';
import type { ServiceRefusal } from './types.ts';

/** Roles that may see every case of their own areas without holding a role on it. */
const COORDINATOR_ROLES: readonly RoleId[] = ['verksamhetschef', 'samordnare_lss_sol'];

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
  const holders = [personId, ...(await people.coveredBy(personId, today))];
  if (await holdsRoleOnCase(db, c.id, holders)) return true;
  const profile = await people.profile(personId);
  if (!profile) return false;
  return profile.roles.some((r) => COORDINATOR_ROLES.includes(r)) && inAreas(c.area, areasOf(profile.area));
}

/** The same check by reference; an unknown reference is simply not accessible. */
export async function mayAccessCaseRef(db: Db, people: PeopleDirectory, today: string, caseRef: string, personId: string): Promise<boolean> {
  const row = await findCaseBrief(db, caseRef);
  return row ? mayAccessCase(db, people, today, row, personId) : false;
}
