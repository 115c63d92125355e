import type { Refusal } from './types.ts';

/**
 * Routine 3's gate before an internal move: "Innan en intern flytt genomförs ska enhetschef ha en
 * dialog med planeringsledare … Om planeringsledare motsätter sig … verksamhetschef BmSS beslutar."
 */
export type InternalMoveStatus = 'awaiting_planeringsledare' | 'awaiting_verksamhetschef' | 'approved' | 'refused';
export type PlaneringsledareAnswer = 'tillstyrker' | 'motsatter';
export type VerksamhetschefDecision = 'genomfor' | 'genomfor_ej';

export function answerInternalMove(status: InternalMoveStatus, answer: PlaneringsledareAnswer): { ok: true; next: InternalMoveStatus } | Refusal {
  if (status !== 'awaiting_planeringsledare') return { ok: false, code: 'wrong_state', message: 'Planeringsledaren har redan svarat på den interna flytten.' };
  return { ok: true, next: answer === 'tillstyrker' ? 'approved' : 'awaiting_verksamhetschef' };
}

/** The verksamhetschef's decision is final: once made it cannot be made again. */
export function decideInternalMove(status: InternalMoveStatus, decision: VerksamhetschefDecision): { ok: true; next: InternalMoveStatus } | Refusal {
  if (status === 'awaiting_planeringsledare') return { ok: false, code: 'wrong_state', message: 'Planeringsledaren har inte svarat ännu; verksamhetschef beslutar bara om planeringsledaren motsätter sig flytten.' };
  if (status !== 'awaiting_verksamhetschef') return { ok: false, code: 'wrong_state', message: 'Den interna flytten är redan avgjord.' };
  return { ok: true, next: decision === 'genomfor' ? 'approved' : 'refused' };
}

/** The internal move may be carried out only when the gate is open. */
export function mayCarryOut(status: InternalMoveStatus): boolean {
  return status === 'approved';
}
