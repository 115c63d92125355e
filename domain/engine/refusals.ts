/**
 * Expected refusals are values with a closed set of codes (STYLE.md §5). The shell shows
 * `message` (Swedish) to the person; `step_not_open` on a step already done is the
 * "redan klart" case for the second person who clicks.
 */
export const REFUSAL_CODES = [
  'wrong_role',
  'step_not_open',
  'data_missing',
  'data_invalid',
  'rule_not_met',
  'case_closed',
  'unknown_step',
  'unknown_timer',
  'unknown_routine',
  'case_exists',
  'no_case',
] as const;

export type RefusalCode = (typeof REFUSAL_CODES)[number];

/** The generic Swedish sentence per code; a refusal usually carries a more specific one. */
const REFUSAL_MESSAGES: Readonly<Record<RefusalCode, string>> = {
  wrong_role: 'Du har inte den roll på ärendet som steget kräver.',
  step_not_open: 'Steget är inte öppet just nu.',
  data_missing: 'Uppgifter saknas.',
  data_invalid: 'En uppgift är inte giltig.',
  rule_not_met: 'Rutinens regler är inte uppfyllda.',
  case_closed: 'Ärendet är avslutat.',
  unknown_step: 'Steget finns inte i rutinen.',
  unknown_timer: 'Bevakningen finns inte (längre) på ärendet.',
  unknown_routine: 'Rutinen eller versionen finns inte.',
  case_exists: 'Ärendet är redan startat.',
  no_case: 'Ärendet är inte startat.',
};

export type Refusal = { ok: false; reason: RefusalCode; message: string };

export function refuse(reason: RefusalCode, message: string = REFUSAL_MESSAGES[reason]): Refusal {
  return { ok: false, reason, message };
}
