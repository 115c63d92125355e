import { addDays, formatLocalDate, isLocalDate, type LocalDate } from './local-date.ts';

/**
 * The one reader of dates as Swedish staff, providers and documents write them: "2026-12-01",
 * "2026/12/01", "20261201", "1 december 2026", "1:a dec. 2026", "1/12", "1/12 2026", "1.12.2026",
 * "1/12-26", "idag", "igår", "i morgon". Every quantifier is bounded, so a scan is linear in the
 * text whatever a mail or a chat line holds.
 */

const MONTHS: ReadonlyArray<readonly [string, number]> = [
  ['januari', 1], ['februari', 2], ['mars', 3], ['april', 4], ['maj', 5], ['juni', 6], ['juli', 7],
  ['augusti', 8], ['september', 9], ['oktober', 10], ['november', 11], ['december', 12],
  ['jan', 1], ['feb', 2], ['mar', 3], ['apr', 4], ['jun', 6], ['jul', 7], ['aug', 8], ['sept', 9],
  ['sep', 9], ['okt', 10], ['nov', 11], ['dec', 12],
];
const MONTH_WORD = MONTHS.map(([name]) => name).join('|');

export function monthNumber(word: string): number | undefined {
  const w = word.toLowerCase().replace(/\.$/, '');
  return MONTHS.find(([name]) => name === w)?.[1];
}

/** A date-shaped piece of text; `date` is absent when it names no real day (2026-02-30). */
export type FoundDate = {
  index: number;
  length: number;
  date: LocalDate | undefined;
  /** False for "1/12", "1 december", "idag": the year (or day) came from the reference date. */
  hadYear: boolean;
};

// One alternation, tried left to right at each position. Groups: iso (y, m, d), compact (y, m,
// d), month word (d, month, y?), numeric day first (d, m, y?), relative words.
const SCANNER = new RegExp(
  [
    String.raw`(?<![\d/.-])(?<isoY>\d{4})(?<isoSep>[-/.])(?<isoM>\d{1,2})\k<isoSep>(?<isoD>\d{1,2})(?![\d/.-]?\d)`,
    String.raw`(?<!\d)(?<cY>(?:19|20)\d{2})(?<cM>\d{2})(?<cD>\d{2})(?!\d)`,
    String.raw`(?<![\d/.])(?<wD>\d{1,2})(?::[ae])?[ \t]{0,3}(?<wM>${MONTH_WORD})\.?(?:[ \t]{0,3},?[ \t]{0,3}(?<wY>\d{4}))?(?![\p{L}\d])`,
    String.raw`(?<![\d/.-])(?<nD>\d{1,2})(?<nSep>[/.])(?<nM>\d{1,2})(?:(?:[ \t]{1,3}|[ \t]{0,3}-[ \t]{0,3}|\k<nSep>)(?<nY>\d{4})(?!\d)|(?:\k<nSep>|-)(?<nY2>\d{2})(?!\d)|(?!\d))(?![/.]\d)`,
    String.raw`(?<![\p{L}])(?<rel>i[ \t]?dag|i[ \t]?går|i[ \t]?gar|i[ \t]?morgon)(?![\p{L}])`,
  ].join('|'),
  'giu',
);

/**
 * Every date-shaped piece of `text`, in the order written. Without a `reference` only dates with
 * a year are read (documents); with one, "1/12" and "idag" are read too, a yearless date as the
 * nearest such day around the reference (a move-in reported as "1/12" in January means last
 * December).
 */
