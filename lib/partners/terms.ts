import { basisPoints, divideRoundHalfUp } from '../platform/exact';
import type { Agreement, Grade, Money, RebateTier } from './schema';

/** The arithmetic of agreements and evaluations, pure and exact (see `lib/platform/exact.ts`). */

/** Actual ÷ target × 100, rounded half-up to two decimals — for display; tiers compare exactly. */
export function attainmentPercent(revenue: number, target: number): number {
  return Number(divideRoundHalfUp(BigInt(revenue) * 10_000n, BigInt(target))) / 100;
}

/**
 * The highest tier reached: revenue ≥ target × attainment % exactly (100 % is reached by the
 * target itself, not by one minor unit less). Tiers are strictly increasing by attainment.
 */
export function reachedTier(tiers: readonly RebateTier[], revenue: number, target: number): RebateTier | undefined {
  const scaledRevenue = BigInt(revenue) * 10_000n;
  let reached: RebateTier | undefined;
  for (const tier of tiers) {
    if (scaledRevenue >= BigInt(target) * basisPoints(tier.attainmentPercent)) reached = tier;
  }
  return reached;
}

/** Revenue × rebate %, in minor units rounded half-up; nothing is owed on revenue ≤ 0. */
export function rebateAmount(revenue: number, tier: RebateTier | undefined): number {
  if (!tier || revenue <= 0) return 0;
  return Number(divideRoundHalfUp(BigInt(revenue) * basisPoints(tier.rebatePercent), 10_000n));
}

/**
 * The unit price an agreement gives a product: its price-list entry (undefined when the list
 * does not name it), or the list price less the discount, rounded half-up to a minor unit.
 */
export function agreementUnitPrice(agreement: Pick<Agreement, 'pricing'>, productId: string, listPrice: Money): Money | undefined {
  const { pricing } = agreement;
  if (pricing.kind === 'price-list') return pricing.prices.find((entry) => entry.productId === productId)?.unitPrice;
  const amount = divideRoundHalfUp(BigInt(listPrice.amount) * (10_000n - basisPoints(pricing.percent)), 10_000n);
  return { amount: Number(amount), currency: listPrice.currency };
}

/** Σ weight × score ÷ 100 (weights are whole percents summing to 100), rounded half-up to 2 decimals. */
export function weightedScore(criteria: ReadonlyArray<{ weight: number; score: number }>): number {
  const total = criteria.reduce((sum, criterion) => sum + BigInt(criterion.weight) * basisPoints(criterion.score), 0n);
  return Number(divideRoundHalfUp(total, 100n)) / 100;
}

/** A ≥ 90, B ≥ 75, C ≥ 60, D below — on the score as shown (two decimals). */
export function gradeOf(score: number): Grade {
  if (score >= 90) return 'A';
  if (score >= 75) return 'B';
  if (score >= 60) return 'C';
  return 'D';
}
