import { describe, expect, it } from 'vitest';
import { bandOf } from '../../lib/inventory/bands';
import { inventoryChanges, type StockRecovered, type StockThresholdCrossed } from '../../lib/inventory/events';
import { issueRate, stockAlertEmails, suggestedReorderQuantity, type StockAlertFacts } from '../../lib/inventory/notifications';
import type { Thresholds } from '../../lib/inventory/schema';
import type { Department } from '../../lib/organization/schema';
import { headsAmong } from '../../lib/organization/service';
import type { ItemChange } from '../../lib/platform/changes';
import type { DomainEvent } from '../../lib/platform/events';

const PRODUCT = '01JDPRODUCT000000000000000';
const WAREHOUSE = '01JDWAREHOUSE0000000000000';
const thresholds: Thresholds = { safety: 3, minimum: 10, maximum: 100, reorderQuantity: 50, leadTimeDays: 14 };

/** A stock level item as the stream shows it, with its band kept as the store keeps it. */
function level(available: number, t: Thresholds | null = thresholds, reserved = 0): Record<string, unknown> {
  return {
    pk: `LEVEL#${PRODUCT}`,
    sk: `WAREHOUSE#${WAREHOUSE}`,
    type: 'StockLevel',
    productId: PRODUCT,
    warehouseId: WAREHOUSE,
    onHand: available + reserved,
    reserved,
    available,
    ...(t ? { thresholds: t } : {}),
    band: bandOf(available, t),
    version: 1,
    changeSeq: 7,
    updatedAt: '2026-11-27T08:00:00.123Z',
  };
}

let records = 0;
function change(oldItem: Record<string, unknown> | undefined, newItem: Record<string, unknown> | undefined, recordId = `record-${++records}`): ItemChange {
  return { recordId, kind: oldItem ? 'MODIFY' : 'INSERT', oldItem, newItem, committedAt: '2026-11-27T08:00:01.000Z' };
}

const typesOf = (events: DomainEvent[]) => events.map((e) => (e.metadata.type === 'StockRecovered' ? `StockRecovered:${(e.data as StockRecovered).threshold}` : e.metadata.type));
const move = (from: number, to: number) => typesOf(inventoryChanges(change(level(from), level(to))));

describe('inventory events: threshold crossings (min 10, safety 3, max 100)', () => {
  it('publishes StockBelowMinimum once when available crosses below the minimum', () => {
    const [event] = inventoryChanges(change(level(12), level(9)));
    expect(event?.metadata).toMatchObject({ type: 'StockBelowMinimum', source: 'postlaunch.inventory', version: 1 });
    expect(event?.data).toEqual({
      productId: PRODUCT,
      warehouseId: WAREHOUSE,
      onHand: 9,
      reserved: 0,
      available: 9,
      thresholds,
      band: 'below-minimum',
      previousBand: 'ok',
      occurredAt: '2026-11-27T08:00:00.123Z',
      sequence: 7,
    } satisfies StockThresholdCrossed);
  });

  it('is silent for moves within a band (9 → 8, 50 → 40, 2 → 1, 120 → 130)', () => {
    expect(move(9, 8)).toEqual([]);
    expect(move(50, 40)).toEqual([]);
    expect(move(2, 1)).toEqual([]);
    expect(move(120, 130)).toEqual([]);
  });

  it('publishes StockBelowSafety on crossing the safety level from below minimum', () => {
    expect(move(5, 2)).toEqual(['StockBelowSafety']);
  });

  it('publishes both events when one change crosses minimum and safety', () => {
    expect(move(12, 1)).toEqual(['StockBelowMinimum', 'StockBelowSafety']);
  });

  it('publishes StockAboveMaximum on rising above the maximum, and recovers when back under', () => {
    expect(move(90, 101)).toEqual(['StockAboveMaximum']);
    expect(move(101, 100)).toEqual(['StockRecovered:maximum']);
  });

  it('recovers each threshold crossed upward, which re-arms the alert', () => {
    expect(move(9, 15)).toEqual(['StockRecovered:minimum']);
    expect(move(2, 5)).toEqual(['StockRecovered:safety']);
    expect(move(1, 15)).toEqual(['StockRecovered:minimum', 'StockRecovered:safety']);
    expect(move(1, 150)).toEqual(['StockRecovered:minimum', 'StockRecovered:safety', 'StockAboveMaximum']);
    // Re-armed: the next crossing alerts again.
    expect(move(15, 9)).toEqual(['StockBelowMinimum']);
  });

  it('gives events of one change distinct ids, and the same ids when the record is redelivered', () => {
    const first = inventoryChanges(change(level(1), level(150), 'record-x'));
    const again = inventoryChanges(change(level(1), level(150), 'record-x'));
    expect(new Set(first.map((e) => e.metadata.id)).size).toBe(3);
    expect(again.map((e) => e.metadata.id)).toEqual(first.map((e) => e.metadata.id));
  });

  it('treats a new level, or one without thresholds, as ok', () => {
    expect(typesOf(inventoryChanges(change(undefined, level(5, null))))).toEqual([]);
    expect(typesOf(inventoryChanges(change(undefined, level(5))))).toEqual(['StockBelowMinimum']);
  });

  it('alerts when thresholds are set or changed so that the band changes, not otherwise', () => {
    expect(typesOf(inventoryChanges(change(level(8, null), level(8))))).toEqual(['StockBelowMinimum']);
    const raised = { ...thresholds, minimum: 20 };
    expect(typesOf(inventoryChanges(change(level(15), level(15, raised))))).toEqual(['StockBelowMinimum']);
    expect(typesOf(inventoryChanges(change(level(15, raised), level(15))))).toEqual(['StockRecovered:minimum']);
    expect(typesOf(inventoryChanges(change(level(50), level(50, { ...thresholds, maximum: 60 }))))).toEqual([]);
  });

  it('looks at available stock: a reservation can cross the minimum with on-hand unchanged', () => {
    const [event] = inventoryChanges(change(level(12, thresholds, 0), level(8, thresholds, 4)));
    expect(event?.metadata.type).toBe('StockBelowMinimum');
    expect(event?.data).toMatchObject({ onHand: 12, reserved: 4, available: 8 });
  });

  it('ignores other items and removals', () => {
    expect(inventoryChanges(change(undefined, { pk: 'PRODUCT#1', sk: 'PRODUCT', type: 'Product', band: 'below-safety' }))).toEqual([]);
    expect(inventoryChanges({ ...change(level(9), undefined), kind: 'REMOVE' })).toEqual([]);
  });
});

