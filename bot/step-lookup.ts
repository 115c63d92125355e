import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { cases, caseSteps } from '../db/schema/index.ts';
import type { LocalDate } from '../domain/calendar/local-date.ts';

/** One step as a card needs it; never a client's name or personnummer. */
export type StepSnapshot = {
  caseRef: string;
  clientInitials: string;
  routineId: string;
  routineVersion: number;
  stepKey: string;
  stepId: string;
  title: string;
  role: string;
  status: 'open' | 'done' | 'skipped' | 'cancelled';
  due: LocalDate | null;
  assigneeId: string | null;
  completedBy: string | null;
  completedAt: Date | null;
};

export type StepLookup = (caseRef: string, stepKey: string) => Promise<StepSnapshot | undefined>;

/** Reads the case services' step projection (case_steps); read-only. */
export function createStepLookup(db: Db): StepLookup {
  return async (caseRef, stepKey) => {
    const [row] = await db
      .select({
        caseRef: cases.caseRef,
        clientInitials: cases.clientInitials,
        routineId: cases.routineId,
        routineVersion: cases.routineVersion,
        stepKey: caseSteps.stepKey,
        stepId: caseSteps.stepId,
        title: caseSteps.title,
        role: caseSteps.role,
        status: caseSteps.status,
        due: caseSteps.due,
        assigneeId: caseSteps.assigneeId,
        completedBy: caseSteps.completedBy,
        completedAt: caseSteps.completedAt,
      })
      .from(caseSteps)
      .innerJoin(cases, eq(cases.id, caseSteps.caseId))
      .where(and(eq(cases.caseRef, caseRef), eq(caseSteps.stepKey, stepKey)));
    return row ? { ...row, status: row.status as StepSnapshot['status'] } : undefined;
  };
}

/** Which routine (and version) a case follows: what a card for a case-level event must ask. */
export async function routineOfCase(db: Db, caseRef: string): Promise<{ routineId: string; routineVersion: number; status: string } | undefined> {
  const [row] = await db.select({ routineId: cases.routineId, routineVersion: cases.routineVersion, status: cases.status }).from(cases).where(eq(cases.caseRef, caseRef));
  return row;
}
