import { formatLocalDate, isLocalDate, type LocalDate } from '../calendar/local-date.ts';

/**
 * Routine 4: "När en person fyller 65 år och har pågående boendestöd från socialpsykiatri
 * övergår ansvaret till omvårdnadsförvaltningen." The engine never sees the personnummer: the
 * shell turns it into the one date the routine needs, the 65th birthday, at case start.
 */
export function birthDateOf(personnummer: string): LocalDate | null {
  const m = /^(\d{4})(\d{2})(\d{2})\d{4}$/.exec(personnummer.replace(/[-+\s]/g, ''));
  if (!m) return null;
  let day = Number(m[3]);
  // A samordningsnummer adds 60 to the day of birth.
  if (day > 60) day -= 60;
  const date = formatLocalDate(Number(m[1]), Number(m[2]), day);
  return isLocalDate(date) ? date : null;
}

/** The 65th birthday; a person born on 29 February turns 65 on 28 February (a non-leap year). */
export function sixtyFifthBirthday(birthDate: LocalDate): LocalDate {
  const year = Number(birthDate.slice(0, 4)) + 65;
  const month = Number(birthDate.slice(5, 7));
  const day = Number(birthDate.slice(8, 10));
  const date = formatLocalDate(year, month, day);
  return isLocalDate(date) ? date : formatLocalDate(year, month, day - 1);
}
