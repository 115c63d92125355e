import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from './client.ts';
import { preparedPerDb, type StatementValue } from './kept-statement.ts';
import { selfAndCoveredSql } from './people.ts';
import { caseRoles, cases, caseSteps, people } from './schema/index.ts';

/** The columns that describe a step of a case to its holder: case ref and initials, never more. */
const stepViewColumns = {
  caseRef: cases.caseRef,
  clientInitials: cases.clientInitials,
  routineId: cases.routineId,
  routineVersion: cases.routineVersion,
  stepKey: caseSteps.stepKey,
  stepId: caseSteps.stepId,
  title: caseSteps.title,
  role: caseSteps.role,
  due: caseSteps.due,
};

/** One step of a case by its key, from the step projection, with the name of the staff member who completed it. */
export async function findCaseStep(db: Db, caseRef: string, stepKey: string) {
  const [row] = await caseStepQuery(db).execute({ caseRef, stepKey });
  return row;
}

const caseStepQuery = preparedPerDb((db) =>
  db
    .select({
      ...stepViewColumns,
      status: caseSteps.status,
      assigneeId: caseSteps.assigneeId,
      completedBy: caseSteps.completedBy,
      completedAt: caseSteps.completedAt,
      completedByName: people.name,
    })
    .from(caseSteps)
    .innerJoin(cases, eq(cases.id, caseSteps.caseId))
    .leftJoin(people, eq(people.id, caseSteps.completedBy))
    .where(and(eq(cases.caseRef, sql.placeholder('caseRef')), eq(caseSteps.stepKey, sql.placeholder('stepKey'))))
    .prepare('find_case_step'),
);

/** Which routine (and version) a case follows, and whether it is still open. */
export async function routineOfCase(db: Db, caseRef: string): Promise<{ routineId: string; routineVersion: number; status: string } | undefined> {
  const [row] = await db.select({ routineId: cases.routineId, routineVersion: cases.routineVersion, status: cases.status }).from(cases).where(eq(cases.caseRef, caseRef));
  return row;
}

/**
 * Open steps of open cases whose role the person, or someone they stand in for on `date`, holds
 * now (a reassigned role moves its open steps too), with that holder; undated last, then by due
 * date and opening. One query: who they stand in for is a subquery. With `caseRef`, only that
 * case's.
 */
export async function openStepsHeldBy(db: Db, personId: string, date: string, caseRef?: string) {
  return openStepsHeldByQuery(db, personId, date, caseRef).orderBy(sql`${caseSteps.due} is null`, asc(caseSteps.due), asc(caseSteps.openedAt));
}

/** The rows of openStepsHeldBy in no order, not yet sent (a part of a larger statement that orders them). */
export function openStepsHeldByQuery(db: Db, personId: StatementValue, date: StatementValue, caseRef?: string) {
  return db
    .select({ ...stepViewColumns, openedAt: caseSteps.openedAt, holder: caseRoles.personId })
    .from(caseSteps)
    .innerJoin(cases, eq(cases.id, caseSteps.caseId))
    .innerJoin(caseRoles, and(eq(caseRoles.caseId, caseSteps.caseId), eq(caseRoles.role, caseSteps.role)))
    .where(
      and(
        eq(caseSteps.status, 'open'),
        eq(cases.status, 'open'),
        caseRef === undefined ? undefined : eq(cases.caseRef, caseRef),
        inArray(caseRoles.personId, selfAndCoveredSql(personId, date)),
      ),
    );
}

/** Every step of a case in the order they opened. */
export async function caseStepsInOrder(db: Db, caseId: number) {
  return db.select().from(caseSteps).where(eq(caseSteps.caseId, caseId)).orderBy(asc(caseSteps.seq));
}

export type CaseStepValues = typeof caseSteps.$inferInsert;

/** Writes an event's changed steps of one case in one statement (insert, or update the existing row). */
export async function upsertCaseSteps(tx: Db, rows: CaseStepValues[]): Promise<void> {
  if (rows.length === 0) return;
  const fromInsert = (column: string) => sql.raw(`excluded.${column}`);
  await tx
    .insert(caseSteps)
    .values(rows)
    .onConflictDoUpdate({
      target: [caseSteps.caseId, caseSteps.stepKey],
      set: {
        stepId: fromInsert('step_id'),
        title: fromInsert('title'),
        role: fromInsert('role'),
        assigneeId: fromInsert('assignee_id'),
        status: fromInsert('status'),
        seq: fromInsert('seq'),
        due: fromInsert('due'),
        openedAt: fromInsert('opened_at'),
        completedAt: fromInsert('completed_at'),
        completedBy: fromInsert('completed_by'),
        completedByRole: fromInsert('completed_by_role'),
      },
    });
}
