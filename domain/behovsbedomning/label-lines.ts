import { LABELS, type LabelField } from './labels.ts';

export type LabelledValue = { field: LabelField; priority: number; value: string; line: number };

/**
 * Canonical form of a line: NFC, odd spaces to plain spaces, runs of spaces collapsed, tabs kept
 * as the column separator extractors write between table cells.
 */
export function canonicalLine(line: string): string {
  return line
    .normalize('NFC')
    .replace(/[\u00a0\u202f\u2009\u2007\u200b\u2002\u2003]/g, ' ')
    .replace(/[\u2010\u2011\u2012]/g, '-')
    .replace(/ *\t[\t ]*/g, '\t')
    .replace(/ {2,}/g, ' ')
    .trim();
}

// Bullets, list numbers, quote marks of replies and table pipes before a label.
const LEAD = /^(?:[>|•*·▪◦–-]\s*|\d{1,2}[.)]\s+)+/;
// What may sit between a label and its value: a parenthesis ("Boendepris (kr/dygn)"), separators.
const BETWEEN = /^\s*(?:\([^)]{0,40}\)\s*)?[:|\t=–-]*\s*/;

function matchLabel(line: string): { field: LabelField; priority: number; inlineOnly: boolean; rest: string } | null {
  const stripped = line.replace(LEAD, '');
  // Plain toLowerCase: same result for Swedish letters, far cheaper than a locale-aware call.
  const lower = stripped.toLowerCase();
  for (const def of LABELS) {
    if (!lower.startsWith(def.label)) continue;
    const next = lower.charAt(def.label.length);
    if (next !== '' && /[\p{L}\d]/u.test(next)) continue; // "boende" must not match "boendepris"
    const rest = stripped.slice(def.label.length).replace(BETWEEN, '').replace(/[\s|\t]+$/, '');
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
