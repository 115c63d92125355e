import { formatLocalDate, isLocalDate, type LocalDate } from '../domain/calendar/local-date.ts';
import { fold } from './fuzzy.ts';

const MONTHS = ['januari', 'februari', 'mars', 'april', 'maj', 'juni', 'juli', 'augusti', 'september', 'oktober', 'november', 'december'];

/**
 * Reads a date the way staff write it: 2026-12-01, 20261201, 1 december 2026, 1 dec, 1/12, 1/12 2026,
 * 1.12.2026, idag, igår. A date without a year is the nearest such date around `today`
 * (a move-in reported as "1/12" in January means last December).
 */
export function parseSwedishDate(input: string, today: LocalDate): LocalDate | undefined {
  const text = fold(input.trim()).replace(/\s+/g, ' ');
  if (text === 'idag' || text === 'i dag') return today;
  if (text === 'igar' || text === 'i gar') return shift(today, -1);
  if (text === 'imorgon' || text === 'i morgon') return shift(today, 1);
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (m) return valid(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})\s*(?:[/.])\s*(\d{1,2})(?:\s*(?:[/.]|\s)\s*(\d{2}|\d{4}))?$/.exec(text);
  if (m) return withYear(Number(m[1]), Number(m[2]), m[3], today);
  m = /^(\d{1,2})(?:\s*:e|\s*:a)?\s+([a-z]+)\.?(?:\s+(\d{4}))?$/.exec(text);
  if (m) {
    const word = m[2] ?? '';
    const month = MONTHS.findIndex((name) => word.length >= 3 && name.startsWith(word.slice(0, Math.min(word.length, name.length))));
    if (month >= 0) return withYear(Number(m[1]), month + 1, m[3], today);
  }
  return undefined;
}

function withYear(day: number, month: number, year: string | undefined, today: LocalDate): LocalDate | undefined {
  if (year !== undefined) return valid(year.length === 2 ? 2000 + Number(year) : Number(year), month, day);
  const thisYear = Number(today.slice(0, 4));
  const candidates = [thisYear - 1, thisYear, thisYear + 1]
    .map((y) => valid(y, month, day))
    .filter((d): d is LocalDate => d !== undefined);
  const distance = (d: LocalDate) => Math.abs(Date.parse(d) - Date.parse(today));
  return candidates.sort((a, b) => distance(a) - distance(b))[0];
}

function valid(year: number, month: number, day: number): LocalDate | undefined {
  const date = formatLocalDate(year, month, day);
  return isLocalDate(date) ? date : undefined;
}

function shift(date: LocalDate, days: number): LocalDate {
  const d = new Date(Date.parse(`${date}T12:00:00Z`) + days * 86_400_000);
  return d.toISOString().slice(0, 10);
}
