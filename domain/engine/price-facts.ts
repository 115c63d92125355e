import { formatKronor } from '../behovsbedomning/swedish-number.ts';

/** Facts that are prices (kronor, whole öre): written "2 450,50", and never in a price-free mail. */
export const PRICE_FACTS: ReadonlySet<string> = new Set(['dailyPrice', 'statedDailyPrice', 'negotiatedDailyPrice', 'controlledDailyPrice', 'proposedDailyPrice']);

/** "4 966,50": a price fact in Swedish, counted in öre so no float rounding shows (the text adds "kr"). */
export function formatPriceFact(kronor: number): string {
  return formatKronor(BigInt(Math.round(kronor * 100)));
}
