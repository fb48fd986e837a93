import { beforeAll, describe, expect, it } from 'vitest';
import { createProduct, createWarehouse } from '../../lib/catalog/service';
import { applyStockChange, recordMovement, setThresholds } from '../../lib/inventory/service';
import type { Thresholds } from '../../lib/inventory/schema';
import { sweepStock } from '../../lib/inventory/sweep';
import { updateDepartment } from '../../lib/organization/service';
import { aProduct, aWarehouse, anActor, fixedClock, testContext } from '../support/factories';
import { emailsTo, uniqueEmail } from '../support/mail';

/**
 * The table is this file's own, so the sparse indexes hold only what these tests put there;
 * the tests run in order and build on each other's stock.
 */
const admin = anActor(['admin']);
const production = anActor(['production'], { email: 'production@example.com' });
const thresholds: Thresholds = { safety: 3, minimum: 10, maximum: 100, reorderQuantity: 50, leadTimeDays: 14 };
const API = 'https://api.example.com';

// 00:45 on 2026-11-28 in Asia/Shanghai (the default company time zone).
const DAY_ONE = '2026-11-27T16:45:00Z';
const DAY_TWO = '2026-11-28T16:45:00Z';
const DAY_THREE = '2026-11-29T16:45:00Z';
const sweepAt = (iso: string, expiringWithinDays?: number) => sweepStock(testContext(fixedClock(iso)), API, { expiringWithinDays });

const context = testContext(fixedClock('2026-11-27T08:00:00Z'));
const heads = { production: uniqueEmail('production-head'), procurement: uniqueEmail('procurement-head') };

/** A stocked level: `onHand` received (in lots, if given), then thresholds set. */
async function aLevel(onHand: number, lots: Array<{ number: string; quantity: number; expiresOn: string }> = []) {
  const [product, warehouse] = await Promise.all([createProduct(context, admin, aProduct()), createWarehouse(context, admin, aWarehouse())]);
  const lotted = lots.reduce((sum, lot) => sum + lot.quantity, 0);
  const lines = [
    ...lots.map((lot) => ({ productId: product.id, warehouseId: warehouse.id, quantity: lot.quantity, lot: { number: lot.number, expiresOn: lot.expiresOn } })),
    ...(onHand > lotted ? [{ productId: product.id, warehouseId: warehouse.id, quantity: onHand - lotted }] : []),
  ];
  await recordMovement(context, production, { kind: 'receipt', source: 'purchase', lines });
  await setThresholds(context, product.id, warehouse.id, thresholds, undefined);
  return { product, warehouse };
}

beforeAll(async () => {
  await updateDepartment(context, admin, 'production', { head: { name: 'Zhang Min', email: heads.production } }, undefined);
  await updateDepartment(context, admin, 'procurement', { head: { name: 'Chen Jie', email: heads.procurement } }, undefined);
});

