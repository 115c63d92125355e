import { and, asc, eq } from 'drizzle-orm';
import type { Db } from './client.ts';
import { caseRoles, cases } from './schema/index.ts';

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
