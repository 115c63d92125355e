import { and, asc, eq, gte, inArray, lte, sql, type SQL } from 'drizzle-orm';
import type { RoleId } from '../domain/roles.ts';
import { rowsOf, type Db } from './client.ts';
import type { StatementValue } from './kept-statement.ts';
import { caseRoles, cases, conversationRefs, people, substitutes } from './schema/index.ts';

export type PersonRow = typeof people.$inferSelect;
export type NewPerson = typeof people.$inferInsert;
export type SubstituteRow = typeof substitutes.$inferSelect;

export async function findPersonById(db: Db, id: string): Promise<PersonRow | undefined> {
  const [row] = await db.select().from(people).where(eq(people.id, id));
  return row;
}

export async function findByAadId(db: Db, aadObjectId: string): Promise<PersonRow | undefined> {
  const [row] = await db.select().from(people).where(eq(people.aadObjectId, aadObjectId));
  return row;
}

export async function findByEmail(db: Db, email: string): Promise<PersonRow | undefined> {
  const [row] = await db.select().from(people).where(eq(people.email, email.trim().toLowerCase()));
  return row;
}

export async function findPeopleByIds(db: Db, ids: string[]): Promise<PersonRow[]> {
  if (ids.length === 0) return [];
  return db.select().from(people).where(inArray(people.id, [...new Set(ids)]));
}

/** Everyone who holds a role in the organisation. */
export async function peopleWithRole(db: Db, role: RoleId): Promise<PersonRow[]> {
  return db.select().from(people).where(sql`${role} = any(${people.roles})`);
}

/** Inserts or replaces people by id (the import is the source of truth for the directory). */
export async function upsertPeople(db: Db, rows: NewPerson[]): Promise<void> {
  for (const row of rows) {
    const { id: _id, ...rest } = row;
    await db.insert(people).values(row).onConflictDoUpdate({ target: people.id, set: rest });
  }
}

/** Remembers where to reach the person; the newest reference wins (a reinstall changes it). */
export async function upsertConversationRef(db: Db, personId: string, reference: unknown, now: Date): Promise<void> {
  await db
    .insert(conversationRefs)
    .values({ personId, reference, updatedAt: now })
    .onConflictDoUpdate({ target: conversationRefs.personId, set: { reference, updatedAt: now } });
}

export async function conversationRefFor(db: Db, personId: string): Promise<unknown> {
  const [row] = await db.select().from(conversationRefs).where(eq(conversationRefs.personId, personId));
  return row?.reference;
}

export async function addSubstitute(
  db: Db,
  params: { personId: string; substituteId: string; fromDate: string; toDate: string; createdBy: string },
  now: Date,
): Promise<void> {
  await db
    .insert(substitutes)
    .values({ ...params, createdAt: now })
    .onConflictDoNothing();
}

/** The substitute standing in for `personId` on `date` (the most recently named one wins). */
export async function activeSubstitute(db: Db, personId: string, date: string): Promise<string | null> {
  const [row] = await db
    .select({ substituteId: substitutes.substituteId })
    .from(substitutes)
    .where(and(eq(substitutes.personId, personId), lte(substitutes.fromDate, date), gte(substitutes.toDate, date)))
    .orderBy(sql`${substitutes.createdAt} desc, ${substitutes.id} desc`)
    .limit(1);
  return row?.substituteId ?? null;
}

/**
 * The people `substituteId` stands in for on `date`: those whose substitute for that day, the most
 * recently named one (as activeSubstitute picks), is them. One query, also used as a subquery.
 */
function coveredQuery(substituteId: StatementValue, date: StatementValue): SQL {
  return sql`select s.person_id from ${substitutes} s
    where s.substitute_id = ${substituteId} and s.from_date <= ${date} and s.to_date >= ${date}
      and (select a.substitute_id from ${substitutes} a where a.person_id = s.person_id and a.from_date <= ${date} and a.to_date >= ${date}
           order by a.created_at desc, a.id desc limit 1) = ${substituteId}`;
}

/** The people `substituteId` stands in for on `date`. */
export async function coveredBy(db: Db, substituteId: string, date: string): Promise<string[]> {
  const rows = rowsOf<{ person_id: string }>(await db.execute(sql`select distinct c.person_id from (${coveredQuery(substituteId, date)}) c`));
  return rows.map((r) => r.person_id);
}

