import { appendAudit } from '../db/audit.ts';
import type { Db } from '../db/client.ts';
import { clearReplyBodies, closedCasesDue, countDue, deleteLinkedQuarantine, forgetCasePerson, stripMailContent, type GallringCutoffs } from '../db/gallring.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import { stockholmParts } from '../domain/calendar/stockholm.ts';
import type { ClockTime } from '../domain/calendar/working-time.ts';

/** Days each kind of personal data is kept after its use is over (README, settings RETENTION_*). */
export type Retention = { mailContentDays: number; quarantineDays: number; closedCaseDays: number };

export type GallringCounts = { mailContent: number; providerReplies: number; quarantinedMail: number; closedCases: number };

/** Swedish names of the kinds, for the preview and the log. */
export const KIND_NAMES: Record<keyof GallringCounts, string> = {
  mailContent: 'text i skickade mejl',
  providerReplies: 'svar från utförare (hanterade)',
  quarantinedMail: 'mejl i karantän (kopplade)',
  closedCases: 'personuppgifter i avslutade ärenden',
};

const DAY_MS = 86_400_000;

function cutoffs(now: Date, r: Retention): GallringCutoffs {
  return {
    mailContent: new Date(now.getTime() - r.mailContentDays * DAY_MS),
    quarantine: new Date(now.getTime() - r.quarantineDays * DAY_MS),
    closedCase: new Date(now.getTime() - r.closedCaseDays * DAY_MS),
  };
}

/** What would go now, by kind and count: no names, no references. */
export function previewGallring(deps: { db: Db; clock: Clock; retention: Retention }): Promise<GallringCounts> {
  return countDue(deps.db, cutoffs(deps.clock.now(), deps.retention));
}

export type GallringDeps = { db: Db; clock: Clock; logger?: Logger; retention: Retention; actor?: string; batchSize?: number };

/**
 * Removes what is due, in batches: each batch is one transaction with its audit entry (what kind,
 * how many, which row ids), so an interrupted run leaves nothing half-removed or unaccounted for,
 * and the next run picks up where it stopped. A closed case is audited by reference and the
 * personnummer's keyed hash, so a later `audit person` still finds what was done to its data.
 */
export async function runGallring(deps: GallringDeps): Promise<GallringCounts> {
  const now = deps.clock.now();
  const cut = cutoffs(now, deps.retention);
  const actor = deps.actor ?? 'system:gallring';
  const limit = deps.batchSize ?? 200;
  const counts: GallringCounts = { mailContent: 0, providerReplies: 0, quarantinedMail: 0, closedCases: 0 };

  const batches = async (kind: keyof GallringCounts, action: string, removeBatch: (tx: Db) => Promise<number[]>) => {
    for (;;) {
      const ids = await deps.db.transaction(async (tx) => {
        const removed = await removeBatch(tx);
        if (removed.length > 0) await appendAudit(tx, { actor, action, detail: { kind, count: removed.length, ids: removed } }, now);
        return removed;
      });
      counts[kind] += ids.length;
      if (ids.length < limit) return;
    }
  };
  await batches('mailContent', 'gallring.mail_content', (tx) => stripMailContent(tx, cut.mailContent, limit));
  await batches('providerReplies', 'gallring.provider_replies', (tx) => clearReplyBodies(tx, cut.mailContent, limit));
  await batches('quarantinedMail', 'gallring.quarantined_mail', (tx) => deleteLinkedQuarantine(tx, cut.quarantine, limit));
  for (;;) {
    const due = await closedCasesDue(deps.db, cut.closedCase, limit);
    for (const c of due) {
      const done = await deps.db.transaction(async (tx) => {
        if (!(await forgetCasePerson(tx, { id: c.id, caseRef: c.caseRef, before: cut.closedCase }))) return false;
        await appendAudit(tx, { actor, action: 'gallring.case', caseRef: c.caseRef, detail: { kind: 'closedCases', pnrHash: c.pnrHash } }, now);
        return true;
      });
      if (done) counts.closedCases += 1;
    }
    if (due.length < limit) break;
  }
  deps.logger?.info({ code: 'GALLRING_DONE', ...counts }, 'gallring done');
  return counts;
}

/**
 * The daily job: runs once per Stockholm day, at the first tick after `dailyAt`. Several
 * instances may each run it; every removal re-checks that its row is still due, so they only
 * split the work.
 */
export function dailyGallring(deps: GallringDeps & { dailyAt: ClockTime }): () => Promise<void> {
  let lastDay: string | undefined;
  return async () => {
    const now = deps.clock.now();
    const parts = stockholmParts(now);
    if (parts.date === lastDay || parts.hour * 60 + parts.minute < deps.dailyAt.hour * 60 + deps.dailyAt.minute) return;
    await runGallring(deps);
    lastDay = parts.date;
  };
}
