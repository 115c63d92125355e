import type { LocalDate } from '../../domain/calendar/local-date.ts';
import { fold } from '../fuzzy.ts';
import { readDate } from '../args.ts';

/** Chat argument helpers for the coordination commands: vacancy refs, lagrum, dates anywhere. */

export function takeVacancyRef(words: string[]): { ref: string | undefined; rest: string[] } {
  const i = words.findIndex((w) => /^L-?\d+$/i.test(w));
  if (i < 0) return { ref: undefined, rest: words };
  return { ref: (words[i] ?? '').toUpperCase().replace('-', ''), rest: [...words.slice(0, i), ...words.slice(i + 1)] };
}

/** "LSS", "LSS 9 § 9", "LSS 9§8", "SoL" → the stored form. Bare LSS is 9 § 9 (bostad med särskild service). */
export function takeLegalBasis(words: string[]): { basis: string | undefined; rest: string[] } {
  const joined = words.join(' ');
  const m = /\b(LSS)(?:\s*9\s*§\s*([89]))?|\b(SoL)\b/i.exec(joined);
  if (!m) return { basis: undefined, rest: words };
  const basis = m[3] ? 'SoL' : `LSS 9 § ${m[2] ?? '9'}`;
  const rest = (joined.slice(0, m.index) + ' ' + joined.slice(m.index + m[0].length)).split(/\s+/).filter(Boolean);
  return { basis, rest };
}

/** The first date anywhere in the words (one to three words), and the words without it. */
export function findDate(words: string[], today: LocalDate): { date: LocalDate | undefined; rest: string[] } {
  for (let start = 0; start < words.length; start++) {
    for (let len = Math.min(3, words.length - start); len >= 1; len--) {
      const date = readDate(words.slice(start, start + len).join(' '), today);
      if (date) return { date, rest: [...words.slice(0, start), ...words.slice(start + len)] };
    }
  }
  return { date: undefined, rest: words };
}

/** A keyword and the value after it ("prio 1", "dokument 2026-01-05"). */
export function takeKeyword(words: string[], keyword: string, valueWords = 1): { value: string | undefined; rest: string[] } {
  const i = words.findIndex((w) => fold(w) === keyword);
  if (i < 0) return { value: undefined, rest: words };
  const value = words.slice(i + 1, i + 1 + valueWords).join(' ');
  return { value: value || undefined, rest: [...words.slice(0, i), ...words.slice(i + 1 + valueWords)] };
}

export function takeFlag(words: string[], flag: string): { present: boolean; rest: string[] } {
  const rest = words.filter((w) => fold(w) !== flag);
  return { present: rest.length !== words.length, rest };
}

export function takeInitials(words: string[]): { initials: string | undefined; rest: string[] } {
  const i = words.findIndex((w) => /^(\p{Lu}\.){1,4}$/u.test(w));
  if (i < 0) return { initials: undefined, rest: words };
  return { initials: words[i], rest: [...words.slice(0, i), ...words.slice(i + 1)] };
}

/** Filler words the commands tolerate ("erbjud L12 med visning den 5 mars"). */
const FILLER = new Set(['den', 'med', 'for', 'till', 'pa', 'fran', 'orsak', 'datum', 'planerad', 'inflyttning']);
export function withoutFiller(words: string[]): string[] {
  return words.filter((w) => !FILLER.has(fold(w)));
}

const REASON_LEAD = new Set(['orsak', 'pga', 'pga.', 'eftersom']);

/** Free text after the command (a reason): only leading filler goes ("orsak: …"), the words themselves stay. */
export function freeText(words: string[]): string {
  const i = words.findIndex((w) => !REASON_LEAD.has(fold(w).replace(/:$/, '')));
  return i < 0 ? '' : words.slice(i).join(' ');
}