describe('inventory notifications: stock alert email', () => {
  const facts: StockAlertFacts = {
    product: { name: 'Smart lock S2', sku: 'SL-S2' },
    warehouse: { code: 'SH-01', name: 'Shanghai central' },
    issuedInWindow: 12,
    apiBaseUrl: 'https://api.example.com',
  };
  const heads = [
    { name: 'Zhang Min', email: 'production@example.com' },
    { name: 'Wang Fang', email: 'procurement@example.com' },
  ];
  const eventAt = (from: number, to: number) => inventoryChanges(change(level(from), level(to)))[0] as DomainEvent<StockThresholdCrossed>;

  it('sends one email per head with the figures, thresholds, reorder suggestion and days of cover', () => {
    const emails = stockAlertEmails(eventAt(12, 9), 'StockBelowMinimum', heads, facts);
    expect(emails.map((e) => e.to)).toEqual([['production@example.com'], ['procurement@example.com']]);
    const [email] = emails;
    expect(email?.subject).toBe('[postlaunch] Below minimum: Smart lock S2 at SH-01 (9 available, minimum 10)');
    expect(email?.text).toMatch(/Product\s+Smart lock S2 \(SL-S2\)/);
    expect(email?.text).toMatch(/Warehouse\s+SH-01 — Shanghai central/);
    expect(email?.text).toMatch(/On hand\s+9/);
    expect(email?.text).toMatch(/Available\s+9/);
    expect(email?.text).toContain('safety 3 · minimum 10 · maximum 100');
    // max(100 − (9 + 0), 50) = 91
    expect(email?.text).toMatch(/Suggested reorder\s+91 units/);
    // 12 issued in 30 days = 0.4/day; 9 / 0.4 = 22.5 days
    expect(email?.text).toMatch(/Average daily issue \(30 days\)\s+0\.4 units\/day/);
    expect(email?.text).toMatch(/Days of cover\s+22\.5 days/);
    expect(email?.text).toMatch(/Lead time\s+14 days/);
    expect(email?.html).toContain('https://api.example.com/stock/');
  });

  it('warns when stock runs out before a reorder arrives, and says so when nothing was issued', () => {
    const fast = stockAlertEmails(eventAt(12, 2), 'StockBelowSafety', heads, { ...facts, issuedInWindow: 30 });
    expect(fast[0]?.subject).toBe('[postlaunch] Below safety stock: Smart lock S2 at SH-01 (2 available, safety 3)');
    expect(fast[0]?.text).toContain('runs out in 2 days, before an order placed today would arrive (lead time 14 days)');
    const idle = stockAlertEmails(eventAt(12, 9), 'StockBelowMinimum', heads, { ...facts, issuedInWindow: 0 });
    expect(idle[0]?.text).toMatch(/Days of cover\s+no issues in 30 days/);
  });

  it('describes overstock without a reorder suggestion', () => {
    const [email] = stockAlertEmails(eventAt(90, 120), 'StockAboveMaximum', heads, facts);
    expect(email?.subject).toBe('[postlaunch] Above maximum: Smart lock S2 at SH-01 (120 available, maximum 100)');
    expect(email?.text).toMatch(/Over maximum by\s+20 units/);
    expect(email?.text).not.toContain('Suggested reorder');
  });

  it('sends one email to a person who heads both departments, and escapes names in HTML', () => {
    const department = (code: 'production' | 'procurement', email: string): Department => ({ code, name: code, head: { name: 'Zhang Min', email }, version: 1, updatedAt: null, updatedBy: null });
    const same = headsAmong([department('production', 'production@example.com'), department('procurement', 'PRODUCTION@example.com')], ['production', 'procurement']);
    expect(stockAlertEmails(eventAt(12, 9), 'StockBelowMinimum', same, facts)).toHaveLength(1);
    const [email] = stockAlertEmails(eventAt(12, 9), 'StockBelowMinimum', heads, { ...facts, product: { name: '<b>Lock</b>', sku: 'X' } });
    expect(email?.html).toContain('&lt;b&gt;Lock&lt;/b&gt;');
    expect(email?.html).not.toContain('<b>Lock</b>');
  });

  it('suggests refilling to maximum, never less than the reorder quantity', () => {
    expect(suggestedReorderQuantity(9, 0, { maximum: 100, reorderQuantity: 50 })).toBe(91);
    expect(suggestedReorderQuantity(9, 60, { maximum: 100, reorderQuantity: 50 })).toBe(50);
    expect(issueRate(9, 0)).toEqual({ averageDailyIssue: 0, daysOfCover: null });
  });
});
