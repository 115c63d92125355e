import { and, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Db } from './client.ts';
import { preparedPerDb } from './kept-statement.ts';
import { selfAndCoveredSql } from './people.ts';
import { caseRoles, cases, caseSteps, people } from './schema/index.ts';

/** A case's id, area and status (what access checks need); undefined for an unknown reference. */
export async function findCaseBrief(db: Db, caseRef: string): Promise<{ id: number; area: string | null; status: string } | undefined> {
  const [row] = await db.select({ id: cases.id, area: cases.area, status: cases.status }).from(cases).where(eq(cases.caseRef, caseRef));
  return row;
}

/**
 * A case's id, area and status, and whether the person or someone they stand in for on `date`
 * holds a role on it: the access check's facts in one round trip. Undefined for an unknown reference.
 */
export async function findCaseBriefFor(db: Db, caseRef: string, personId: string, date: string): Promise<{ id: number; area: string | null; status: string; holdsRole: boolean } | undefined> {
  const [row] = await caseBriefQuery(db).execute({ caseRef, personId, date });
  return row;
}

const caseBriefQuery = preparedPerDb((db) =>
  db
    .select({
      id: cases.id,
      area: cases.area,
      status: cases.status,
      holdsRole: sql<boolean>`exists (select 1 from ${caseRoles} where ${caseRoles.caseId} = ${cases.id} and ${caseRoles.personId} in ${selfAndCoveredSql(sql.placeholder('personId'), sql.placeholder('date'))})`,
    })
    .from(cases)
    .where(eq(cases.caseRef, sql.placeholder('caseRef')))
    .prepare('find_case_brief_for'),
);

/** Whether any of the people holds any role on the case. */
export async function holdsRoleOnCase(db: Db, caseId: number, personIds: readonly string[]): Promise<boolean> {
  if (personIds.length === 0) return false;
  const [held] = await db
    .select({ role: caseRoles.role })
    .from(caseRoles)
    .where(and(eq(caseRoles.caseId, caseId), inArray(caseRoles.personId, [...personIds])))
    .limit(1);
  return held !== undefined;
}

/** Every role holder of a case. */
export async function caseRoleHolders(db: Db, caseId: number): Promise<Array<{ role: string; personId: string }>> {
  return db.select({ role: caseRoles.role, personId: caseRoles.personId }).from(caseRoles).where(eq(caseRoles.caseId, caseId));
}

/** The directory e-mail of whoever holds each of the roles on a case, in one round trip; a role nobody holds is absent. */
export async function roleHolderEmails(db: Db, caseId: number, roles: string[]): Promise<Map<string, string>> {
  const rows = await db
    .select({ role: caseRoles.role, email: people.email })
    .from(caseRoles)
    .innerJoin(people, eq(people.id, caseRoles.personId))
    .where(and(eq(caseRoles.caseId, caseId), inArray(caseRoles.role, roles)));
  return new Map(rows.map((r) => [r.role, r.email]));
}

/** Who a step falls to: the holder of its role, else the person it was assigned to. */
export async function stepHolder(db: Db, caseId: number, stepKey: string): Promise<string | null> {
  const [step] = await db
    .select({ holder: caseRoles.personId, assignee: caseSteps.assigneeId })
    .from(caseSteps)
    .leftJoin(caseRoles, and(eq(caseRoles.caseId, caseSteps.caseId), eq(caseRoles.role, caseSteps.role)))
    .where(and(eq(caseSteps.caseId, caseId), eq(caseSteps.stepKey, stepKey)));
  return step?.holder ?? step?.assignee ?? null;
}

/** The open steps with a deadline whose role one of the people holds on the case. */
export async function openDueStepsHeldBy(db: Db, caseId: number, personIds: readonly string[]): Promise<Array<{ stepKey: string; title: string; due: string | null }>> {
  if (personIds.length === 0) return [];
  return db
    .select({ stepKey: caseSteps.stepKey, title: caseSteps.title, due: caseSteps.due })
    .from(caseSteps)
    .innerJoin(caseRoles, and(eq(caseRoles.caseId, caseSteps.caseId), eq(caseRoles.role, caseSteps.role)))
    .where(and(eq(caseSteps.caseId, caseId), eq(caseSteps.status, 'open'), isNotNull(caseSteps.due), inArray(caseRoles.personId, [...personIds])));
}

/** Sets who holds a role on a case (one holder per role). */
export async function setCaseRole(tx: Db, caseId: number, role: string, personId: string): Promise<void> {
  await tx.insert(caseRoles).values({ caseId, role, personId }).onConflictDoUpdate({ target: [caseRoles.caseId, caseRoles.role], set: { personId } });
}

/**
 * The roles on a case held by the person or by someone they stand in for on `date` (who stands in
 * for whom is a subquery, so this is one round trip).
 */
export async function caseRolesHeldBySelfOrCovered(db: Db, caseId: number, personId: string, date: string): Promise<Array<{ role: string; personId: string }>> {
  return db
    .select({ role: caseRoles.role, personId: caseRoles.personId })
    .from(caseRoles)
    .where(and(eq(caseRoles.caseId, caseId), inArray(caseRoles.personId, selfAndCoveredSql(personId, date))));
}
