import type { Decimal } from './types.ts';

// Spaces people (and Word) put between thousands: space, no-break space, narrow no-break space,
// thin space, figure space.
const GROUP_SPACE = '[ \\u00a0\\u202f\\u2009\\u2007]';

/**
 * A number as Swedish documents write it, anywhere in `text`: "2 310,50", "2.310,50",
 * "2310.50", "4 966,5", "2 310:-". Thousands groups only in money (`grouping`).
 */
const NUMBER_PATTERN = new RegExp(
  `(?<![\\d,.])(\\d{1,3}(?:(?:${GROUP_SPACE}|\\.)\\d{3}){1,6}|\\d{1,18})(?:([,.])(\\d{1,18}))?(?:\\s{0,3}:-)?(?![\\d])`,
  'u',
);

export type NumberKind = 'money' | 'points';

/**
 * Parses the first number in `text`. Money may carry thousands separators and at most two
 * decimals (öre); points take no grouping. Returns null when there is no number or it is
 * malformed (e.g. "2 31,5", three decimals in money), never a rounded guess.
 */
export function parseSwedishNumber(text: string, kind: NumberKind): Decimal | null {
  const match = NUMBER_PATTERN.exec(text.replace(/\u2212/g, '-'));
  if (!match) return null;
  const before = text.slice(0, match.index);
  if (/-\s*$/.test(before) && !/\d\s*-\s*$/.test(before)) return null; // negative amount
  let intPart = match[1] ?? '';
  let sep = match[2];
  let frac = match[3] ?? '';
  const grouped = /[^\d]/.test(intPart);
  if (grouped && kind === 'points') return null;
  if (grouped && intPart.includes('.') && sep === '.') return null; // "2.310.50"
  if (!grouped && sep === '.' && kind === 'money' && frac.length === 3 && intPart.length <= 3) {
    // "2.310" in a price is a thousands group, not 2,31 kr.
    intPart += frac;
    sep = undefined;
    frac = '';
  }
  if (sep === undefined) frac = '';
  if (sep !== undefined && frac.length === 0) return null;
  if (kind === 'money' && frac.length > 2) return null;
  if (kind === 'points' && frac.length > 4) return null;
  const digits = BigInt(intPart.replace(/[^\d]/g, '') + frac);
  return { digits, scale: frac.length };
}

/** Rescales to `scale` decimals; exact (only ever widens or keeps, never drops digits). */
export function toScale(value: Decimal, scale: number): bigint {
  if (scale < value.scale) throw new Error('toScale would lose precision');
  return value.digits * 10n ** BigInt(scale - value.scale);
}

/** A plain JS number for JSON output, built from the decimal string so no float arithmetic. */
export function decimalToNumber(value: Decimal): number {
  const s = value.digits.toString().padStart(value.scale + 1, '0');
  if (value.scale === 0) return Number(s);
  return Number(`${s.slice(0, -value.scale)}.${s.slice(-value.scale)}`);
}

/** Formats öre as "2 310,50" (for the generator and messages; no currency). */
export function formatKronor(ore: bigint): string {
  const kr = (ore / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
  return `${kr},${(ore % 100n).toString().padStart(2, '0')}`;
}
