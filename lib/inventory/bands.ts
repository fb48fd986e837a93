import type { StockBand, Thresholds } from './schema';

/**
 * Where available stock stands against its thresholds. Levels without thresholds are `ok`.
 *   below-safety   available < safety
 *   below-minimum  safety ≤ available < minimum
 *   ok             minimum ≤ available ≤ maximum
 *   above-maximum  available > maximum
 */
export function bandOf(available: number, thresholds: Thresholds | null | undefined): StockBand {
  if (!thresholds) return 'ok';
  if (available < thresholds.safety) return 'below-safety';
  if (available < thresholds.minimum) return 'below-minimum';
  if (available > thresholds.maximum) return 'above-maximum';
  return 'ok';
}

/** The closed range of `available` values that fall in `band` (infinite ends as ±Infinity). */
export function bandRange(band: StockBand, thresholds: Thresholds | null | undefined): [number, number] {
  if (!thresholds) return [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
  switch (band) {
    case 'below-safety':
      return [Number.NEGATIVE_INFINITY, thresholds.safety - 1];
    case 'below-minimum':
      return [thresholds.safety, thresholds.minimum - 1];
    case 'ok':
      return [thresholds.minimum, thresholds.maximum];
    case 'above-maximum':
      return [thresholds.maximum + 1, Number.POSITIVE_INFINITY];
  }
}
