import type { LocalDate } from '../domain/calendar/local-date.ts';
import { fold } from './fuzzy.ts';
import { parseSwedishDate } from './swedish-date.ts';

/** Words people put between a command's parts that carry no meaning ("inflytt FF-1 den 1 mars"). */
const FILLER = new Set(['den', 'sedan', 'fran', 'fr.o.m.', 'from', 'pa', 'for', 'med', 'datum', 'per', 'orsak', 'pga', 'pga.']);

/** A case reference: letters and digits with dashes, containing a digit (FF-2026-0142, 2026/17). */
const REF = /^[\p{L}\d][\p{L}\d/_.-]*\d[\p{L}\d/_.-]*$/u;

export function splitWords(text: string): string[] {
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

/** The first date in the words (one to three words: "1 december 2026"), and the words after it. */
export function takeDate(words: string[], today: LocalDate): { date: LocalDate | undefined; rest: string[] } {
  for (let start = 0; start < words.length; start++) {
    if (FILLER.has(fold(words[start] ?? ''))) continue;
    for (let len = Math.min(3, words.length - start); len >= 1; len--) {
      const date = parseSwedishDate(words.slice(start, start + len).join(' '), today);
      if (date) return { date, rest: words.slice(start + len) };
    }
    // Only filler may come before the date; anything else means the date is missing.
    return { date: undefined, rest: words.slice(start) };
  }
  return { date: undefined, rest: [] };
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
    const date = parseSwedishDate(words.slice(words.length - len).join(' '), today);
    if (date) return date;
  }
  return undefined;
}
