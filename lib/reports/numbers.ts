import { divideRoundHalfUp } from '../platform/exact';
import { monthsBetween } from '../sales/period';

/**
 * The report's arithmetic in one place, exact: integers in, one decimal out, rounded half up
 * through BigInt, so a rebuild gives the same bytes and a brute-force recomputation in a test
 * gives the same number. `null` when the denominator is zero: "not measurable", never 0.
 */

/** `numerator ÷ denominator` with one decimal (7 ÷ 3 → 2.3). */
export function ratio1(numerator: number, denominator: number): number | null {
  if (denominator === 0) return null;
  const sign = denominator < 0 ? -1n : 1n;
  return Number(divideRoundHalfUp(BigInt(numerator) * 10n * sign, BigInt(denominator) * sign)) / 10;
}

/** `part` as a percentage of `whole`, one decimal (1 of 3 → 33.3). */
export function percent1(part: number, whole: number): number | null {
  return ratio1(part * 100, whole);
}

/** The change from `previous` to `current` in percent, one decimal (`null` from zero). */
export function changePercent1(current: number, previous: number): number | null {
  return previous === 0 ? null : ratio1((current - previous) * 100, Math.abs(previous));
}

/** `count` per 1,000 of `base`, one decimal (3 complaints over 1,500 units → 2.0). */
export function perThousand1(count: number, base: number): number | null {
  return ratio1(count * 1000, base);
}

/** The month `months` before (or after, when negative) `month`. */
export function shiftMonth(month: string, months: number): string {
  const [year, index] = month.split('-').map(Number) as [number, number];
  const total = year * 12 + (index - 1) - months;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`;
}

/** The `count` months ending with `month`, oldest first. */
export function monthsEndingWith(month: string, count: number): string[] {
  return monthsBetween(shiftMonth(month, count - 1), month);
}

/** Days in a month `yyyy-mm` (calendar days; time-zone independent). */
export function daysInMonth(month: string): number {
  const [year, index] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, index, 0)).getUTCDate();
}
