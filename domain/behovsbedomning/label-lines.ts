import { LABELS, type LabelDef, type LabelField } from './labels.ts';

/** No label is longer than this; only that much of a line is lower-cased to look for one. */
const MAX_LABEL_CHARS = Math.max(...LABELS.map((l) => l.label.length)) + 1;

export type LabelledValue = { field: LabelField; priority: number; value: string; line: number };

/**
 * Longer lines are cut before anything matches them: a label and its value fit in far less, and
 * every pattern below then costs at most a constant per line (hostile input in bounded time).
 */
const MAX_LINE_CHARS = 1_000;

/**
 * Canonical form of a line: NFC, odd spaces to plain spaces, runs of spaces collapsed, tabs kept
 * as the column separator extractors write between table cells.
 */
export function canonicalLine(line: string): string {
  const spaced = line
    .slice(0, MAX_LINE_CHARS)
    .normalize('NFC')
    .replace(/[\u00a0\u202f\u2009\u2007\u200b\u2002\u2003]/g, ' ')
    .replace(/[\u2010\u2011\u2012]/g, '-')
    .replace(/ {2,}/g, ' ');
  // Spaces around a tab go (cell by cell: a regex with spaces on both sides of the tab backtracks).
  return (spaced.includes('\t') ? spaced.split('\t').map((cell) => cell.trim()).filter((cell, i) => cell !== '' || i === 0).join('\t') : spaced).trim();
}

/** Drops trailing characters of a set, without a regex anchored at the end (quadratic on long runs). */
export function trimEndOf(s: string, chars: string): string {
  let end = s.length;
  while (end > 0 && chars.includes(s.charAt(end - 1))) end--;
  return s.slice(0, end);
}

// Bullets, list numbers, quote marks of replies and table pipes before a label.
const LEAD = /^(?:[>|•*·▪◦–-]\s*|\d{1,2}[.)]\s+)+/;
// What may sit between a label and its value: a parenthesis ("Boendepris (kr/dygn)"), separators.
const BETWEEN = /^\s*(?:\([^)]{0,40}\)\s*)?[:|\t=–-]*\s*/;

// Labels by first letter, longest first within each: a line is compared with a handful, not all.
const BY_FIRST = new Map<string, LabelDef[]>();
for (const def of LABELS) {
  const first = def.label.charAt(0);
  BY_FIRST.set(first, [...(BY_FIRST.get(first) ?? []), def]);
}

function matchLabel(line: string): { field: LabelField; priority: number; inlineOnly: boolean; rest: string } | null {
  const stripped = line.replace(LEAD, '');
  // Plain toLowerCase: same result for Swedish letters, far cheaper than a locale-aware call.
  const lower = stripped.slice(0, MAX_LABEL_CHARS).toLowerCase();
  for (const def of BY_FIRST.get(lower.charAt(0)) ?? []) {
    if (!lower.startsWith(def.label)) continue;
    const next = lower.charAt(def.label.length);
    if (next !== '' && /[\p{L}\d]/u.test(next)) continue; // "boende" must not match "boendepris"
    const rest = trimEndOf(stripped.slice(def.label.length).replace(BETWEEN, ''), ' \t|\r\n\u00a0');
    return { field: def.field, priority: def.priority, inlineOnly: def.inlineOnly, rest };
  }
  return null;
}

/**
 * Finds every "label: value" in the text. A value may also stand alone on the next line (forms
 * where the value sits under its label), unless that line is itself a label.
 */
export function findLabelledValues(lines: readonly string[]): LabelledValue[] {
  const found: LabelledValue[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line === '') continue;
    const m = matchLabel(line);
    if (!m) continue;
    if (m.rest !== '') {
      found.push({ field: m.field, priority: m.priority, value: m.rest, line: i });
      continue;
    }
    if (m.inlineOnly) continue;
    const next = lines[i + 1] ?? '';
    if (next !== '' && matchLabel(next) === null) {
      found.push({ field: m.field, priority: m.priority, value: next, line: i + 1 });
      i++;
    }
  }
  return found;
}
