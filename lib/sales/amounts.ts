import { basisPoints, divideRoundHalfUp } from '../platform/exact';

/** Money arithmetic of orders and invoices, exact in integer minor units, rounding half up. */
function divide(numerator: bigint, denominator: bigint): number {
  return Number(divideRoundHalfUp(numerator, denominator));
}

/** quantity × unit price, less the discount. */
export function lineNetAmount(quantity: number, unitPrice: number, discountPercent: number): number {
  return divide(BigInt(quantity) * BigInt(unitPrice) * (10_000n - basisPoints(discountPercent)), 10_000n);
}

/**
 * The part of a line's `total` that units `done + 1 … done + count` of its `quantity` carry.
 * Cumulative, so the parts of every partial shipment (or return, or invoice) add up exactly to
 * the total once all units are through, whatever the split.
 */
export function portion(total: number, quantity: number, done: number, count: number): number {
  const upTo = (units: number) => divide(BigInt(total) * BigInt(units), BigInt(quantity));
  return upTo(done + count) - upTo(done);
}

/** Tax on a net amount at a rate with at most two decimals. */
export function taxOn(net: number, ratePercent: number): number {
  return divide(BigInt(net) * basisPoints(ratePercent), 10_000n);
}
