import { describe, expect, it } from 'vitest';
import { createProduct, createWarehouse } from '../../lib/catalog/service';
import { applyStockChange, getLevel, getMovement, recordMovement } from '../../lib/inventory/service';
import { closeStocktake, getStocktake, listStocktakes, openStocktake, recordCounts } from '../../lib/inventory/stocktakes/service';
import { getStocktakeRecord, replaceStocktake } from '../../lib/inventory/stocktakes/store';
import { ConflictError, NotFoundError, ValidationError } from '../../lib/platform/errors';
import { aProduct, anActor, aWarehouse, fixedClock, testContext } from '../support/factories';

const production = anActor(['production'], { email: 'production@example.com' });

/** A fresh warehouse holding the given on-hand quantities, one new product each. */
async function aStockedWarehouse(...quantities: number[]) {
  const warehouse = await createWarehouse(testContext(), production, aWarehouse());
  const products = [];
  for (const quantity of quantities) {
    const product = await createProduct(testContext(), production, aProduct());
    await receive(product.id, warehouse.id, quantity);
    products.push(product.id);
  }
  return { warehouseId: warehouse.id, products };
}

function receive(productId: string, warehouseId: string, quantity: number) {
  return recordMovement(testContext(), production, { kind: 'receipt', source: 'production', lines: [{ productId, warehouseId, quantity }] });
}

function issue(productId: string, warehouseId: string, quantity: number) {
  return recordMovement(testContext(), production, { kind: 'issue', purpose: 'sale', lines: [{ productId, warehouseId, quantity }] });
}

const onHand = async (productId: string, warehouseId: string) => (await getLevel(productId, warehouseId)).onHand;

describe('stocktakes: open, count, close', () => {
  it('freezes the expected quantities of every level of the warehouse', async () => {
    const { warehouseId, products } = await aStockedWarehouse(10, 5);
    const stocktake = await openStocktake(testContext(), production, { warehouseId });
    expect(stocktake).toMatchObject({ warehouseId, scope: 'warehouse', status: 'open', report: null, movementIds: [], version: 1, openedBy: 'production@example.com' });
    expect(stocktake.lines.map((line) => [line.productId, line.expected, line.counted]).sort()).toEqual(
      [
        [products[0], 10, null],
        [products[1], 5, null],
      ].sort(),
    );
    expect(await getStocktake(stocktake.id)).toEqual(stocktake);
  });

  it('turns variances into one adjustment so on-hand equals the count, and reports them', async () => {
    const { warehouseId, products } = await aStockedWarehouse(10, 5, 7);
    const [a, b, c] = products as [string, string, string];
    const stocktake = await openStocktake(testContext(), production, { warehouseId });
    await recordCounts(testContext(), production, stocktake.id, {
      counts: [
        { productId: a, counted: 8 },
        { productId: b, counted: 5 },
        { productId: c, counted: 9 },
      ],
    });

    const closed = await closeStocktake(testContext(), production, stocktake.id);

    expect(closed.status).toBe('closed');
    expect(closed.report).toEqual({ linesCounted: 3, linesUncounted: 0, linesWithVariance: 2, unitsOver: 2, unitsUnder: 2 });
    expect(Object.fromEntries(closed.lines.map((line) => [line.productId, line.variance]))).toEqual({ [a]: -2, [b]: 0, [c]: 2 });
    expect([await onHand(a, warehouseId), await onHand(b, warehouseId), await onHand(c, warehouseId)]).toEqual([8, 5, 9]);
    const movement = await getMovement(closed.movementIds[0] ?? '');
    expect(movement.kind).toBe('stocktake');
    expect(movement.entries).toHaveLength(3);
    for (const entry of movement.entries) expect(entry).toMatchObject({ kind: 'adjustment', reference: stocktake.id, reason: `stocktake ${stocktake.id}`, reservedDelta: 0 });
    expect(await getStocktake(stocktake.id)).toEqual(closed);
  });

  it('marks zero-variance lines counted without changing their stock; uncounted lines stay as they are', async () => {
    const { warehouseId, products } = await aStockedWarehouse(4, 6);
    const [same, skipped] = products as [string, string];
    const stocktake = await openStocktake(testContext(), production, { warehouseId, productIds: [same, skipped] });
    await recordCounts(testContext(), production, stocktake.id, { counts: [{ productId: same, counted: 4 }] });

    const closed = await closeStocktake(testContext(), production, stocktake.id);

    expect(closed.report).toEqual({ linesCounted: 1, linesUncounted: 1, linesWithVariance: 0, unitsOver: 0, unitsUnder: 0 });
    const [counted, notCounted] = await Promise.all([getLevel(same, warehouseId), getLevel(skipped, warehouseId)]);
    expect(counted).toMatchObject({ onHand: 4, lastCountedAt: expect.any(String) });
    expect(notCounted).toMatchObject({ onHand: 6, lastCountedAt: null });
    expect((await getMovement(closed.movementIds[0] ?? '')).entries).toMatchObject([{ productId: same, onHandDelta: 0 }]);
  });

  it('lets the last count of a product win', async () => {
    const { warehouseId, products } = await aStockedWarehouse(10);
    const [a] = products as [string];
    const stocktake = await openStocktake(testContext(), production, { warehouseId });
    await recordCounts(testContext(), production, stocktake.id, { counts: [{ productId: a, counted: 3 }] });
    const recounted = await recordCounts(testContext(), production, stocktake.id, { counts: [{ productId: a, counted: 9 }] });
    expect(recounted.lines).toMatchObject([{ productId: a, expected: 10, counted: 9, onHandAtCount: 10, variance: -1 }]);
    expect(recounted.version).toBe(3);
    await closeStocktake(testContext(), production, stocktake.id);
    expect(await onHand(a, warehouseId)).toBe(9);
  });
});

