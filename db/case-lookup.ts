import { and, asc, eq } from 'drizzle-orm';
import type { Db } from './client.ts';
import { caseRoles, cases } from './schema/index.ts';

/** A case's id and area by reference (what the coordination services check before acting). */
export async function findCaseIdArea(db: Db, caseRef: string): Promise<{ id: number; area: string | null } | undefined> {
  const [row] = await db.select({ id: cases.id, area: cases.area }).from(cases).where(eq(cases.caseRef, caseRef));
  return row;
}

/** Who holds a role on a case, by the case state's own roles (the engine's view), if the case exists. */
export async function caseStateRoleHolder(db: Db, caseRef: string, role: string): Promise<string | null> {
  const [row] = await db.select({ state: cases.state }).from(cases).where(eq(cases.caseRef, caseRef));
  return (row?.state as { roles?: Record<string, string | undefined> } | undefined)?.roles?.[role] ?? null;
}

/** The case's provider column: the id of the provider it is ordered from. */
export async function setCaseProvider(tx: Db, caseId: number, providerId: string): Promise<void> {
  await tx.update(cases).set({ provider: providerId }).where(eq(cases.id, caseId));
}

/**
 * Open cases of one person (holding `role` on them) whose personnummer hash is `pnrHash`: the
 * candidates for a BB that names no case reference. Only that person's cases are searched, so a
 * BB can never be matched onto a case its sender has nothing to do with.
 */
export async function openCasesOfHolderByPnrHash(db: Db, params: { pnrHash: string; personId: string; role: string }): Promise<Array<typeof cases.$inferSelect>> {
  const rows = await db
    .select({ c: cases })
    .from(cases)
    .innerJoin(caseRoles, eq(caseRoles.caseId, cases.id))
    .where(and(eq(cases.pnrHash, params.pnrHash), eq(cases.status, 'open'), eq(caseRoles.personId, params.personId), eq(caseRoles.role, params.role)))
    .orderBy(asc(cases.caseRef));
  return rows.map((r) => r.c);
}