export function findSwedishDates(text: string, reference?: LocalDate): FoundDate[] {
  const found: FoundDate[] = [];
  SCANNER.lastIndex = 0;
  for (let m = SCANNER.exec(text); m; m = SCANNER.exec(text)) {
    const g = m.groups ?? {};
    const at = { index: m.index, length: m[0].length };
    if (g.isoY) found.push({ ...at, hadYear: true, date: valid(+g.isoY, +(g.isoM ?? 0), +(g.isoD ?? 0)) });
    else if (g.cY) found.push({ ...at, hadYear: true, date: valid(+g.cY, +(g.cM ?? 0), +(g.cD ?? 0)) });
    else if (g.wD && g.wM) {
      const month = monthNumber(g.wM) ?? 0;
      if (g.wY) found.push({ ...at, hadYear: true, date: valid(+g.wY, month, +g.wD) });
      else if (reference) found.push({ ...at, hadYear: false, date: nearest(+g.wD, month, reference) });
    } else if (g.nD && g.nM) {
      if (g.nY ?? g.nY2) found.push({ ...at, hadYear: true, date: valid(g.nY ? +g.nY : 2000 + +(g.nY2 ?? 0), +g.nM, +g.nD) });
      else if (reference) found.push({ ...at, hadYear: false, date: nearest(+g.nD, +g.nM, reference) });
    } else if (g.rel && reference) {
      const word = g.rel.toLowerCase().replace(/[ \t]/g, '');
      const shift = word === 'idag' ? 0 : word === 'imorgon' ? 1 : -1;
      found.push({ ...at, hadYear: false, date: addDays(reference, shift) });
    }
  }
  return found;
}

export type ReadDate = { ok: true; date: LocalDate } | { ok: false; reason: 'not_a_date' | 'no_such_date' };

/**
 * Reads `text` as one date and nothing else ("1 december", "2026-12-01"). "2026-02-30" is
 * `no_such_date`, so the user is told the date does not exist rather than that none was found.
 */
export function readSwedishDate(text: string, today: LocalDate): ReadDate {
  const trimmed = text.trim();
  if (trimmed.length > 40) return { ok: false, reason: 'not_a_date' };
  const [first, ...more] = findSwedishDates(trimmed, today);
  if (!first || more.length > 0 || first.index !== 0 || first.length !== trimmed.replace(/[.,]$/, '').length) return { ok: false, reason: 'not_a_date' };
  return first.date ? { ok: true, date: first.date } : { ok: false, reason: 'no_such_date' };
}

/** "november" / "nov 2026" / "2026-11" in a report's text or file name → '2026-11', the latest such month. */
export function findReportMonth(text: string, reference: LocalDate): string | null {
  const iso = /(?<!\d)(20\d{2})[-_](0[1-9]|1[0-2])(?![\d-])/.exec(text);
  if (iso) return `${iso[1]}-${iso[2]}`;
  const m = new RegExp(`(?<!\\p{L})(${MONTH_WORD})\\.?(?:[ \\t]{1,3}(\\d{4}))?(?!\\p{L})`, 'iu').exec(text);
  const month = m?.[1] ? monthNumber(m[1]) : undefined;
  if (!m || month === undefined) return null;
  if (m[2] !== undefined) return `${m[2]}-${String(month).padStart(2, '0')}`;
  // A report is about a month that has passed (or is ending).
  const refYear = Number(reference.slice(0, 4));
  const refMonth = Number(reference.slice(5, 7));
  const year = month <= refMonth ? refYear : refYear - 1;
  return `${year}-${String(month).padStart(2, '0')}`;
}

function valid(year: number, month: number, day: number): LocalDate | undefined {
  if (year < 1800 || year > 2200) return undefined;
  const date = formatLocalDate(year, month, day);
  return isLocalDate(date) ? date : undefined;
}

function nearest(day: number, month: number, reference: LocalDate): LocalDate | undefined {
  const refYear = Number(reference.slice(0, 4));
  const refDay = dayNumber(reference);
  const candidates = [refYear - 1, refYear, refYear + 1]
    .map((y) => valid(y, month, day))
    .filter((d): d is LocalDate => d !== undefined);
  return candidates.sort((a, b) => Math.abs(dayNumber(a) - refDay) - Math.abs(dayNumber(b) - refDay))[0];
}

/** Days since 1970-01-01 of a valid local date (UTC arithmetic: no clock, no zone). */
function dayNumber(date: LocalDate): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 86_400_000;
}
