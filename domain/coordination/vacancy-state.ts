import type { Refusal, VacancyAction, VacancyStatus } from './types.ts';

/** The allowed moves of a vacancy. Anything else is refused with a sentence that says why. */
const MOVES: Record<VacancyAction, { from: readonly VacancyStatus[]; to: VacancyStatus }> = {
  // Routine 3: "Innan lägenheten lämnas för förmedling" — only a vacancy not yet reserved.
  propose_internal: { from: ['vacant'], to: 'internal_move' },
  internal_approved: { from: ['internal_move'], to: 'booked' },
  internal_refused: { from: ['internal_move'], to: 'vacant' },
  reserve: { from: ['vacant'], to: 'reserved' },
  offer: { from: ['reserved'], to: 'offered' },
  // Routine 5 step 4: a "Tacka nej" frees the apartment for Myndigheten's next reservation.
  decline: { from: ['reserved', 'offered'], to: 'vacant' },
  accept: { from: ['offered'], to: 'booked' },
  move_in: { from: ['booked'], to: 'occupied' },
};

export const VACANCY_STATUS_TEXT: Record<VacancyStatus, string> = {
  vacant: 'ledig',
  internal_move: 'intern flytt prövas',
  reserved: 'reserverad',
  offered: 'erbjuden',
  booked: 'bokad',
  occupied: 'inflyttad',
};

/** The status a vacancy must have for the action, and the one it gets. */
export function vacancyMove(action: VacancyAction): { from: readonly VacancyStatus[]; to: VacancyStatus } {
  return MOVES[action];
}

export function nextVacancyStatus(current: VacancyStatus, action: VacancyAction): { ok: true; next: VacancyStatus } | Refusal {
  const move = MOVES[action];
  if (move.from.includes(current)) return { ok: true, next: move.to };
  return { ok: false, code: 'wrong_state', message: `Lägenheten är ${VACANCY_STATUS_TEXT[current]}, så det går inte nu.` };
}
