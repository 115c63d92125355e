/**
 * What the quarterly report of ej verkställda beslut says about the person, read from the
 * 12-digit personnummer (or samordningsnummer): the year of birth, and kön from the second last
 * digit (odd: man, even: kvinna), as Skatteverket assigns it. Nothing else of the number leaves
 * the service that decrypted it.
 */
export type Kon = 'man' | 'kvinna';

export function personFacts(pnr12: string): { fodelsear: number; kon: Kon } | undefined {
  if (!/^\d{12}$/.test(pnr12)) return undefined;
  const year = Number(pnr12.slice(0, 4));
  const genderDigit = Number(pnr12[10]);
  return { fodelsear: year, kon: genderDigit % 2 === 1 ? 'man' : 'kvinna' };
}
