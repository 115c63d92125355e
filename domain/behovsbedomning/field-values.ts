import { findPersonnummerText } from './personnummer.ts';
import { trimEndOf, type LabelledValue } from './label-lines.ts';
import type { LabelField } from './labels.ts';

export type Resolved<T> =
  | { status: 'missing' }
  | { status: 'invalid' }
  | { status: 'ok'; value: T };

/**
 * Picks a field's value among its labelled candidates. The most specific label that occurs
 * decides; within it the first readable value wins for free text, while two different readable
 * values of a structured field (a date, a price) are a conflict: invalid, never a pick.
 */
export function resolveField<T>(
  candidates: readonly LabelledValue[],
  field: LabelField,
  interpret: (value: string) => T | null,
  conflictIsInvalid: boolean,
): Resolved<T> {
  const own = candidates.filter((c) => c.field === field);
  if (own.length === 0) return { status: 'missing' };
  const top = Math.max(...own.map((c) => c.priority));
  const values = own
    .filter((c) => c.priority === top)
    .map((c) => interpret(c.value))
    .filter((v): v is T => v !== null);
  const first = values[0];
  if (first === undefined) return { status: 'invalid' };
  if (conflictIsInvalid && values.some((v) => sameValueKey(v) !== sameValueKey(first))) {
    return { status: 'invalid' };
  }
  return { status: 'ok', value: first };
}

/** Equality key for candidate values: bigints and decimals ("2,15" = "2,150") by value. */
function sameValueKey(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'bigint') return v.toString();
    if (typeof v === 'object' && v !== null && 'digits' in v && 'scale' in v) {
      let { digits, scale } = v as { digits: bigint; scale: number };
      while (scale > 0 && digits % 10n === 0n) { digits /= 10n; scale--; }
      return `${digits.toString()}e-${scale}`;
    }
    return v;
  });
}

/** Trims separators and trailing punctuation people leave in table cells. */
function cleanText(value: string): string {
  return trimEndOf(value.replace(/^[\s:;,.|–-]+/, ''), ' \t\r\n\u00a0:;,|–-').trim();
}

export function interpretFreeText(value: string): string | null {
  const t = cleanText(value);
  return /\p{L}/u.test(t) && t.length <= 200 ? t : null;
}

/** A person's name: letters, spaces, hyphens, apostrophes; a personnummer beside it is cut off. */
export function interpretName(value: string): string | null {
  const pnr = findPersonnummerText(value);
  const t = cleanText(pnr ? value.slice(0, pnr.index) + value.slice(pnr.index + pnr.text.length) : value);
  return /^[\p{L}][\p{L}\s'’.-]*$/u.test(t) && t.length <= 120 ? t.replace(/\s+/g, ' ') : null;
}

/** The assessor may be written "Karin Lund, planeringsledare". */
export function interpretAssessor(value: string): string | null {
  const t = value.replace(/,?\s*\(?(planeringsledare|bedömare|handläggare)\)?\s*$/i, '');
  return interpretName(t);
}

const NONE = /^(saknas|finns ej|ej tillämpligt|ej aktuellt|e\/?t|n\/?a|nej|inget|ingen|-+|–|—)$/i;

/** A reference such as "FF-2026-0142" or "RA-BmSS-2024-07": the most reference-like token. */
export function interpretReference(value: string): string | null {
  const tokens = cleanText(value).split(/[\s,;]+/).map((t) => t.replace(/[.:)]+$/, '').replace(/^[(]+/, ''));
  const withDigit = tokens.filter((t) => /\d/.test(t) && /^[\p{L}\d][\p{L}\d\-/.:_]*$/u.test(t));
  if (withDigit.length === 0) return null;
  const score = (t: string): number => (/\p{L}/u.test(t) ? 1000 : 0) + t.length;
  return [...withDigit].sort((a, b) => score(b) - score(a))[0] ?? null;
}

// What authors write where they have no value: the field is missing, not wrongly filled in.
const PLACEHOLDER = /^(?:-+|–|—|\?+|\.{2,}|_+|saknas|uppgift saknas|ej angiven?t?|ej ifylld?t?|inte angiven?t?|ej känd?t?|okänd?t?|n\/?a|tbd|xx+)$/i;

/** True for a placeholder ("-", "–", "saknas", "ej angivet"): the value was left out. */
export function isPlaceholder(value: string): boolean {
  // Dashes are separators to cleanText: a value that cleans away to nothing was only a placeholder.
  const cleaned = cleanText(value.slice(0, 80));
  return cleaned === '' || PLACEHOLDER.test(cleaned);
}

export function isNone(value: string): boolean {
  return NONE.test(cleanText(value));
}
