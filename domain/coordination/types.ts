import type { LocalDate } from '../calendar/local-date.ts';

/**
 * Routine 5 (Ystad, boendekoordination) and routine 3 (intern flytt) as data: apartments and
 * queues. A vacancy moves vacant → reserved → offered → booked → occupied; a decline sends it
 * back to vacant, and an internal move (routine 3) holds it in internal_move until decided.
 */
export type VacancyStatus = 'vacant' | 'internal_move' | 'reserved' | 'offered' | 'booked' | 'occupied';

export type VacancyAction = 'reserve' | 'offer' | 'decline' | 'accept' | 'move_in' | 'propose_internal' | 'internal_approved' | 'internal_refused';

/** 'decision': a housing decision waiting for a place; 'change_of_home': the separate waiting list (byte av boende). */
export type QueueKind = 'decision' | 'change_of_home';

/** 'ended' only by myndigheten; 'placed' when the person has moved in. A decline changes neither. */
export type QueueStatus = 'active' | 'placed' | 'ended';

/** 1 = förtur, 2 = normal, 3 = låg: set by myndigheten. */
export type Priority = 1 | 2 | 3;

export type QueueEntry = {
  id: number;
  kind: QueueKind;
  status: QueueStatus;
  priority: number;
  decisionDate: LocalDate;
  declines: number;
  needsInvestigation: boolean;
  /** Date of "Byte BmSS/uppdaterad utredning BmSS"; null when none is made. */
  changeDocumentDate: LocalDate | null;
};

export type Refusal = { ok: false; code: 'wrong_state' | 'document_missing' | 'document_too_old' | 'needs_investigation' | 'not_in_queue'; message: string };
