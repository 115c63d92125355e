/**
 * Lead-time figures for the overview: the median and the 90th percentile by the nearest-rank
 * method (the value a reader can find in the table: no interpolated day that no case had).
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? null;
}

export function median(values: readonly number[]): number | null {
  return percentile(values, 50);
}

export type LeadTime = { count: number; median: number | null; p90: number | null };

export function leadTime(days: readonly number[]): LeadTime {
  return { count: days.length, median: median(days), p90: percentile(days, 90) };
}