describe('stocktakes: movements while a count is open', () => {
  it('compares a count with the books at the moment it is recorded, and keeps movements after it', async () => {
    const { warehouseId, products } = await aStockedWarehouse(10);
    const [a] = products as [string];
    const stocktake = await openStocktake(testContext(), production, { warehouseId });
    await issue(a, warehouseId, 3); // before the count: the shelf and the books both hold 7

    const counted = await recordCounts(testContext(), production, stocktake.id, { counts: [{ productId: a, counted: 6 }] });
    expect(counted.lines).toMatchObject([{ expected: 10, onHandAtCount: 7, counted: 6, variance: -1 }]);
    await receive(a, warehouseId, 5); // after the count: on top of what was counted

    const closed = await closeStocktake(testContext(), production, stocktake.id);
    expect(closed.lines[0]?.variance).toBe(-1);
    expect(await onHand(a, warehouseId)).toBe(6 + 5);
  });

  it('leaves the stocktake open, and the stock untouched, when the adjustment no longer fits', async () => {
    const { warehouseId, products } = await aStockedWarehouse(10);
    const [a] = products as [string];
    const stocktake = await openStocktake(testContext(), production, { warehouseId });
    await recordCounts(testContext(), production, stocktake.id, { counts: [{ productId: a, counted: 4 }] }); // variance −6
    await issue(a, warehouseId, 8); // on-hand 2: the −6 cannot be applied

    await expect(closeStocktake(testContext(), production, stocktake.id)).rejects.toThrow(ConflictError);
    const after = await getStocktake(stocktake.id);
    expect(after).toMatchObject({ status: 'open', report: null, movementIds: [], closedAt: null });
    expect(await onHand(a, warehouseId)).toBe(2);

    // A recount sets it right, and the close goes through.
    await recordCounts(testContext(), production, stocktake.id, { counts: [{ productId: a, counted: 1 }] });
    const closed = await closeStocktake(testContext(), production, stocktake.id);
    expect(closed.report).toMatchObject({ linesWithVariance: 1, unitsUnder: 1 });
    expect(await onHand(a, warehouseId)).toBe(1);
  });
});

