import { findCaseStep } from '../db/case-steps.ts';
import type { Db } from '../db/client.ts';

/** One step as a card needs it (the step projection's row); never a client's name or personnummer. */
export type StepSnapshot = Omit<NonNullable<Awaited<ReturnType<typeof findCaseStep>>>, 'status'> & {
  status: 'open' | 'done' | 'skipped' | 'cancelled';
};

export type StepLookup = (caseRef: string, stepKey: string) => Promise<StepSnapshot | undefined>;

/** Reads the case services' step projection (case_steps); read-only. */
export function createStepLookup(db: Db): StepLookup {
  return async (caseRef, stepKey) => {
    const row = await findCaseStep(db, caseRef, stepKey);
    return row ? { ...row, status: row.status as StepSnapshot['status'] } : undefined;
  };
}
