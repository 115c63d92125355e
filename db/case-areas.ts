import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Db } from './client.ts';
import { cases } from './schema/index.ts';

/** Cases without an area (started before every case had one): reference, routine, status. */
export async function casesWithoutArea(db: Db): Promise<Array<{ caseRef: string; routineId: string; status: string; createdAt: Date }>> {
  return db
    .select({ caseRef: cases.caseRef, routineId: cases.routineId, status: cases.status, createdAt: cases.createdAt })
    .from(cases)
    .where(isNull(cases.area))
    .orderBy(asc(cases.createdAt));
}

/** Sets the area of a case that has none; an area once set is not overwritten here. Returns whether it was set. */
export async function setAreaIfUnset(db: Db, caseRef: string, area: string): Promise<boolean> {
  const rows = await db.update(cases).set({ area }).where(and(eq(cases.caseRef, caseRef), isNull(cases.area))).returning({ id: cases.id });
  return rows.length === 1;
}