describe('stocktakes: exactly once', () => {
  it('refuses a second close with 409 and adjusts only once', async () => {
    const { warehouseId, products } = await aStockedWarehouse(10);
    const [a] = products as [string];
    const stocktake = await openStocktake(testContext(), production, { warehouseId });
    await recordCounts(testContext(), production, stocktake.id, { counts: [{ productId: a, counted: 7 }] });
    await closeStocktake(testContext(), production, stocktake.id);
    await expect(closeStocktake(testContext(), production, stocktake.id)).rejects.toThrow(ConflictError);
    expect(await onHand(a, warehouseId)).toBe(7);
  });

  it('lets exactly one of 8 concurrent closes win', async () => {
    const { warehouseId, products } = await aStockedWarehouse(10);
    const [a] = products as [string];
    const stocktake = await openStocktake(testContext(), production, { warehouseId });
    await recordCounts(testContext(), production, stocktake.id, { counts: [{ productId: a, counted: 12 }] });
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => closeStocktake(testContext(), production, stocktake.id)));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    for (const result of results) if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(ConflictError);
    expect(await onHand(a, warehouseId)).toBe(12);
  });

  it('finishes a close that died after writing its adjustment, without adjusting again', async () => {
    const { warehouseId, products } = await aStockedWarehouse(10);
    const [a] = products as [string];
    const stocktake = await openStocktake(testContext(), production, { warehouseId });
    await recordCounts(testContext(), production, stocktake.id, { counts: [{ productId: a, counted: 6 }] });
    // A close claimed it at 08:00 and wrote the adjustment, then its Lambda died.
    const record = await getStocktakeRecord(stocktake.id);
    if (!record) throw new Error('stocktake missing');
    await replaceStocktake({ ...record, status: 'closing', closingAt: '2026-11-27T08:00:00.000Z', version: record.version + 1 }, record.version, () => new Error('race'));
    const [movementId] = record.closeMovementIds as [string];
    await applyStockChange(testContext(fixedClock('2026-11-27T08:00:00Z')), production, { kind: 'stocktake', counted: true, movementId, effects: [{ productId: a, warehouseId, kind: 'adjustment', onHandDelta: -4, reservedDelta: 0, line: 0 }] });

    // While the lease runs, another close is refused; after it, the close finishes.
    await expect(closeStocktake(testContext(fixedClock('2026-11-27T08:01:00Z')), production, stocktake.id)).rejects.toThrow(ConflictError);
    const closed = await closeStocktake(testContext(fixedClock('2026-11-27T08:10:00Z')), production, stocktake.id);
    expect(closed).toMatchObject({ status: 'closed', movementIds: [movementId], report: { unitsUnder: 4 } });
    expect(await onHand(a, warehouseId)).toBe(6);
  });

  it('closes a whole warehouse in movements of 30 lines, and a failed later one resumes without adjusting twice', async () => {
    const { warehouseId, products } = await aStockedWarehouse(...Array.from({ length: 65 }, () => 10));
    const stocktake = await openStocktake(testContext(), production, { warehouseId });
    expect(stocktake.lines).toHaveLength(65);
    // Every line one short; the 40th (second movement) will have been emptied meanwhile.
    await recordCounts(testContext(), production, stocktake.id, { counts: products.slice(0, 65).map((productId) => ({ productId, counted: 9 })) });
    const victim = products[39] as string;
    await issue(victim, warehouseId, 10);

    const partly = closeStocktake(testContext(), production, stocktake.id);
    await expect(partly).rejects.toThrow(/partly closed: 1 of 3/);
    expect(await onHand(products[0] as string, warehouseId)).toBe(9);
    expect((await getStocktake(stocktake.id)).status).toBe('closing');

    await receive(victim, warehouseId, 1);
    // The failed close gave up its claim: closing again right away finishes the job.
    const closed = await closeStocktake(testContext(), production, stocktake.id);
    expect(closed.status).toBe('closed');
    expect(closed.movementIds).toHaveLength(3);
    expect(closed.report).toMatchObject({ linesCounted: 65, linesWithVariance: 65, unitsUnder: 65 });
    for (const productId of products) expect(await onHand(productId, warehouseId)).toBe(productId === victim ? 0 : 9);
  }, 120_000);

  it('refuses counts once closed (409)', async () => {
    const { warehouseId, products } = await aStockedWarehouse(3);
    const [a] = products as [string];
    const stocktake = await openStocktake(testContext(), production, { warehouseId });
    await closeStocktake(testContext(), production, stocktake.id);
    await expect(recordCounts(testContext(), production, stocktake.id, { counts: [{ productId: a, counted: 1 }] })).rejects.toThrow(ConflictError);
    expect((await getStocktake(stocktake.id)).movementIds).toEqual([]);
  });
});

