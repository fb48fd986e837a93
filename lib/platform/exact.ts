/**
 * Exact arithmetic for money and percentages, shared by every module that computes amounts:
 * amounts are integer minor units, percentages carry at most two decimals (whole basis points),
 * and products are taken in BigInt so nothing is lost above 2^53.
 */

/** A percentage with at most two decimals as whole basis points (2.5 % → 250). */
export function basisPoints(percent: number): bigint {
  return BigInt(Math.round(percent * 100));
}

/** `numerator ÷ denominator` (denominator > 0) rounded half away from zero: 2.5 → 3, −2.5 → −3. */
export function divideRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError('the denominator must be positive');
  const magnitude = (2n * (numerator < 0n ? -numerator : numerator) + denominator) / (2n * denominator);
  return numerator < 0n ? -magnitude : magnitude;
}
