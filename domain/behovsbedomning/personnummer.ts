import { compareDates, isValidDate, type CalendarDate } from './swedish-date.ts';

export type PersonnummerResult =
  | { ok: true; value: string; samordningsnummer: boolean }
  | { ok: false; reason: 'format' | 'date' | 'checksum' | 'century' };

/** Finds a personnummer-shaped token: 8 or 6 digits, optional -/+ (or space), 4 digits. */
const PNR_PATTERN = /(?<![\d-])(\d{8}|\d{6})\s?([-+])?\s?(\d{4})(?![\d-])/;

export function findPersonnummerText(text: string): { text: string; index: number } | null {
  const m = PNR_PATTERN.exec(text);
  return m ? { text: m[0], index: m.index } : null;
}

/** Luhn over the ten digits YYMMDDNNNC, as Skatteverket defines the check digit. */
export function luhnValid(tenDigits: string): boolean {
  if (!/^\d{10}$/.test(tenDigits)) return false;
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    let n = Number(tenDigits[i]) * (i % 2 === 0 ? 2 : 1);
    if (n > 9) n -= 9;
    sum += n;
  }
  return sum % 10 === 0;
}

export function luhnCheckDigit(nineDigits: string): number {
  for (let c = 0; c < 10; c++) if (luhnValid(`${nineDigits}${c}`)) return c;
  throw new Error('unreachable');
}

/**
 * Parses a personnummer or samordningsnummer into its 12-digit form.
 *
 * A 10-digit form has no century. As Skatteverket writes them, "-" means the person is under
 * 100 and "+" that they have turned 100, both on `reference` (the assessment date; domain/ has
 * no clock). Without a separator we read it as "-". Samordningsnummer add 60 to the day.
 */
export function parsePersonnummer(text: string, reference: CalendarDate | null): PersonnummerResult {
  const m = /^\s*(\d{8}|\d{6})\s?([-+])?\s?(\d{4})\s*$/.exec(text);
  if (!m) return { ok: false, reason: 'format' };
  const [, datePart = '', sep, tail = ''] = m;
  if (datePart.length === 8 && sep === '+') return { ok: false, reason: 'format' };
  const yy = Number(datePart.slice(-6, -4));
  const month = Number(datePart.slice(-4, -2));
  const rawDay = Number(datePart.slice(-2));
  const samordningsnummer = rawDay > 60;
  const day = samordningsnummer ? rawDay - 60 : rawDay;

  let year: number;
  if (datePart.length === 8) {
    year = Number(datePart.slice(0, 4));
  } else {
    if (reference === null) return { ok: false, reason: 'century' };
    year = resolveCentury(yy, month, day, sep === '+', reference);
  }
  const birth = { year, month, day };
  if (!isValidDate(birth)) return { ok: false, reason: 'date' };
  if (reference !== null && compareDates(birth, reference) > 0) return { ok: false, reason: 'date' };
  if (!luhnValid(`${datePart.slice(-6)}${tail}`)) return { ok: false, reason: 'checksum' };
  return { ok: true, value: `${String(year).padStart(4, '0')}${datePart.slice(-4)}${tail}`, samordningsnummer };
}

function resolveCentury(yy: number, month: number, day: number, hundredPlus: boolean, ref: CalendarDate): number {
  // Latest year ending in yy whose birthday is not after the reference date.
  let year = ref.year - ((ref.year - yy) % 100 + 100) % 100;
  if (compareDates({ year, month, day }, ref) > 0) year -= 100;
  return hundredPlus ? year - 100 : year;
}
