import type { Warranty } from './schema';

/**
 * `YYYY-MM-DD` plus whole months, clamped to the end of a shorter month (Jan 31 + 1 month =
 * Feb 28/29): a warranty never ends in a month it was not sold into.
 */
export function addMonths(day: string, months: number): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date, lastDay));
  return target.toISOString().slice(0, 10);
}

export interface WarrantyFacts {
  soldOn: string | undefined;
  soldOnSource: Warranty['basis']['soldOnSource'];
  orderId?: string;
  warrantyMonths: number;
  reportedOn: string;
}

/**
 * The warranty rule: under warranty when the sale date plus the product's warranty months is
 * after the day the fault was reported; then the company pays, otherwise the customer. Without
 * a known sale date there is no proof of warranty, so the customer pays (and the basis says why).
 */
export function decideWarranty(facts: WarrantyFacts): Warranty {
  const base = { soldOnSource: facts.soldOnSource, ...(facts.orderId ? { orderId: facts.orderId } : {}), warrantyMonths: facts.warrantyMonths, reportedOn: facts.reportedOn };
  if (facts.soldOn === undefined) {
    return {
      underWarranty: false,
      payer: 'customer',
      basis: { ...base, soldOn: null, warrantyEndsOn: null, explanation: `No sale date is known (no shipped order, no sale date given): not under warranty, the customer pays.` },
    };
  }
  const endsOn = addMonths(facts.soldOn, facts.warrantyMonths);
  const underWarranty = endsOn > facts.reportedOn;
  return {
    underWarranty,
    payer: underWarranty ? 'company' : 'customer',
    basis: {
      ...base,
      soldOn: facts.soldOn,
      warrantyEndsOn: endsOn,
      explanation: `Sold ${facts.soldOn} + ${facts.warrantyMonths} months = ${endsOn}, ${underWarranty ? 'after' : 'not after'} the reported day ${facts.reportedOn}: ${underWarranty ? 'under warranty, the company pays' : 'out of warranty, the customer pays'}.`,
    },
  };
}