describe('inventory: the daily stock sweep', () => {
  it('sends nothing when nothing is wrong, and reads nothing for healthy stock', async () => {
    await aLevel(50);
    await aLevel(60, [{ number: 'FAR-1', quantity: 60, expiresOn: '2027-06-01' }]);

    const result = await sweepAt(DAY_ONE);

    expect(result).toMatchObject({ date: '2026-11-28', itemsRead: 0, belowMinimum: 0, aboveMaximum: 0, expiringLots: 0, notified: [] });
    expect(await emailsTo(heads.production)).toHaveLength(0);
    expect(await emailsTo(heads.procurement)).toHaveLength(0);
  });

  it('emails each head one digest of levels below minimum, above maximum and expiring lots', async () => {
    const low = await aLevel(9);
    const critical = await aLevel(2);
    const over = await aLevel(150);
    const lotted = await aLevel(50, [
      { number: 'SOON-1', quantity: 20, expiresOn: '2026-12-10' },
      { number: 'GONE-1', quantity: 30, expiresOn: '2026-11-20' },
    ]);

    const result = await sweepAt(DAY_ONE);

    expect(result).toMatchObject({ date: '2026-11-28', belowMinimum: 2, aboveMaximum: 1, expiringLots: 2, itemsRead: 5 });
    expect(result.notified.sort()).toEqual([heads.production, heads.procurement].map((email) => email.toLowerCase()).sort());
    for (const head of [heads.production, heads.procurement]) {
      const emails = await emailsTo(head);
      expect(emails).toHaveLength(1);
      const [digest] = emails;
      expect(digest?.subject).toBe('[postlaunch] Stock digest 2026-11-28: 2 below minimum, 1 above maximum, 2 lot(s) expiring');
      const text = digest?.body.text ?? '';
      // Below minimum, worst first: suggested reorder = max(maximum − available, reorder quantity).
      expect(text).toMatch(new RegExp(`${critical.product.sku}\\)\\s+${critical.warehouse.code}\\s+2\\s+10 / 3 / 100\\s+below safety\\s+98`));
      expect(text).toMatch(new RegExp(`${low.product.sku}\\)\\s+${low.warehouse.code}\\s+9\\s+10 / 3 / 100\\s+below minimum\\s+91`));
      expect(text.indexOf(critical.product.sku)).toBeLessThan(text.indexOf(low.product.sku));
      expect(text).toMatch(new RegExp(`${over.product.sku}\\)\\s+${over.warehouse.code}\\s+150\\s+10 / 3 / 100\\s+50`));
      // Lots, soonest first, the expired one included.
      expect(text).toMatch(new RegExp(`${lotted.product.sku}\\)\\s+${lotted.warehouse.code}\\s+GONE-1\\s+30\\s+2026-11-20\\s+expired 8 days ago`));
      expect(text).toMatch(new RegExp(`${lotted.product.sku}\\)\\s+${lotted.warehouse.code}\\s+SOON-1\\s+20\\s+2026-12-10\\s+12`));
      expect(text).not.toContain('FAR-1');
      expect(digest?.body.html).toContain('<table');
    }
  });

  it('sends nothing new when run again the same day', async () => {
    const again = await sweepAt('2026-11-27T20:00:00Z');

    expect(again).toMatchObject({ date: '2026-11-28', belowMinimum: 2, notified: [] });
    expect(await emailsTo(heads.production)).toHaveLength(1);
    expect(await emailsTo(heads.procurement)).toHaveLength(1);
  });

  it('sends the next digest the next company day, listing what is still wrong', async () => {
    const next = await sweepAt(DAY_TWO);

    expect(next).toMatchObject({ date: '2026-11-29', belowMinimum: 2, aboveMaximum: 1, expiringLots: 2 });
    expect(next.notified).toHaveLength(2);
    expect(await emailsTo(heads.production)).toHaveLength(2);
    expect(await emailsTo(heads.procurement)).toHaveLength(2);
  });

  it('reads the problems, not the inventory: ten times more healthy levels cost no extra reads', async () => {
    const before = await sweepAt(DAY_THREE);
    await Promise.all(Array.from({ length: 20 }, (_, index) => aLevel(50 + index)));

    const after = await sweepAt(DAY_THREE);

    const problems = after.belowMinimum + after.aboveMaximum + after.expiringLots;
    expect(after.itemsRead).toBe(problems);
    expect(after.itemsRead).toBe(before.itemsRead);
    expect(after.notified).toEqual([]);
  });

  it('lists only the lots inside the window it is given', async () => {
    const result = await sweepAt(DAY_THREE, 5);

    // 2026-11-30 + 5 days: the expired lot is in, the one expiring on 2026-12-10 is not.
    expect(result).toMatchObject({ date: '2026-11-30', expiringLots: 1, itemsRead: 4 });
  });

  it('lists levels not counted for the given days, through the count-age index, until a stocktake counts them', async () => {
    // Every level so far was stocked on 2026-11-27; 120 days on, all are overdue for a count.
    const later = '2027-03-27T16:45:00Z';
    const before = await sweepStock(testContext(fixedClock(later)), API, { notCountedForDays: 90 });
    expect(before.notCounted).toBeGreaterThan(0);
    const email = (await emailsTo(heads.production)).find((mail) => mail.subject.includes('2027-03-28'));
    expect(email?.body.text).toContain('Not counted recently');
    expect(email?.body.text).toContain('never (stocked since 2026-11-27)');

    // Count one level: it leaves the overdue list.
    const counted = await aLevel(40);
    const countedAt = testContext(fixedClock('2027-03-20T08:00:00Z'));
    await recordMovement(countedAt, production, { kind: 'adjustment', reason: 'cycle count', lines: [{ productId: counted.product.id, warehouseId: counted.warehouse.id, quantity: 1 }] });
    await applyStockChange(countedAt, production, {
      kind: 'stocktake',
      counted: true,
      effects: [{ productId: counted.product.id, warehouseId: counted.warehouse.id, kind: 'adjustment', onHandDelta: 0, reservedDelta: 0, line: 0, reason: 'cycle count' }],
    });
    const after = await sweepStock(testContext(fixedClock('2027-03-28T16:45:00Z')), API, { notCountedForDays: 90 });
    // The level stocked on 2026-11-27 would be overdue too, but its count on 2027-03-20 took it off.
    expect(after.notCounted).toBe(before.notCounted);
    const none = await sweepStock(testContext(fixedClock('2027-03-28T16:45:00Z')), API, { notCountedForDays: 3650 });
    expect(none.notCounted).toBe(0);
  });
});
