import { appendAudit } from '../db/audit.ts';
import { findCaseBrief, holdsRoleOnCase, openDueStepsHeldBy } from '../db/case-roles.ts';
import type { Db } from '../db/client.ts';
import { coveredBy } from '../db/people.ts';
import { setSnooze } from '../db/reminders.ts';
import { isLocalDate, type LocalDate } from '../domain/calendar/local-date.ts';
import { stockholmDate } from '../domain/calendar/stockholm.ts';
import type { Clock } from '../lib/clock.ts';
import type { ServiceResult } from './types.ts';
import { noCase } from './case-access.ts';

export type SnoozeInput = { caseRef: string; stepKey?: string | undefined; until: string; personId: string };

/**
 * "Påminn mig DATUM": the holder's (or their substitute's) next reminder on the step waits until
 * that day. The deadline does not move and the manager's escalation keeps its date. Without a step
 * key, every open step with a deadline the person holds on the case. Audited.
 */
export async function snoozeReminders(deps: { db: Db; clock: Clock }, input: SnoozeInput): Promise<ServiceResult<{ message: string }>> {
  const now = deps.clock.now();
  const today = stockholmDate(now);
  if (!isLocalDate(input.until)) return { ok: false, code: 'invalid_input', message: 'Ange datumet som ÅÅÅÅ-MM-DD, t.ex. påminn mig FF-2026-0142 2027-03-15.' };
  if (input.until <= today) return { ok: false, code: 'invalid_input', message: `Välj ett datum efter i dag (${today}).` };
  return deps.db.transaction(async (tx) => {
    const found = await findCaseBrief(tx, input.caseRef);
    const holders = [input.personId, ...(await coveredBy(tx, input.personId, today))];
    // Unknown, or no role on it: one answer, so the reply tells nothing about the case.
    if (!found || !(await holdsRoleOnCase(tx, found.id, holders))) {
      // An attempt on a case the person has no role on (or a probe of a reference): audited.
      await appendAudit(tx, { actor: input.personId, action: 'reminder.snooze.refused', caseRef: input.caseRef, detail: { reason: 'not_found' } }, now);
      return noCase(input.caseRef);
    }
    if (found.status !== 'open') return { ok: false, code: 'conflict', message: `Ärendet ${input.caseRef} är avslutat; det finns inget att påminna om.` } as const;
    const steps = await openDueStepsHeldBy(tx, found.id, holders);
    const chosen = input.stepKey === undefined ? steps : steps.filter((s) => s.stepKey === input.stepKey);
    if (chosen.length === 0) {
      return { ok: false, code: 'forbidden', message: `Du har inget öppet steg med sista dag på ${input.caseRef} att skjuta upp påminnelsen för.` } as const;
    }
    for (const s of chosen) await setSnooze(tx, { caseId: found.id, stepKey: s.stepKey, until: input.until }, now);
    await appendAudit(tx, { actor: input.personId, action: 'reminder.snooze', caseRef: input.caseRef, detail: { steps: chosen.map((s) => s.stepKey), until: input.until } }, now);
    return { ok: true, message: snoozedText(input.caseRef, input.until, chosen) } as const;
  });
}

function snoozedText(caseRef: string, until: LocalDate, steps: Array<{ title: string; due: string | null }>): string {
  const what = steps.length === 1 ? `”${steps[0]?.title ?? ''}”` : `${steps.length} steg`;
  const deadline = steps.length === 1 && steps[0]?.due ? ` Sista dag är fortfarande ${steps[0].due}.` : ' Sista dagarna ändras inte.';
  // The ladder keeps the due-day reminder when the chosen day lies after it: say so.
  const earlier = steps.flatMap((s) => (s.due !== null && s.due < until ? [s.due] : [])).sort();
  const first = earlier.length === 0 ? '' : ` Sista dagen (${earlier[0] ?? ''}) kommer före ${until}, så påminnelsen på sista dagen kommer först.`;
  return `⏰ Jag påminner dig om ${what} på ${caseRef} ${until}.${deadline}${first}`;
}
