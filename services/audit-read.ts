import { appendAudit } from '../db/audit.ts';
import type { Db } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';

/**
 * A read of case data the case services do not audit themselves: a task list or an overview
 * view shows case references, initials and steps (every read of case data is audited). One entry per
 * list, naming the cases it showed, so a log check can answer "who saw FF-2026-0142".
 */
export async function auditRead(
  deps: { db: Db; clock: Clock },
  personId: string,
  action: 'tasks.list' | 'overview.area' | 'overview.approaching' | 'overview.lead_times',
  detail: { caseRef?: string; caseRefs?: string[]; stepKeys?: string[]; via?: 'tab'; steps?: number },
): Promise<void> {
  const { caseRef, ...rest } = detail;
  // One statement, a transaction of its own: no BEGIN and COMMIT round trips around it.
  await appendAudit(deps.db, { actor: personId, action, caseRef: caseRef ?? null, detail: rest }, deps.clock.now());
}
