import { describe, expect, it } from 'vitest';
import { createWarehouse } from '../../lib/catalog/service';
import {
  getLevel,
  getMovement,
  issuedInLastDays,
  issueReservedStock,
  listLevels,
  listMovements,
  listTurnover,
  recordMovement,
  releaseStock,
  reserveStock,
  setThresholds,
} from '../../lib/inventory/service';
import { allLedgerEntries } from '../../lib/inventory/store';
import { ConflictError, PreconditionFailedError, ValidationError } from '../../lib/platform/errors';
import { aWarehouse, fixedClock, testContext } from '../support/factories';
import { aStockedLevel, issue, keeper, receive } from '../support/inventory';

const thresholds = { safety: 3, minimum: 10, maximum: 100, reorderQuantity: 50, leadTimeDays: 7 };

describe('inventory: movements change stock, and only they do', () => {
  it('receives and issues, keeping on-hand equal to the sum of the ledger', async () => {
    const level = await aStockedLevel(12);
    await issue(level, 5);
    const stock = await getLevel(level.productId, level.warehouseId);
    expect(stock).toMatchObject({ onHand: 7, reserved: 0, available: 7, band: 'ok', thresholds: null });
    const ledger = await allLedgerEntries(level.productId, level.warehouseId);
    expect(ledger.map((entry) => entry.onHandDelta).sort()).toEqual([-5, 12]);
  });

  it('refuses a shortfall with 409 naming what is available, and writes nothing', async () => {
    const level = await aStockedLevel(4);
    const attempt = issue(level, 5);
    await expect(attempt).rejects.toThrow(ConflictError);
    await expect(attempt).rejects.toMatchObject({ extensions: { available: 4 } });
    expect((await getLevel(level.productId, level.warehouseId)).onHand).toBe(4);
    expect(await allLedgerEntries(level.productId, level.warehouseId)).toHaveLength(1);
  });

  it('records a multi-line movement all or nothing', async () => {
    const a = await aStockedLevel(10);
    const b = await aStockedLevel(1);
    const both = recordMovement(testContext(), keeper, { kind: 'issue', purpose: 'sale', reference: 'SO-9', lines: [{ ...a, quantity: 5 }, { ...b, quantity: 2 }] });
    await expect(both).rejects.toThrow(ConflictError);
    expect((await getLevel(a.productId, a.warehouseId)).onHand).toBe(10);
    expect(await allLedgerEntries(a.productId, a.warehouseId)).toHaveLength(1);
  });

  it('merges lines that hit the same level into one update', async () => {
    const level = await aStockedLevel(10);
    const movement = await recordMovement(testContext(), keeper, { kind: 'issue', purpose: 'scrap', lines: [{ ...level, quantity: 3 }, { ...level, quantity: 4 }] });
    expect(movement.entries).toHaveLength(2);
    expect((await getLevel(level.productId, level.warehouseId)).onHand).toBe(3);
  });

  it('transfers between warehouses in one transaction, creating and destroying nothing', async () => {
    const level = await aStockedLevel(10);
    const other = await createWarehouse(testContext(), keeper, aWarehouse());
    await recordMovement(testContext(), keeper, { kind: 'transfer', fromWarehouseId: level.warehouseId, toWarehouseId: other.id, lines: [{ productId: level.productId, quantity: 4 }] });
    const [from, to] = await Promise.all([getLevel(level.productId, level.warehouseId), getLevel(level.productId, other.id)]);
    expect(from.onHand + to.onHand).toBe(10);
    expect(to.onHand).toBe(4);
    await expect(
      recordMovement(testContext(), keeper, { kind: 'transfer', fromWarehouseId: level.warehouseId, toWarehouseId: other.id, lines: [{ productId: level.productId, quantity: 7 }] }),
    ).rejects.toThrow(ConflictError);
  });

  it('adjusts up and down with a reason', async () => {
    const level = await aStockedLevel(10);
    await recordMovement(testContext(), keeper, { kind: 'adjustment', reason: 'found in aisle 4', lines: [{ ...level, quantity: 2 }] });
    const movement = await recordMovement(testContext(), keeper, { kind: 'adjustment', reason: 'water damage', lines: [{ ...level, quantity: -5 }] });
    expect(movement.entries[0]).toMatchObject({ kind: 'adjustment', onHandDelta: -5, reason: 'water damage' });
    expect((await getLevel(level.productId, level.warehouseId)).onHand).toBe(7);
  });

  it('refuses products and warehouses that do not exist, naming the line', async () => {
    const level = await aStockedLevel(0);
    const attempt = recordMovement(testContext(), keeper, { kind: 'receipt', source: 'purchase', lines: [{ ...level, productId: '01JZZZZZZZZZZZZZZZZZZZZZZZ', quantity: 1 }] });
    await expect(attempt).rejects.toThrow(ValidationError);
    await expect(attempt).rejects.toMatchObject({ errors: [{ path: '$.body.lines[0].productId' }] });
  });
});

