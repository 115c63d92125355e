/** A calendar date without time zone; month 1–12. */
export type CalendarDate = { year: number; month: number; day: number };

const MONTHS: ReadonlyArray<readonly [string, number]> = [
  ['januari', 1], ['februari', 2], ['mars', 3], ['april', 4], ['maj', 5], ['juni', 6],
  ['juli', 7], ['augusti', 8], ['september', 9], ['oktober', 10], ['november', 11],
  ['december', 12],
  ['jan', 1], ['feb', 2], ['mar', 3], ['apr', 4], ['jun', 6], ['jul', 7], ['aug', 8],
  ['sept', 9], ['sep', 9], ['okt', 10], ['nov', 11], ['dec', 12],
];
const MONTH_NAMES = MONTHS.map(([name]) => name).join('|');

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

export function isValidDate(d: CalendarDate): boolean {
  return Number.isInteger(d.year) && d.year >= 1800 && d.year <= 2200
    && d.month >= 1 && d.month <= 12 && d.day >= 1 && d.day <= daysInMonth(d.year, d.month);
}

export function formatIsoDate(d: CalendarDate): string {
  const p = (n: number, w: number): string => String(n).padStart(w, '0');
  return `${p(d.year, 4)}-${p(d.month, 2)}-${p(d.day, 2)}`;
}

export function compareDates(a: CalendarDate, b: CalendarDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

// Tried in order; each yields [year, month, day] from its groups. Swedish numeric dates put the
// day first ("18/11 2026"), never the month.
const PATTERNS: ReadonlyArray<{ re: RegExp; pick: (m: RegExpExecArray) => CalendarDate | null }> = [
  { re: /(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)/, pick: (m) => ymd(m[1], m[2], m[3]) },
  { re: /(?<!\d)(\d{4})[/.](\d{1,2})[/.](\d{1,2})(?!\d)/, pick: (m) => ymd(m[1], m[2], m[3]) },
  {
    re: new RegExp(`(?<!\\d)(\\d{1,2})(?::e|:a)?\\s*(${MONTH_NAMES})\\.?\\s*,?\\s*(\\d{4})(?!\\d)`, 'iu'),
    pick: (m) => {
      const month = MONTHS.find(([name]) => name === m[2]?.toLowerCase())?.[1];
      return month === undefined ? null : ymd(m[3], String(month), m[1]);
    },
  },
  { re: /(?<!\d)(\d{1,2})[/.](\d{1,2})(?:[/.-]|\s+|\s*-\s*)(\d{4})(?!\d)/, pick: (m) => ymd(m[3], m[2], m[1]) },
  { re: /(?<!\d)(20\d{2}|19\d{2})(\d{2})(\d{2})(?!\d)/, pick: (m) => ymd(m[1], m[2], m[3]) },
];

function ymd(y: string | undefined, m: string | undefined, d: string | undefined): CalendarDate | null {
  if (y === undefined || m === undefined || d === undefined) return null;
  return { year: Number(y), month: Number(m), day: Number(d) };
}

/**
 * Finds the first date in `text` ("2026-11-18", "18 november 2026", "18 nov. 2026",
 * "18/11 2026", "18.11.2026", "20261118"). Returns null when none is found or the first one
 * is not a real calendar date (2026-02-30): an impossible date is an error, not a guess.
 */
export function parseSwedishDate(text: string): CalendarDate | null {
  let best: { index: number; date: CalendarDate | null } | null = null;
  for (const { re, pick } of PATTERNS) {
    const m = re.exec(text);
    if (m && (best === null || m.index < best.index)) best = { index: m.index, date: pick(m) };
  }
  if (!best?.date) return null;
  return isValidDate(best.date) ? best.date : null;
}
