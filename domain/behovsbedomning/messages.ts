import type { BbField } from './types.ts';

const SWEDISH: Record<BbField, string> = {
  kind: 'typ av behovsbedömning',
  caseRef: 'ärendereferens',
  'client.name': 'namn',
  'client.personnummer': 'personnummer',
  legalBasis: 'insats (lagrum)',
  provider: 'leverantör',
  unit: 'boende',
  agreementRef: 'avtalsnummer',
  assessedOn: 'datum för bedömning',
  assessor: 'bedömare',
  points: 'BB-poäng',
  housingPrice: 'boendepris',
  childSupplement: 'barntillägg',
  statedDailyPrice: 'dygnspris',
  exception: 'undantag från prismodellen',
};

export function swedishFieldName(field: BbField): string {
  return SWEDISH[field];
}

function list(fields: readonly string[]): string {
  if (fields.length <= 1) return fields.join('');
  return `${fields.slice(0, -1).join(', ')} och ${fields.at(-1) ?? ''}`;
}

/**
 * The failure text for the sender (and the quarantine reply). It names fields, never values:
 * a reply mail must not carry a personnummer.
 */
export function failureMessage(
  missing: readonly BbField[],
  invalid: ReadonlyArray<{ field: BbField; why: string }>,
  looksLikeBb: boolean,
): string {
  const parts: string[] = [];
  if (!looksLikeBb) parts.push('Dokumentet ser inte ut att vara en behovsbedömning.');
  if (missing.length > 0) {
    parts.push(`Uppgift saknas: ${list(missing.map(swedishFieldName))}.`);
  }
  if (invalid.length > 0) {
    parts.push(`Ogiltig uppgift: ${list(invalid.map((i) => `${swedishFieldName(i.field)} (${i.why})`))}.`);
  }
  return parts.join(' ');
}
