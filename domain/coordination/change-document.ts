import { addMonths, compareDates, type LocalDate } from '../calendar/local-date.ts';
import type { QueueEntry, Refusal } from './types.ts';

/** Routine 3: "Vid förmedling till BmSS ska dokumentet vara max 1 år gammalt." */
const CHANGE_DOCUMENT_MAX_AGE_MONTHS = 12;

const DOC = '”Byte BmSS/uppdaterad utredning BmSS”';

/**
 * The document is not needed for a direct internal move: a suitable vacancy within the
 * verksamhetschef's area and no move to another area or a bought place (scenarios 1, 2a/2b, 3).
 */
export function changeDocumentRequired(move: { direct: boolean }): boolean {
  return !move.direct;
}

/** At most one year old on the day of förmedling (addMonths: 2025-02-28 + 12 months = 2026-02-28). */
export function checkChangeDocument(documentDate: LocalDate | null, on: LocalDate, maxAgeMonths = CHANGE_DOCUMENT_MAX_AGE_MONTHS): { ok: true } | Refusal {
  if (documentDate === null) {
    return { ok: false, code: 'document_missing', message: `Dokumentet ${DOC} saknas. Socialsekreteraren upprättar det i Treserva och anger dess datum.` };
  }
  if (compareDates(addMonths(documentDate, maxAgeMonths), on) < 0) {
    return { ok: false, code: 'document_too_old', message: `Dokumentet ${DOC} (${documentDate}) är äldre än ett år. Uppdatera det, eller uppföljningsdokumentet, före förmedling.` };
  }
  return { ok: true };
}

/**
 * May this queue entry be offered a vacancy (förmedling) today? Change-of-home entries need the
 * investigation done (routine 5, section 4) and a document at most one year old (routine 3).
 */
export function checkReservable(entry: QueueEntry, today: LocalDate): { ok: true } | Refusal {
  if (entry.status !== 'active') return { ok: false, code: 'not_in_queue', message: 'Personen står inte i kön (beslutet är avslutat eller verkställt).' };
  if (entry.needsInvestigation) return { ok: false, code: 'needs_investigation', message: 'En ny utredning behöver göras innan personen kan erbjudas en lägenhet. Registrera den med **utredning klar REF DATUM**.' };
  if (entry.kind === 'change_of_home') return checkChangeDocument(entry.changeDocumentDate, today);
  return { ok: true };
}
