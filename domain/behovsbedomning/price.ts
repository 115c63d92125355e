import { toScale } from './swedish-number.ts';
import type { Decimal, LegalBasis, PriceCheck } from './types.ts';

export type PriceInput = {
  legalBasis: LegalBasis;
  points: Decimal;
  /** Öre. */
  housingPriceOre: bigint;
  childSupplementOre: bigint;
  statedDailyPriceOre: bigint | null;
};

export type PriceResult = { dailyPriceOre: bigint; priceCheck: PriceCheck };

/** Half away from zero, the way a person rounds to öre by hand. Inputs are non-negative. */
function divideRounded(numerator: bigint, denominator: bigint): bigint {
  return (numerator * 2n + denominator) / (denominator * 2n);
}

/**
 * boendepris × BB-poäng, rounded to öre, plus barntillägg for child placements under
 * LSS 9 § 8 only (routine 1, step 7: "boendepris x BB-poäng + barntillägg = dygnspris").
 * Exact: integer öre times the points' digits, divided once.
 */
export function computeDailyPrice(input: PriceInput): PriceResult {
  const scale = 10n ** BigInt(input.points.scale);
  const base = divideRounded(input.housingPriceOre * toScale(input.points, input.points.scale), scale);
  const child = input.legalBasis === 'LSS 9 § 8' ? input.childSupplementOre : 0n;
  const dailyPriceOre = base + child;
  const priceCheck: PriceCheck = input.statedDailyPriceOre === null
    ? 'not_stated'
    : input.statedDailyPriceOre === dailyPriceOre ? 'ok' : 'mismatch';
  return { dailyPriceOre, priceCheck };
}

export function oreToNumber(ore: bigint): number {
  const s = ore.toString().padStart(3, '0');
  return Number(`${s.slice(0, -2)}.${s.slice(-2)}`);
}
