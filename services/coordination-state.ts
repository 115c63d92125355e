import type { Db } from '../db/client.ts';
import { findQueueEntry, findUnit, liveOfferForVacancy, type OfferRow, type VacancyRow } from '../db/coordination.ts';
import { findPersonById } from '../db/people.ts';
import type { VacancyStatus } from '../domain/coordination/types.ts';
import { VACANCY_STATUS_TEXT } from '../domain/coordination/vacancy-state.ts';
import { unitManager, vacancyLabel } from './coordination-support.ts';

/** "erbjuden till", "reserverad för": the preposition each status takes before the person. */
const HELD: Partial<Record<VacancyStatus, string>> = {
  reserved: 'reserverad för',
  offered: 'erbjuden till',
  booked: 'bokad för',
};

/**
 * Where a vacancy stands and what must happen next, and who does it: the sentence a refused
 * action answers with, so a step done out of order says which step is missing instead of only
 * naming the status.
 */
export async function stateSentence(tx: Db, v: VacancyRow): Promise<string> {
  const label = vacancyLabel(v);
  const status = v.status as VacancyStatus;
  if (status === 'internal_move') return `${label} prövas för intern flytt och kan inte förmedlas förrän den frågan är avgjord.`;
  const offer = await liveOfferForVacancy(tx, v.id);
  const entry = offer ? await findQueueEntry(tx, offer.queueEntryId) : undefined;
  if (!offer || !entry) {
    const next = status === 'vacant' ? ` Först behöver myndigheten reservera den för en person i kön: **reservera ${label} REF**.` : '';
    return `${label} är ${VACANCY_STATUS_TEXT[status] ?? status}.${next}`;
  }
  const who = `${entry.caseRef} ${entry.clientInitials}`;
  if (status === 'occupied') return `${who} har redan flyttat in i ${label}; där finns inget mer att registrera.`;
  const reservedBy = (await findPersonById(tx, offer.reservedBy))?.name ?? 'myndigheten';
  const held = HELD[status] ?? `${VACANCY_STATUS_TEXT[status] ?? status} för`;
  return `${label} är ${held} ${who} (reserverad av ${reservedBy}). ${await nextStep(tx, v, offer, reservedBy)}`;
}

async function nextStep(tx: Db, v: VacancyRow, offer: OfferRow, reservedBy: string): Promise<string> {
  const label = vacancyLabel(v);
  const unit = await findUnit(tx, v.unitId);
  const managerId = unit ? await unitManager(tx, unit, v) : v.registeredBy;
  const manager = `ansvarig enhetschef (${(await findPersonById(tx, managerId))?.name ?? 'okänd'})`;
  switch (offer.status) {
    case 'reserved':
      return `Först behöver ${manager} erbjuda lägenheten: **erbjud ${label}**.`;
    case 'offered':
      return `Först behöver ${manager} registrera personens svar: **tackat ja ${label} DATUM** eller **tackat nej ${label} ORSAK**.`;
    case 'accepted':
      return offer.ordersSentAt
        ? `Nästa steg är att ${manager} bekräftar inflyttningen den dag den sker: **inflyttad ${label} DATUM**.`
        : `Först behöver myndigheten (${reservedBy}) skicka beställningarna: **beställt ${label}**.`;
    default:
      return '';
  }
}
