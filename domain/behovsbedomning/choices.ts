import type { BbKind, LegalBasis } from './types.ts';

const CHECKED = '☑☒■✓✔⊠✅❎⬛';
const MARKER = new RegExp(`\\[\\s*[xX✓✔]?\\s*\\]|\\(\\s*[xX✓✔]?\\s*\\)|[☐□◻⬜${CHECKED}]`, 'gu');

/**
 * A value written as a checkbox list ("☐ Inför köp ☒ Uppföljande", "[X] Nej") reduces to the
 * text after checked boxes. Returns the value unchanged when it has no boxes.
 */
export function checkedText(value: string): { text: string; boxes: boolean; checkedCount: number } {
  const markers = [...value.matchAll(MARKER)];
  if (markers.length === 0) return { text: value, boxes: false, checkedCount: 0 };
  const parts: string[] = [];
  markers.forEach((m, i) => {
    const mark = m[0];
    const isChecked = /[xX✓✔]/.test(mark) || CHECKED.includes(mark);
    if (!isChecked) return;
    const start = (m.index ?? 0) + mark.length;
    const end = markers[i + 1]?.index ?? value.length;
    parts.push(value.slice(start, end).trim());
  });
  return { text: parts.join(' '), boxes: true, checkedCount: parts.length };
}

function normalizeWords(text: string): string {
  return text.toLocaleLowerCase('sv').replace(/\s+/g, ' ').trim();
}

/** Reads the kind from a value; null when absent or when several kinds are named (a template). */
export function interpretKind(value: string): BbKind | null {
  const { text, boxes, checkedCount } = checkedText(value);
  if (boxes && checkedCount !== 1) return null;
  const t = normalizeWords(text);
  const kinds = new Set<BbKind>();
  if (/inför\s+köp|\bköp\b|nyplacering|inför placering/.test(t)) kinds.add('infor_kop');
  if (/uppfölj/.test(t)) kinds.add('uppfoljande');
  if (/förändrad|ändrade behov|förändring/.test(t)) kinds.add('forandrade_behov');
  return kinds.size === 1 ? [...kinds][0] ?? null : null;
}

/**
 * LSS 9 § 8 is housing for children and young people, 9 § 9 for adults (the law's own
 * wording), so "bostad med särskild service för vuxna enligt LSS" is 9 § 9 without a guess.
 */
export function interpretLegalBasis(value: string): LegalBasis | null {
  const { text, boxes, checkedCount } = checkedText(value);
  if (boxes && checkedCount !== 1) return null;
  const t = normalizeWords(text);
  const found = new Set<LegalBasis>();
  for (const m of t.matchAll(/(?<!\d)9\s*(?:§|kap\.?)?\s*(?:p\.?|punkt|:)?\s*([89])(?!\d)/g)) {
    found.add(m[1] === '8' ? 'LSS 9 § 8' : 'LSS 9 § 9');
  }
  const lss = /\blss\b|lagen om stöd och service/.test(t);
  if (found.size === 0 && lss) {
    if (/\bvuxna\b/.test(t)) found.add('LSS 9 § 9');
    if (/\bbarn\b|ungdom/.test(t)) found.add('LSS 9 § 8');
  }
  if (/\bsol\b|socialtjänstlagen/.test(t) && !lss) found.add('SoL');
  return found.size === 1 ? [...found][0] ?? null : null;
}

export type ExceptionValue = { stated: 'no' } | { stated: 'yes'; reason: string | null };

/** "Nej" → no exception; "Ja – skäl" → exception with its reason; a bare reason counts as yes. */
export function interpretException(value: string): ExceptionValue | null {
  const { text, boxes, checkedCount } = checkedText(value);
  if (boxes && checkedCount === 0) return null;
  const t = text.trim();
  if (t === '') return null;
  if (/^(nej|inget|inga|ej|finns ej|saknas|no)\b|^[-–—]$/i.test(t)) return { stated: 'no' };
  const yes = /^ja\b[\s,.:;–—-]*/i.exec(t);
  if (yes) {
    const reason = t.slice(yes[0].length).trim();
    return { stated: 'yes', reason: reason === '' ? null : reason };
  }
  return { stated: 'yes', reason: t };
}
