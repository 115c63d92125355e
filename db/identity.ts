import { and, eq, sql } from 'drizzle-orm';
import type { Db } from './client.ts';
import { people } from './schema/index.ts';

/**
 * Links a directory entry to an Entra object id, only while it has none: the conditional update is
 * the guard, so of two first turns racing for one entry, one links and the other changes nothing.
 * Returns whether this call linked it.
 */
export async function linkObjectIdIfUnset(db: Db, personId: string, aadObjectId: string): Promise<boolean> {
  const rows = await db
    .update(people)
    .set({ aadObjectId })
    .where(and(eq(people.id, personId), sql`${people.aadObjectId} is null`))
    .returning({ id: people.id });
  return rows.length === 1;
}
