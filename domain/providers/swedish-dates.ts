import { addDays, formatLocalDate, isLocalDate, type LocalDate } from '../calendar/local-date.ts';

/**
 * Dates as providers write them in a reply: "2026-12-03", "3 december", "3 dec 2026", "3/12",
 * "idag", "i morgon". A date without a year is the one nearest the day the mail was sent: "start
 * 3 januari" written on 28 December means next January.
 */

const MONTHS = ['januari', 'februari', 'mars', 'april', 'maj', 'juni', 'juli', 'augusti', 'september', 'oktober', 'november', 'december'];
const MONTH_WORD = '(januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|okt|nov|dec)\\.?';

export type FoundDate = { date: LocalDate; index: number };

const PATTERNS: ReadonlyArray<{ re: RegExp; pick: (m: RegExpExecArray, ref: LocalDate) => LocalDate | null }> = [
  { re: /(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)/g, pick: (m) => valid(Number(m[1]), Number(m[2]), Number(m[3])) },
  {
    re: new RegExp(`(?<![\\d/])(\\d{1,2})(?::e|:a)?\\s+${MONTH_WORD}(?:\\s+(\\d{4}))?(?!\\w)`, 'giu'),
    pick: (m, ref) => {
      const word = (m[2] ?? '').toLowerCase();
      const month = MONTHS.findIndex((name) => name.startsWith(word.slice(0, 3)));
      return month < 0 ? null : withYear(Number(m[1]), month + 1, m[3], ref);
    },
  },
  { re: /(?<![\d-])(\d{1,2})\/(\d{1,2})(?:[\s/-]+(\d{4}))?(?![\d/])/g, pick: (m, ref) => withYear(Number(m[1]), Number(m[2]), m[3], ref) },
  { re: /\b(i dag|idag)\b/giu, pick: (_m, ref) => ref },
  { re: /(?<!\p{L})(i morgon|imorgon)(?!\p{L})/giu, pick: (_m, ref) => addDays(ref, 1) },
];

/** Every date in the text, in the order written. */
export function findDates(text: string, reference: LocalDate): FoundDate[] {
  const found: FoundDate[] = [];
  for (const { re, pick } of PATTERNS) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const date = pick(m, reference);
      if (date) found.push({ date, index: m.index });
    }
  }
  return found.sort((a, b) => a.index - b.index);
}

function withYear(day: number, month: number, year: string | undefined, ref: LocalDate): LocalDate | null {
  if (year !== undefined) return valid(Number(year), month, day);
  const refYear = Number(ref.slice(0, 4));
  const candidates = [refYear - 1, refYear, refYear + 1].map((y) => valid(y, month, day)).filter((d): d is LocalDate => d !== null);
  const distance = (d: LocalDate) => Math.abs(Date.parse(d) - Date.parse(ref));
  return candidates.sort((a, b) => distance(a) - distance(b))[0] ?? null;
}

function valid(year: number, month: number, day: number): LocalDate | null {
  const date = formatLocalDate(year, month, day);
  return isLocalDate(date) ? date : null;
}

/** "november" / "nov 2026" in a report's text or file name → '2026-11', nearest the reference. */
export function findReportMonth(text: string, reference: LocalDate): string | null {
  const iso = /(?<!\d)(20\d{2})[-_](0[1-9]|1[0-2])(?![\d-])/.exec(text);
  if (iso) return `${iso[1]}-${iso[2]}`;
  const m = new RegExp(`(?<!\\p{L})${MONTH_WORD}(?:\\s+(\\d{4}))?(?!\\p{L})`, 'iu').exec(text);
  if (!m) return null;
  const word = (m[1] ?? '').toLowerCase();
  const month = MONTHS.findIndex((name) => name.startsWith(word.slice(0, 3))) + 1;
  if (month === 0) return null;
  if (m[2] !== undefined) return `${m[2]}-${String(month).padStart(2, '0')}`;
  // A report is about a month that has passed (or is ending): the latest such month.
  const refYear = Number(reference.slice(0, 4));
  const refMonth = Number(reference.slice(5, 7));
  const year = month <= refMonth ? refYear : refYear - 1;
  return `${year}-${String(month).padStart(2, '0')}`;
}