describe('inventory: lots, first-expiring-first-out', () => {
  it('issues the earliest expiry first unless a lot is named', async () => {
    const level = await aStockedLevel(0);
    await receive(level, 5, { number: 'L-LATE', expiresOn: '2027-06-01' });
    await receive(level, 5, { number: 'L-EARLY', expiresOn: '2027-01-01' });
    await receive(level, 5);
    const first = await issue(level, 7);
    expect(first.entries[0]?.lots).toEqual([
      { number: 'L-EARLY', quantity: 5, expiresOn: '2027-01-01' },
      { number: 'L-LATE', quantity: 2, expiresOn: '2027-06-01' },
    ]);
    const named = await issue(level, 3, 'L-LATE');
    expect(named.entries[0]?.lots).toEqual([{ number: 'L-LATE', quantity: 3, expiresOn: '2027-06-01' }]);
    await expect(issue(level, 1, 'L-LATE')).rejects.toThrow(ConflictError);
    expect((await getLevel(level.productId, level.warehouseId)).onHand).toBe(5);
  });

  it('carries lots with their expiry through a transfer', async () => {
    const level = await aStockedLevel(0);
    const other = await createWarehouse(testContext(), keeper, aWarehouse());
    await receive(level, 6, { number: 'L-1', expiresOn: '2027-03-01' });
    const moved = await recordMovement(testContext(), keeper, { kind: 'transfer', fromWarehouseId: level.warehouseId, toWarehouseId: other.id, lines: [{ productId: level.productId, quantity: 4 }] });
    expect(moved.entries[1]).toMatchObject({ kind: 'transfer-in', lots: [{ number: 'L-1', quantity: 4, expiresOn: '2027-03-01' }] });
    const back = await issue({ productId: level.productId, warehouseId: other.id }, 4, 'L-1');
    expect(back.entries[0]?.lots?.[0]).toMatchObject({ number: 'L-1', quantity: 4 });
  });

  it('refuses a receipt into a known lot with another expiry', async () => {
    const level = await aStockedLevel(0);
    await receive(level, 1, { number: 'L-X', expiresOn: '2027-03-01' });
    await expect(receive(level, 1, { number: 'L-X', expiresOn: '2027-04-01' })).rejects.toThrow(ValidationError);
  });
});

describe('inventory: reservations', () => {
  it('promises stock, gives it back, and issues what was promised; alerts look at available', async () => {
    const level = await aStockedLevel(10);
    await setThresholds(testContext(), level.productId, level.warehouseId, thresholds, undefined);
    await reserveStock(testContext(), keeper, [{ ...level, quantity: 6 }], 'SO-1');
    expect(await getLevel(level.productId, level.warehouseId)).toMatchObject({ onHand: 10, reserved: 6, available: 4, band: 'below-minimum' });
    await expect(reserveStock(testContext(), keeper, [{ ...level, quantity: 5 }], 'SO-2')).rejects.toThrow(ConflictError);
    await expect(issue(level, 5)).rejects.toThrow(ConflictError);
    await releaseStock(testContext(), keeper, [{ ...level, quantity: 2 }], 'SO-1');
    await issueReservedStock(testContext(), keeper, [{ ...level, quantity: 4 }], 'SO-1');
    expect(await getLevel(level.productId, level.warehouseId)).toMatchObject({ onHand: 6, reserved: 0, available: 6 });
    await expect(releaseStock(testContext(), keeper, [{ ...level, quantity: 1 }], 'SO-1')).rejects.toThrow(ConflictError);
    const kinds = (await allLedgerEntries(level.productId, level.warehouseId)).map((entry) => entry.kind).sort();
    expect(kinds).toEqual(['issue-reserved', 'receipt', 'release', 'reservation']);
  });
});

