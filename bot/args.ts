import type { LocalDate } from '../domain/calendar/local-date.ts';
import { fold } from './fuzzy.ts';
import { monthNumber, readSwedishDate } from '../domain/calendar/swedish-date.ts';

/** Words people put between a command's parts that carry no meaning ("inflytt FF-1 den 1 mars"). */
const FILLER = new Set(['den', 'sedan', 'fran', 'fr.o.m.', 'from', 'pa', 'for', 'med', 'datum', 'per', 'orsak', 'pga', 'pga.']);

/** A case reference: letters and digits with dashes, containing a digit (FF-2026-0142, 2026/17). */
const REF = /^[\p{L}\d][\p{L}\d/_.-]*\d[\p{L}\d/_.-]*$/u;

function splitWords(text: string): string[] {
  return text
    .replace(/<at>[^<]*<\/at>/g, ' ')
    .split(/\s+/)
    .map((w) => w.replace(/^[,;:]+|[,;:!?]+$/g, ''))
    .filter(Boolean);
}

/** The first word that looks like a case reference and not like a date. */
export function takeCaseRef(words: string[]): { ref: string | undefined; rest: string[] } {
  const i = words.findIndex((w) => REF.test(w) && !/^\d{4}-\d{2}-\d{2}$/.test(w) && !/^\d{1,2}[/.]\d{1,2}$/.test(w));
  if (i < 0) return { ref: undefined, rest: words };
  return { ref: words[i]?.toUpperCase(), rest: [...words.slice(0, i), ...words.slice(i + 1)] };
}

/** A date written alone ("1 december", "2026-12-01", "idag"), or undefined. */
export function readDate(text: string, today: LocalDate): LocalDate | undefined {
  const read = readSwedishDate(text, today);
  return read.ok ? read.date : undefined;
}

export type TakenDate = {
  date: LocalDate | undefined;
  /** The words after the date (with any words before it that are not filler in front). */
  rest: string[];
  /** A date-shaped word that names no real day ("2026-02-30"), to tell the user so. */
  impossible?: string;
};

/** The first date in the words (one to three words: "1 december 2026"), and the words around it. */
export function takeDate(words: string[], today: LocalDate): TakenDate {
  let impossible: string | undefined;
  for (let start = 0; start < words.length; start++) {
    if (FILLER.has(fold(words[start] ?? ''))) continue;
    for (let len = Math.min(3, words.length - start); len >= 1; len--) {
      const text = words.slice(start, start + len).join(' ');
      const read = readSwedishDate(text, today);
      if (read.ok) {
        const before = words.slice(0, start).filter((w) => !FILLER.has(fold(w)));
        return { date: read.date, rest: [...before, ...words.slice(start + len)] };
      }
      if (read.reason === 'no_such_date' && impossible === undefined) impossible = text;
    }
  }
  return impossible === undefined ? { date: undefined, rest: words } : { date: undefined, rest: words, impossible };
}

/** What to say when takeDate found no date: that it does not exist, or how to write one. */
export function missingDateText(taken: TakenDate, example: string): string {
  if (taken.impossible !== undefined) return `Datumet ${taken.impossible} finns inte i kalendern. Skriv t.ex. **${example}**.`;
  return `Jag hittade inget datum. Skriv t.ex. **${example}**.`;
}

/** Words that are part of a period ("1/7 till 31/7") or a month, never of a person's name. */
const PERIOD_WORDS = new Set(['till', 'to', 'tom', 't.o.m.', 'fran', 'fr.o.m.', 'from', 'den', 'mellan', 'och']);

/** The words of a chat line that can be a person's name (not dates, periods or filler). */
export function nameWords(words: string[]): string[] {
  return words.filter((w) => /^\p{L}+$/u.test(w) && !PERIOD_WORDS.has(fold(w)) && monthNumber(w) === undefined && !FILLER.has(fold(w)));
}

/** "2026-07-01–2026-07-31", "1/7 till 31/7", "1 juli - 31 juli". */
export function takeDateRange(text: string, today: LocalDate): { from: LocalDate; to: LocalDate } | undefined {
  const iso = /(\d{4}-\d{1,2}-\d{1,2})\s*(?:–|—|-{1,2}|till|to)\s*(\d{4}-\d{1,2}-\d{1,2})/i.exec(text);
  const parts = iso ? [iso[1] ?? '', iso[2] ?? ''] : text.split(/\s*(?:–|—|\s-\s|\btill\b|\bto\b|\btom\b|\bt\.o\.m\.)\s*/i);
  if (parts.length !== 2) return undefined;
  const from = takeDate(splitWords(parts[0] ?? ''), today).date ?? lastDate(parts[0] ?? '', today);
  const to = takeDate(splitWords(parts[1] ?? ''), today).date;
  return from && to ? { from, to } : undefined;
}

/** The date at the end of "anna@x.se 1/7" (words before it name the person). */
function lastDate(text: string, today: LocalDate): LocalDate | undefined {
  const words = splitWords(text);
  for (let len = Math.min(3, words.length); len >= 1; len--) {
    const date = readDate(words.slice(words.length - len).join(' '), today);
    if (date) return date;
  }
  return undefined;
}
