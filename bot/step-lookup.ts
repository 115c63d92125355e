import { findCaseStep } from '../db/case-steps.ts';
import type { Db } from '../db/client.ts';
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
    const row = await findCaseStep(db, caseRef, stepKey);
    return row ? { ...row, status: row.status as StepSnapshot['status'] } : undefined;
  };
}
