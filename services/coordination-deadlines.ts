import { findQueueEntry, findUnit, findVacancy, claimAnswerReminder, offersDueForAnswerReminder } from '../db/coordination.ts';
import type { Db } from '../db/client.ts';
import { stockholmDate } from '../domain/calendar/stockholm.ts';
import { isWorkingTime, type WorkingTime } from '../domain/calendar/working-time.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import { tell, vacancyLabel } from './coordination-support.ts';

export type OfferDeadlineDeps = { db: Db; clock: Clock; logger: Logger; hours: WorkingTime };

/**
 * Routine 5 step 3 asks the person for an answer by a deadline (OFFER_ANSWER_WORKING_DAYS). On
 * that morning the enhetschef who offered and myndigheten are reminded, once: each offer is claimed
 * by compare-and-set in the same transaction as its outbox rows, so concurrent sweeps (or an
 * answer arriving meanwhile) never double it. An answered offer is no longer 'offered' and is skipped.
 * Like every reminder it leaves only in working time: one that came due while the service was down
 * (or before working hours begin) waits for the next working time, and then says the day has passed.
 */
export async function sweepOfferDeadlines(deps: OfferDeadlineDeps, limit = 200): Promise<number> {
  const now = deps.clock.now();
  if (!isWorkingTime(now, deps.hours)) return 0;
  let sent = 0;
  for (const due of await offersDueForAnswerReminder(deps.db, now, limit)) {
    const done = await deps.db.transaction(async (tx) => {
      // Zero rows: another sweeper reminded, or the answer came first. Nothing to do.
      if (!(await claimAnswerReminder(tx, due.id))) return false;
      const entry = await findQueueEntry(tx, due.queueEntryId);
      const vacancy = await findVacancy(tx, due.vacancyId);
      const unit = vacancy ? await findUnit(tx, vacancy.unitId) : undefined;
      if (!entry || !vacancy) return false;
      const label = vacancyLabel(vacancy);
      const who = `${entry.caseRef} ${entry.clientInitials}`;
      const where = unit ? ` (${unit.name})` : '';
      const manager = due.offeredBy;
      const when = answerDueText(due.answerDeadline, stockholmDate(now));
      if (manager) {
        await tell(tx, { personId: manager, ref: entry.caseRef, key: `${due.id}:answer-due`, message: `⏰ Svaret från ${who} på erbjudandet om ${label}${where} ${when}. Registrera svaret: **tackat ja ${label} DATUM** eller **tackat nej ${label} ORSAK**.` }, now);
      }
      if (due.reservedBy !== manager) {
        await tell(tx, { personId: due.reservedBy, ref: entry.caseRef, key: `${due.id}:answer-due`, message: `⏰ Svaret från ${who} på erbjudandet om ${label}${where} ${when}. Enhetschefen har påmints.` }, now);
      }
      return true;
    });
    if (done) sent += 1;
    else deps.logger.info({ code: 'OFFER_REMINDER_SKIPPED', offerId: due.id }, 'offer answer reminder already sent or answered');
  }
  return sent;
}

/** "ska komma senast i dag (…)" on the day; after a downtime that outlasted it, that the day has passed. */
function answerDueText(deadline: string | null, today: string): string {
  if (deadline === null || deadline >= today) return `ska komma senast i dag (${deadline ?? today})`;
  return `skulle ha kommit senast ${deadline} och har inte registrerats`;
}
