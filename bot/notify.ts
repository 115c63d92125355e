import { enqueue } from '../db/outbox.ts';
import type { BotDeps } from './deps.ts';
import type { TeamsNotificationPayload } from './notification-payload.ts';

/**
 * An info line to the absent holder. The completion itself is already committed by the service;
 * this row is keyed per step so a retried click never queues it twice.
 */
export async function notifyOriginalHolder(deps: Pick<BotDeps, 'db' | 'clock'>, n: { holderId: string; caseRef: string; stepKey: string; message: string }): Promise<void> {
  const key = `teams:substitute-info:${n.caseRef}:${n.stepKey}:${n.holderId}`;
  const payload: TeamsNotificationPayload = { kind: 'info', caseRef: n.caseRef, stepKey: n.stepKey, personId: n.holderId, message: n.message };
  await enqueue(deps.db, { channel: 'teams', dedupeKey: key, messageId: key, recipient: n.holderId, caseRef: n.caseRef, payload }, deps.clock.now());
}
