import { addDays, addMonths, formatLocalDate, type LocalDate } from '../calendar/local-date.ts';

/** A calendar quarter as IVO's reporting names it: `2026K4` = 1 October – 31 December 2026. */
export type Quarter = { year: number; quarter: 1 | 2 | 3 | 4; label: string; from: LocalDate; to: LocalDate };

const LABEL = /^(\d{4})\s*[Kk]\s*([1-4])$/;

/** Reads `2026K4` (also `2026 k4`); undefined for anything else. */
export function parseQuarter(text: string): Quarter | undefined {
  const m = LABEL.exec(text.trim().slice(0, 16));
  if (!m) return undefined;
  return quarterOf(Number(m[1]), Number(m[2]) as Quarter['quarter']);
}

function quarterOf(year: number, quarter: Quarter['quarter']): Quarter {
  const from = formatLocalDate(year, (quarter - 1) * 3 + 1, 1);
  return { year, quarter, label: `${year}K${quarter}`, from, to: addDays(addMonths(from, 3), -1) };
}

/** The quarter a day falls in. */
export function quarterContaining(date: LocalDate): Quarter {
  const month = Number(date.slice(5, 7));
  return quarterOf(Number(date.slice(0, 4)), (Math.floor((month - 1) / 3) + 1) as Quarter['quarter']);
}

/** The quarter before: what a report run early in a quarter is usually about. */
export function previousQuarter(q: Quarter): Quarter {
  return q.quarter === 1 ? quarterOf(q.year - 1, 4) : quarterOf(q.year, (q.quarter - 1) as Quarter['quarter']);
}
