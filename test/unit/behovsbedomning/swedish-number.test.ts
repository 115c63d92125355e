import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeDailyPrice } from '../../../domain/behovsbedomning/price.ts';
import { decimalToNumber, parseSwedishNumber, toScale } from '../../../domain/behovsbedomning/swedish-number.ts';

const group = (kr: bigint, sep: string): string => kr.toString().replace(/\B(?=(\d{3})+(?!\d))/g, sep);
const ore = (o: bigint): string => String(o % 100n).padStart(2, '0');

describe('Swedish numbers', () => {
  it('reads the ways people write an amount', () => {
    for (const [text, want] of [
      ['2 310,50 kr', 231050n], ['2\u00a0310,50\u00a0kr', 231050n], ['SEK 2 310,50', 231050n], ['2310 kr/dygn', 231000n],
      ['2.310,50 kr', 231050n], ['2 310:-', 231000n], ['4 966,5 kr', 496650n], ['2310.50', 231050n], ['2.310 kr', 231000n],
      ['12 345 678,90 kr', 1234567890n],
    ] as const) {
      const d = parseSwedishNumber(text, 'money');
      expect(d && toScale(d, 2), text).toBe(want);
    }
  });

  it('refuses what it cannot read exactly', () => {
    for (const text of ['ingen uppgift', '2 310,505 kr', '-2 310 kr', '2.310.50']) {
      expect(parseSwedishNumber(text, 'money'), text).toBeNull();
    }
    expect(parseSwedishNumber('2 310', 'points')).toBeNull();
  });

  it('round-trips any amount in any grouping style', () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: 10n ** 11n }), fc.constantFrom(' ', '\u00a0', '.', '\u202f', ''),
      fc.constantFrom('', ' kr', ' SEK', ' kr/dygn'), (o, sep, unit) => {
        const text = `${group(o / 100n, sep)},${ore(o)}${unit}`;
        const d = parseSwedishNumber(text, 'money');
        expect(d && toScale(d, 2)).toBe(o);
      }));
  });

  it('round-trips points with comma or dot decimals', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 9999 }), fc.constantFrom(',', '.'), (h, sep) => {
      const d = parseSwedishNumber(`${Math.floor(h / 100)}${sep}${String(h % 100).padStart(2, '0')}`, 'points');
      expect(d && decimalToNumber(d)).toBe(h / 100);
    }));
  });
});

describe('price check', () => {
  it('computes boendepris × BB-poäng exactly and rounds to öre', () => {
    const r = computeDailyPrice({ legalBasis: 'LSS 9 § 9', points: { digits: 295n, scale: 2 }, housingPriceOre: 223500n, childSupplementOre: 0n, statedDailyPriceOre: 659325n });
    expect(r).toEqual({ dailyPriceOre: 659325n, priceCheck: 'ok' });
    const half = computeDailyPrice({ legalBasis: 'SoL', points: { digits: 5n, scale: 3 }, housingPriceOre: 100n, childSupplementOre: 0n, statedDailyPriceOre: null });
    expect(half).toEqual({ dailyPriceOre: 1n, priceCheck: 'not_stated' }); // 0,5 öre rounds up
  });

  it('adds barntillägg only for LSS 9 § 8', () => {
    const base = { points: { digits: 240n, scale: 2 }, housingPriceOre: 265000n, childSupplementOre: 48500n, statedDailyPriceOre: 684500n };
    expect(computeDailyPrice({ ...base, legalBasis: 'LSS 9 § 8' }).priceCheck).toBe('ok');
    expect(computeDailyPrice({ ...base, legalBasis: 'LSS 9 § 9' })).toEqual({ dailyPriceOre: 636000n, priceCheck: 'mismatch' });
  });

  it('agrees with exact rational arithmetic for any price and points', () => {
    fc.assert(fc.property(fc.bigInt({ min: 1n, max: 10n ** 8n }), fc.integer({ min: 1, max: 9999 }), (h, p) => {
      const r = computeDailyPrice({ legalBasis: 'SoL', points: { digits: BigInt(p), scale: 2 }, housingPriceOre: h, childSupplementOre: 0n, statedDailyPriceOre: null });
      const exact = h * BigInt(p); // in 1/100 öre
      const floor = exact / 100n;
      expect(r.dailyPriceOre).toBe(exact % 100n >= 50n ? floor + 1n : floor);
    }));
  });
});
