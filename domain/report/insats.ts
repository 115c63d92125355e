/**
 * The kind of insats and its lagrum as IVO's report names them, from the legal basis a case
 * records ('LSS 9 § 9', 'LSS 9 § 8', 'SoL') or a queue entry's free text ('LSS9§9').
 */
export type Insats = { insats: string; lagrum: string };

export function insatsFor(legalBasis: string | null): Insats {
  const basis = (legalBasis ?? '').replace(/\s+/g, ' ').trim();
  const compact = basis.replace(/\s/g, '').toUpperCase();
  if (compact.includes('9§8') || compact === 'LSS98') {
    return { insats: 'Boende i familjehem eller bostad med särskild service för barn eller ungdomar', lagrum: 'LSS 9 § 8' };
  }
  if (compact.startsWith('LSS')) return { insats: 'Bostad med särskild service för vuxna', lagrum: 'LSS 9 § 9' };
  if (compact.startsWith('SOL')) return { insats: 'Särskilt boende eller annat boende enligt SoL', lagrum: basis || 'SoL' };
  return { insats: 'Boende', lagrum: basis || 'okänt' };
}