/**
 * The person and the people they stand in for on `date`, as a subquery for `in (…)`: the same
 * set as [personId, ...coveredBy(personId, date)], without a round trip of its own.
 */
export function selfAndCoveredSql(personId: StatementValue, date: StatementValue): SQL {
  return sql`(select ${personId}::text union ${coveredQuery(personId, date)})`;
}

/** Who holds `role` on a case, by case reference. */
export async function holdersFor(db: Db, caseRef: string, role?: RoleId): Promise<Array<{ role: string; personId: string }>> {
  const rows = await db
    .select({ role: caseRoles.role, personId: caseRoles.personId })
    .from(caseRoles)
    .innerJoin(cases, eq(cases.id, caseRoles.caseId))
    .where(role === undefined ? eq(cases.caseRef, caseRef) : and(eq(cases.caseRef, caseRef), eq(caseRoles.role, role)));
  return rows;
}

/** The PeopleDirectory the case services read, over these tables. */
export function createPeopleDirectory(db: Db): PeopleDirectory {
  const column = async (ids: string[], pick: (p: PersonRow) => string) =>
    new Map((await findPeopleByIds(db, ids)).map((p) => [p.id, pick(p)] as const));
  return {
    coveredBy: (personId, date) => coveredBy(db, personId, date),
    activeSubstitute: (personId, date) => activeSubstitute(db, personId, date),
    names: (ids) => column(ids, (p) => p.name),
    emails: (ids) => column(ids, (p) => p.email),
    profile: async (personId) => {
      const p = await findPersonById(db, personId);
      return p ? { roles: p.roles as RoleId[], area: p.area } : null;
    },
    managerOf: async (personId) => (await findPersonById(db, personId))?.managerId ?? null,
  };
}

/** Staff holding a role in the organisation, for the "ny placering" card's hints. */
export async function findByName(db: Db, name: string): Promise<PersonRow[]> {
  return db.select().from(people).where(sql`lower(${people.name}) = lower(${name.trim()})`);
}

/** What the case services need to know about people; implemented over the people tables. */
export type PeopleDirectory = {
  /** Ids of the people `personId` stands in for on `date` (their active substitutions). */
  coveredBy: (personId: string, date: string) => Promise<string[]>;
  /** The person standing in for `personId` on `date`, if any. */
  activeSubstitute: (personId: string, date: string) => Promise<string | null>;
  /** Display names of staff (never clients). */
  names: (ids: string[]) => Promise<Map<string, string>>;
  emails: (ids: string[]) => Promise<Map<string, string>>;
  /** Roles and area the person holds in the organisation (for coordinator-level access). */
  profile: (personId: string) => Promise<{ roles: RoleId[]; area: string | null } | null>;
  /** The person's manager (enhetschef), for escalation. */
  managerOf: (personId: string) => Promise<string | null>;
};

/**
 * Staff holding `role` whose name or e-mail contains `text` (case-insensitive), for the people
 * picker. Area filtering is the caller's (a person's areas share one column).
 */
export async function searchPeopleByRole(db: Db, params: { role: string; text: string; limit: number }): Promise<PersonRow[]> {
  // LIKE's own wildcards in what was typed are matched literally.
  const pattern = `%${params.text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return db
    .select()
    .from(people)
    .where(and(sql`${params.role} = any(${people.roles})`, sql`(lower(${people.name}) like ${pattern} or ${people.email} like ${pattern})`))
    .orderBy(people.name)
    .limit(params.limit);
}

/** The people whose manager is `managerId` in the directory. */
export async function directReports(db: Db, managerId: string): Promise<PersonRow[]> {
  return db.select().from(people).where(eq(people.managerId, managerId));
}

/** Every person's id, e-mail and Entra object id (an import matches the file against these). */
export async function peopleIdentities(db: Db): Promise<Array<{ id: string; email: string; aadObjectId: string | null }>> {
  return db.select({ id: people.id, email: people.email, aadObjectId: people.aadObjectId }).from(people);
}

/** Everyone's e-mail, name, roles and manager, by e-mail. */
export async function peopleWithManagers(db: Db): Promise<Array<{ email: string; name: string; roles: string[]; managerId: string | null }>> {
  return db.select({ email: people.email, name: people.name, roles: people.roles, managerId: people.managerId }).from(people).orderBy(asc(people.email));
}
