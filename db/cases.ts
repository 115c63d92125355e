import { and, eq, like } from 'drizzle-orm';
import type { Db } from './client.ts';
import { cases } from './schema/index.ts';

export type CaseRow = typeof cases.$inferSelect;
export type NewCase = typeof cases.$inferInsert;

/** Loads a case and locks its row until the transaction ends: events on one case serialise here. */
export async function loadCaseForUpdate(tx: Db, caseRef: string): Promise<CaseRow | undefined> {
  const [row] = await tx.select().from(cases).where(eq(cases.caseRef, caseRef)).for('update');
  return row;
}

export async function loadCase(db: Db, caseRef: string): Promise<CaseRow | undefined> {
  const [row] = await db.select().from(cases).where(eq(cases.caseRef, caseRef));
  return row;
}

/** Inserts a new case; undefined when the reference is taken. */
export async function insertCase(tx: Db, values: NewCase): Promise<CaseRow | undefined> {
  const [row] = await tx.insert(cases).values(values).onConflictDoNothing({ target: cases.caseRef }).returning();
  return row;
}

/**
 * Writes a case's new state as compare-and-set on `version`: false when the row is not at
 * `version` any more (a writer that did not lock it cannot silently overwrite).
 */
export async function updateCaseState(tx: Db, row: Pick<CaseRow, 'id' | 'version'>, set: Pick<CaseRow, 'state' | 'status' | 'updatedAt'>): Promise<boolean> {
  const updated = await tx
    .update(cases)
    .set({ ...set, version: row.version + 1 })
    .where(and(eq(cases.id, row.id), eq(cases.version, row.version)))
    .returning({ id: cases.id });
  return updated.length > 0;
}

/** How many cases carry a reference that starts with `prefix` (follow-on cases are numbered). */
export async function countCasesWithRefPrefix(tx: Db, prefix: string): Promise<number> {
  const rows = await tx.select({ ref: cases.caseRef }).from(cases).where(like(cases.caseRef, `${prefix}%`));
  return rows.length;
}