describe('stocktakes: invalid requests', () => {
  it('answers 404 for an unknown stocktake', async () => {
    await expect(getStocktake('01JZZZZZZZZZZZZZZZZZZZZZZZ')).rejects.toThrow(NotFoundError);
    await expect(closeStocktake(testContext(), production, '01JZZZZZZZZZZZZZZZZZZZZZZZ')).rejects.toThrow(NotFoundError);
  });

  it('answers 400 naming the path of a product the stocktake does not cover', async () => {
    const { warehouseId, products } = await aStockedWarehouse(3, 4);
    const [a, other] = products as [string, string];
    const stocktake = await openStocktake(testContext(), production, { warehouseId, productIds: [a] });
    const counting = recordCounts(testContext(), production, stocktake.id, {
      counts: [
        { productId: a, counted: 3 },
        { productId: other, counted: 4 },
      ],
    });
    await expect(counting).rejects.toThrow(ValidationError);
    await expect(counting).rejects.toMatchObject({ errors: [{ path: '$.body.counts[1].productId' }] });
    expect((await getStocktake(stocktake.id)).lines[0]?.counted).toBeNull();
  });

  it('answers 400 naming an unknown warehouse or product at open', async () => {
    const { warehouseId } = await aStockedWarehouse(1);
    await expect(openStocktake(testContext(), production, { warehouseId: '01JZZZZZZZZZZZZZZZZZZZZZZZ' })).rejects.toMatchObject({ errors: [{ path: '$.body.warehouseId' }] });
    await expect(openStocktake(testContext(), production, { warehouseId, productIds: ['01JZZZZZZZZZZZZZZZZZZZZZZZ'] })).rejects.toMatchObject({
      errors: [{ path: '$.body.productIds[0]' }],
    });
  });
});

describe('stocktakes: list', () => {
  it('lists a warehouse’s stocktakes newest first, filtered by status', async () => {
    const { warehouseId } = await aStockedWarehouse(2);
    const first = await openStocktake(testContext(), production, { warehouseId });
    await closeStocktake(testContext(), production, first.id);
    const second = await openStocktake(testContext(), production, { warehouseId });

    const all = await listStocktakes({ warehouseId, limit: 25 });
    expect(all.items.map((s) => s.id)).toEqual([second.id, first.id]);
    expect((await listStocktakes({ warehouseId, status: 'closed', limit: 25 })).items.map((s) => s.id)).toEqual([first.id]);
    const open = await listStocktakes({ status: 'open', limit: 100 });
    expect(open.items.some((s) => s.id === second.id)).toBe(true);
    expect(open.items.some((s) => s.id === first.id)).toBe(false);

    const page = await listStocktakes({ warehouseId, limit: 1 });
    const next = await listStocktakes({ warehouseId, limit: 1, cursor: page.nextCursor ?? undefined });
    expect([...page.items, ...next.items].map((s) => s.id)).toEqual([second.id, first.id]);
  });
});
