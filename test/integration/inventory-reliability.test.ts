import { describe, expect, it } from 'vitest';
import { createWarehouse } from '../../lib/catalog/service';
import { getLevel, recordMovement } from '../../lib/inventory/service';
import { allLedgerEntries } from '../../lib/inventory/store';
import { ConflictError } from '../../lib/platform/errors';
import { aWarehouse, testContext } from '../support/factories';
import { aStockedLevel, issue, keeper, receive } from '../support/inventory';
import { committedImages } from '../support/stream';

/** Concurrency is where stock systems lose or invent units: these hammer the real database. */
describe('inventory reliability', () => {
  it('200 concurrent issues of 1 against 100 on hand: exactly 100 succeed, 100 get 409', async () => {
    const level = await aStockedLevel(100);
    const results = await Promise.allSettled(Array.from({ length: 200 }, () => issue(level, 1)));
    const succeeded = results.filter((result) => result.status === 'fulfilled');
    const refused = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
    expect(succeeded).toHaveLength(100);
    expect(refused).toHaveLength(100);
    for (const result of refused) expect(result.reason).toBeInstanceOf(ConflictError);
    expect(await getLevel(level.productId, level.warehouseId)).toMatchObject({ onHand: 0, available: 0 });
    const ledger = await allLedgerEntries(level.productId, level.warehouseId);
    expect(ledger.filter((entry) => entry.kind === 'issue')).toHaveLength(100);
  }, 120_000);

  it('50 receipts of 2 interleaved with 300 issues of 1 from 100: 200 issues succeed, nothing goes below 0', async () => {
    const level = await aStockedLevel(100);
    let receiptsDone = false;
    const receipts = Promise.all(Array.from({ length: 50 }, () => receive(level, 2))).then(() => (receiptsDone = true));
    // A client retries a shortfall while deliveries are still arriving; after that a 409 is final.
    const issueUntilSettled = async (): Promise<boolean> => {
      for (;;) {
        try {
          await issue(level, 1);
          return true;
        } catch (error) {
          if (!(error instanceof ConflictError)) throw error;
          if (receiptsDone) return false;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    };
    const outcomes = await Promise.all([...Array.from({ length: 300 }, issueUntilSettled), receipts]);
    const issued = outcomes.slice(0, 300).filter(Boolean).length;
    expect(issued).toBe(200);
    const stock = await getLevel(level.productId, level.warehouseId);
    expect(stock.onHand).toBe(0);
    const ledger = await allLedgerEntries(level.productId, level.warehouseId);
    expect(ledger.reduce((sum, entry) => sum + entry.onHandDelta, 0)).toBe(0);
    expect(ledger.filter((entry) => entry.kind === 'receipt')).toHaveLength(51);
    // The stream holds the level's states in the order DynamoDB committed them: none below 0.
    const states = (await committedImages('StockLevel')).filter((image) => image.productId === level.productId);
    expect(states.length).toBeGreaterThanOrEqual(251);
    for (const state of states) {
      expect(state.onHand).toBeGreaterThanOrEqual(0);
      expect(state.available).toBeGreaterThanOrEqual(0);
    }
  }, 180_000);

  it('50 concurrent 5-line movements over shared products: each has 0 or 5 ledger entries, never some', async () => {
    const levels = await Promise.all(Array.from({ length: 5 }, () => aStockedLevel(60)));
    const movements = Array.from({ length: 50 }, (_unused, n) =>
      recordMovement(testContext(), keeper, {
        kind: 'issue',
        purpose: 'sale',
        reference: `SO-${n}`,
        lines: levels.map((level, i) => ({ ...level, quantity: 1 + ((n + i) % 3) })),
      }),
    );
    const results = await Promise.allSettled(movements);
    const committed = results.filter((result) => result.status === 'fulfilled').map((result) => (result as PromiseFulfilledResult<{ id: string }>).value.id);
    const ledgers = await Promise.all(levels.map((level) => allLedgerEntries(level.productId, level.warehouseId)));
    const entriesByMovement = new Map<string, number>();
    for (const entry of ledgers.flat().filter((e) => e.kind === 'issue')) entriesByMovement.set(entry.movementId, (entriesByMovement.get(entry.movementId) ?? 0) + 1);
    expect([...entriesByMovement.values()].every((count) => count === 5)).toBe(true);
    expect([...entriesByMovement.keys()].sort()).toEqual([...committed].sort());
    for (const [index, level] of levels.entries()) {
      const stock = await getLevel(level.productId, level.warehouseId);
      const ledgerSum = (ledgers[index] ?? []).reduce((sum, entry) => sum + entry.onHandDelta, 0);
      expect(stock.onHand).toBe(ledgerSum);
      expect(stock.onHand).toBeGreaterThanOrEqual(0);
    }
  }, 180_000);

  it('transfers never create or destroy stock: the sum over warehouses is unchanged', async () => {
    const level = await aStockedLevel(50);
    const others = await Promise.all([createWarehouse(testContext(), keeper, aWarehouse()), createWarehouse(testContext(), keeper, aWarehouse())]);
    const warehouses = [level.warehouseId, ...others.map((w) => w.id)];
    const transfers = Array.from({ length: 40 }, (_unused, n) =>
      recordMovement(testContext(), keeper, {
        kind: 'transfer',
        fromWarehouseId: warehouses[n % 3] as string,
        toWarehouseId: warehouses[(n + 1) % 3] as string,
        lines: [{ productId: level.productId, quantity: 1 + (n % 4) }],
      }).catch((error: unknown) => {
        if (!(error instanceof ConflictError)) throw error;
      }),
    );
    await Promise.all(transfers);
    const levels = await Promise.all(warehouses.map((warehouseId) => getLevel(level.productId, warehouseId)));
    expect(levels.reduce((sum, stock) => sum + stock.onHand, 0)).toBe(50);
    for (const stock of levels) expect(stock.onHand).toBeGreaterThanOrEqual(0);
  }, 120_000);
});