describe('inventory: thresholds and bands', () => {
  it('validates safety ≤ minimum ≤ maximum through the schema, versions thresholds and honours If-Match', async () => {
    const level = await aStockedLevel(12);
    const set = await setThresholds(testContext(), level.productId, level.warehouseId, thresholds, 0);
    expect(set).toMatchObject({ version: 1, band: 'ok', thresholds });
    await expect(setThresholds(testContext(), level.productId, level.warehouseId, { ...thresholds, minimum: 12 }, 0)).rejects.toThrow(PreconditionFailedError);
    await issue(level, 3);
    expect((await getLevel(level.productId, level.warehouseId)).band).toBe('below-minimum');
    await issue(level, 7);
    expect((await getLevel(level.productId, level.warehouseId)).band).toBe('below-safety');
  });

  it('lists levels below minimum, below safety and above maximum through the band index', async () => {
    const low = await aStockedLevel(5);
    const critical = await aStockedLevel(1);
    const high = await aStockedLevel(150);
    for (const level of [low, critical, high]) await setThresholds(testContext(), level.productId, level.warehouseId, thresholds, undefined);
    const below = await listLevels({ below: 'minimum', limit: 100 });
    const ids = below.items.map((item) => item.productId);
    expect(ids).toEqual(expect.arrayContaining([low.productId, critical.productId]));
    expect(ids).not.toContain(high.productId);
    expect((await listLevels({ below: 'safety', limit: 100 })).items.map((item) => item.productId)).toContain(critical.productId);
    expect((await listLevels({ below: 'safety', limit: 100 })).items.map((item) => item.productId)).not.toContain(low.productId);
    expect((await listLevels({ above: 'maximum', warehouseId: high.warehouseId, limit: 100 })).items.map((item) => item.productId)).toEqual([high.productId]);
    await receive(low, 20);
    expect((await listLevels({ below: 'minimum', limit: 100 })).items.map((item) => item.productId)).not.toContain(low.productId);
    expect((await listLevels({ productId: low.productId, limit: 10 })).items).toHaveLength(1);
    expect((await listLevels({ warehouseId: low.warehouseId, limit: 10 })).items.map((item) => item.productId)).toEqual([low.productId]);
  });
});

describe('inventory: ledger, turnover and issue rate', () => {
  it('lists a level’s ledger newest first, filtered by kind', async () => {
    const level = await aStockedLevel(10);
    await issue(level, 1);
    await issue(level, 2);
    const page = await listMovements({ ...level, limit: 10 });
    expect(page.items.map((entry) => entry.onHandDelta)).toEqual([-2, -1, 10]);
    expect((await listMovements({ productId: level.productId, kind: 'receipt', limit: 10 })).items).toHaveLength(1);
    const movement = await getMovement(page.items[0]?.movementId as string);
    expect(movement.entries).toHaveLength(1);
  });

  it('keeps month totals: issued, average on-hand, turnover and days of inventory', async () => {
    const clock = fixedClock('2026-09-30T16:00:00Z'); // 00:00 on 1 October in Shanghai
    const context = testContext(clock);
    const level = await aStockedLevel(0);
    await recordMovement(context, keeper, { kind: 'receipt', source: 'production', lines: [{ ...level, quantity: 100 }] });
    clock.set('2026-10-16T04:00:00Z'); // half-way through October (31 days): 15.5 days later
    await recordMovement(context, keeper, { kind: 'issue', purpose: 'sale', reference: 'SO-7', lines: [{ ...level, quantity: 40 }] });
    const page = await listTurnover({ month: '2026-10', limit: 100 }, new Date('2026-11-05T00:00:00Z'));
    const row = page.items.find((item) => item.productId === level.productId);
    expect(row).toMatchObject({ issued: 40, openingOnHand: 0, closingOnHand: 60 });
    expect(row?.averageOnHand).toBeCloseTo(80, 0);
    expect(row?.turnover).toBeCloseTo(0.5, 1);
    expect(row?.daysOfInventory).toBeCloseTo(62, 0);
  });

  it('sums the units issued over the last days', async () => {
    const level = await aStockedLevel(20);
    await issue(level, 3);
    await issue(level, 4);
    expect(await issuedInLastDays(level.productId, level.warehouseId, 30, new Date())).toBe(7);
  });
});
