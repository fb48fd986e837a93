import type { DomainEvent } from '../platform/events';
import type { Email } from '../platform/mail';
import { renderEmail } from '../platform/mail-template';
import { getProduct, getWarehouse } from '../catalog/service';
import { headsAmong, listDepartments } from '../organization/service';
import type { StockAlertType, StockThresholdCrossed } from './events';
import type { Thresholds } from './schema';
import { issuedInLastDays } from './service';

/** The window for the average daily issue and days of cover. */
export const ISSUE_WINDOW_DAYS = 30;

/** Nothing is on order until procurement exists (see docs/decisions.md). */
const ON_ORDER = 0;

export interface Recipient {
  name: string;
  email: string;
}

/** What the email needs besides the event: looked up by the caller, so rendering stays pure. */
export interface StockAlertFacts {
  product: { name: string; sku: string };
  warehouse: { code: string; name: string };
  /** Units issued over the last ISSUE_WINDOW_DAYS company days, up to the crossing. */
  issuedInWindow: number;
  apiBaseUrl: string;
}

const HEADLINE: Record<StockAlertType, string> = {
  StockBelowMinimum: 'Below minimum',
  StockBelowSafety: 'Below safety stock',
  StockAboveMaximum: 'Above maximum',
};

/**
 * One email per recipient (the production and procurement heads, one entry per person: see
 * `headsAmong`). The figures are those of the write that crossed the threshold, not of a later
 * read, so a retried delivery says the same thing.
 */
export function stockAlertEmails(event: DomainEvent<StockThresholdCrossed>, type: StockAlertType, recipients: Recipient[], facts: StockAlertFacts): Email[] {
  const level = event.data;
  const product = `${facts.product.name} (${facts.product.sku})`;
  const subject = `[postlaunch] ${HEADLINE[type]}: ${facts.product.name} at ${facts.warehouse.code} (${level.available} available, ${limitOf(type, level)})`;
  const content = renderEmail({
    title: `${HEADLINE[type]}: ${facts.product.name} at ${facts.warehouse.code}`,
    paragraphs: paragraphsFor(type, level, facts),
    facts: factsFor(type, level, facts, product),
    link: { label: 'This stock level in postlaunch', url: `${facts.apiBaseUrl}/stock/${level.productId}/${level.warehouseId}` },
  });
  return recipients.map((recipient) => ({ to: [recipient.email], subject, ...content }));
}

/** Stock alerts go to the heads of production (who make and stock) and procurement (who buy). */
const ALERTED_DEPARTMENTS = ['production', 'procurement'] as const;

/**
 * Looks up what the email shows and who receives it. Issues are counted up to the crossing
 * (not up to now), so a redelivered event renders the same figures.
 */
export async function loadStockAlertEmails(event: DomainEvent<StockThresholdCrossed>, type: StockAlertType, apiBaseUrl: string): Promise<Email[]> {
  const { productId, warehouseId, occurredAt } = event.data;
  const [departments, product, warehouse, issuedInWindow] = await Promise.all([
    listDepartments(),
    getProduct(productId),
    getWarehouse(warehouseId),
    issuedInLastDays(productId, warehouseId, ISSUE_WINDOW_DAYS, new Date(occurredAt)),
  ]);
  return stockAlertEmails(event, type, headsAmong(departments, ALERTED_DEPARTMENTS), { product, warehouse, issuedInWindow, apiBaseUrl });
}

/** max(maximum − (available + on order), reorder quantity): refill to maximum, never less than a normal order. */
export function suggestedReorderQuantity(available: number, onOrder: number, thresholds: { maximum: number; reorderQuantity: number }): number {
  return Math.max(thresholds.maximum - (available + onOrder), thresholds.reorderQuantity);
}

/** Units per day over the window, and how many days the available stock lasts at that rate. */
export function issueRate(available: number, issuedInWindow: number): { averageDailyIssue: number; daysOfCover: number | null } {
  const averageDailyIssue = issuedInWindow / ISSUE_WINDOW_DAYS;
  return { averageDailyIssue, daysOfCover: averageDailyIssue > 0 ? Math.max(available, 0) / averageDailyIssue : null };
}

/** The threshold each alert is about. */
const LIMIT: Record<StockAlertType, { label: string; name: string; of: (t: Thresholds) => number }> = {
  StockBelowMinimum: { label: 'minimum', name: 'minimum', of: (t) => t.minimum },
  StockBelowSafety: { label: 'safety', name: 'safety level', of: (t) => t.safety },
  StockAboveMaximum: { label: 'maximum', name: 'maximum', of: (t) => t.maximum },
};

function limitOf(type: StockAlertType, level: StockThresholdCrossed): string {
  return level.thresholds ? `${LIMIT[type].label} ${LIMIT[type].of(level.thresholds)}` : 'no thresholds';
}

function paragraphsFor(type: StockAlertType, level: StockThresholdCrossed, facts: StockAlertFacts): string[] {
  const where = `${facts.product.name} (${facts.product.sku}) in ${facts.warehouse.code} ${facts.warehouse.name}`;
  const limit = level.thresholds ? String(LIMIT[type].of(level.thresholds)) : '—';
  const paragraphs = [
    type === 'StockAboveMaximum'
      ? `Available stock of ${where} rose to ${level.available}, above the maximum of ${limit}: money is sitting idle as overstock.`
      : `Available stock of ${where} fell to ${level.available}, below the ${LIMIT[type].name} of ${limit}.`,
  ];
  const { daysOfCover } = issueRate(level.available, facts.issuedInWindow);
  const leadTime = level.thresholds?.leadTimeDays;
  if (type !== 'StockAboveMaximum' && daysOfCover !== null && leadTime !== undefined && daysOfCover < leadTime) {
    paragraphs.push(`At the current rate of issue it runs out in ${formatDays(daysOfCover)}, before an order placed today would arrive (lead time ${leadTime} days).`);
  }
  paragraphs.push('This is the only email for this crossing; it is sent again only after the level has recovered and crossed again.');
  return paragraphs;
}

function factsFor(type: StockAlertType, level: StockThresholdCrossed, facts: StockAlertFacts, product: string): Array<[string, string]> {
  const t = level.thresholds;
  const { averageDailyIssue, daysOfCover } = issueRate(level.available, facts.issuedInWindow);
  const rows: Array<[string, string]> = [
    ['Product', product],
    ['Warehouse', `${facts.warehouse.code} — ${facts.warehouse.name}`],
    ['On hand', String(level.onHand)],
    ['Reserved', String(level.reserved)],
    ['Available', String(level.available)],
    ['Thresholds', t ? `safety ${t.safety} · minimum ${t.minimum} · maximum ${t.maximum}` : 'none'],
  ];
  if (t && type !== 'StockAboveMaximum') rows.push(['Suggested reorder', `${suggestedReorderQuantity(level.available, ON_ORDER, t)} units`]);
  if (t && type === 'StockAboveMaximum') rows.push(['Over maximum by', `${level.available - t.maximum} units`]);
  rows.push(
    [`Average daily issue (${ISSUE_WINDOW_DAYS} days)`, averageDailyIssue > 0 ? `${formatNumber(averageDailyIssue)} units/day` : `no issues in ${ISSUE_WINDOW_DAYS} days`],
    ['Days of cover', daysOfCover === null ? `no issues in ${ISSUE_WINDOW_DAYS} days` : formatDays(daysOfCover)],
  );
  if (t) rows.push(['Lead time', `${t.leadTimeDays} days`]);
  rows.push(['Crossed at', level.occurredAt]);
  return rows;
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

function formatDays(days: number): string {
  return `${formatNumber(days)} days`;
}
