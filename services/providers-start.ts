import { compareDates, type LocalDate } from '../domain/calendar/local-date.ts';
import { birthDateOf, sixtyFifthBirthday } from '../domain/providers/turns-65.ts';
import type { StartCaseInput } from './types.ts';

/**
 * Transfer at 65 (routine 4): for boendestöd from socialpsykiatri the routine needs the 65th
 * birthday as the fact `turns65On`. Only that date enters the case state, never the personnummer
 * or the birth date. A person already 65 has no transfer ahead, and boendestöd that is not from
 * socialpsykiatri (marked by the fact `fromSocialpsykiatri` or the unit's name) has none either.
 */
export function withTurns65(input: StartCaseInput, today: LocalDate): StartCaseInput {
  if (input.routineId !== 'boendestod-lov' || input.facts?.turns65On !== undefined) return input;
  const fromSocialpsykiatri = input.facts?.fromSocialpsykiatri === true || /socialpsykiatri/i.test(input.unit ?? '');
  const birth = fromSocialpsykiatri ? birthDateOf(input.personnummer) : null;
  if (!birth) return input;
  const turns65On = sixtyFifthBirthday(birth);
  if (compareDates(turns65On, today) <= 0) return input;
  return { ...input, facts: { ...input.facts, turns65On } };
}
