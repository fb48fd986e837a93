import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inventoryChanges } from '../../lib/inventory/events';
import { getLevel, recordMovement, setThresholds } from '../../lib/inventory/service';
import type { Thresholds } from '../../lib/inventory/schema';
import { allLedgerEntries } from '../../lib/inventory/store';
import { ConflictError } from '../../lib/platform/errors';
import { testContext } from '../support/factories';
import { aStockedLevel, keeper } from '../support/inventory';
import { committedChanges } from '../support/stream';

/**
 * Model-based: random movements and threshold changes against the real service and database,
 * beside a model that knows only arithmetic. After every step the stock must match the model;
 * after every run on-hand must equal the sum of the ledger; at the end, the alert events the
 * change path derives from the stream must be exactly the threshold crossings the model saw.
 */
interface Model {
  onHand: number;
  thresholds: Thresholds | null;
  crossings: string[];
}

interface Real {
  productId: string;
  warehouseId: string;
}

/** Which side of each threshold the stock is on; a flip is a crossing. */
function sides(available: number, thresholds: Thresholds | null) {
  return {
    minimum: thresholds ? available < thresholds.minimum : false,
    safety: thresholds ? available < thresholds.safety : false,
    maximum: thresholds ? available > thresholds.maximum : false,
  };
}

function recordCrossings(model: Model, before: ReturnType<typeof sides>, after: ReturnType<typeof sides>): void {
  const enter = { minimum: 'StockBelowMinimum', safety: 'StockBelowSafety', maximum: 'StockAboveMaximum' } as const;
  for (const threshold of ['minimum', 'safety', 'maximum'] as const) {
    if (!before[threshold] && after[threshold]) model.crossings.push(enter[threshold]);
    if (before[threshold] && !after[threshold]) model.crossings.push(`StockRecovered:${threshold}`);
  }
}

async function checkLevel(model: Model, real: Real): Promise<void> {
  const level = await getLevel(real.productId, real.warehouseId);
  expect(level.onHand).toBe(model.onHand);
  expect(level.available).toBe(model.onHand);
}

class Move implements fc.AsyncCommand<Model, Real> {
  constructor(readonly quantity: number) {}
  check = () => true;
  async run(model: Model, real: Real): Promise<void> {
    const before = sides(model.onHand, model.thresholds);
    const attempt =
      this.quantity > 0
        ? recordMovement(testContext(), keeper, { kind: 'receipt', source: 'production', lines: [{ ...real, quantity: this.quantity }] })
        : recordMovement(testContext(), keeper, { kind: 'issue', purpose: 'sale', reference: 'SO-M', lines: [{ ...real, quantity: -this.quantity }] });
    if (model.onHand + this.quantity < 0) {
      await expect(attempt).rejects.toThrow(ConflictError);
    } else {
      await attempt;
      model.onHand += this.quantity;
      recordCrossings(model, before, sides(model.onHand, model.thresholds));
    }
    await checkLevel(model, real);
  }
  toString = () => `move(${this.quantity})`;
}

class SetThresholds implements fc.AsyncCommand<Model, Real> {
  constructor(readonly thresholds: Thresholds) {}
  check = () => true;
  async run(model: Model, real: Real): Promise<void> {
    const before = sides(model.onHand, model.thresholds);
    await setThresholds(testContext(), real.productId, real.warehouseId, this.thresholds, undefined);
    model.thresholds = this.thresholds;
    recordCrossings(model, before, sides(model.onHand, model.thresholds));
    await checkLevel(model, real);
  }
  toString = () => `thresholds(${this.thresholds.safety}/${this.thresholds.minimum}/${this.thresholds.maximum})`;
}

const thresholdsArb = fc.tuple(fc.nat({ max: 15 }), fc.nat({ max: 15 }), fc.integer({ min: 1, max: 40 })).map(([a, b, c]) => {
  const [safety, minimum, maximum] = [a, b, c].sort((x, y) => x - y) as [number, number, number];
  return { safety, minimum, maximum: Math.max(maximum, 1), reorderQuantity: 10, leadTimeDays: 3 };
});

const commands = [
  fc.integer({ min: 1, max: 20 }).map((q) => new Move(q)),
  fc.integer({ min: 1, max: 20 }).map((q) => new Move(-q)),
  thresholdsArb.map((t) => new SetThresholds(t)),
];

describe('inventory: model-based', () => {
  it('keeps stock equal to the model and the ledger, and alerts exactly on threshold crossings', async () => {
    const expected = new Map<string, string[]>();
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 12 }), async (cmds) => {
        const real = await aStockedLevel(0);
        const model: Model = { onHand: 0, thresholds: null, crossings: [] };
        await fc.asyncModelRun(() => ({ model, real }), cmds);
        const ledger = await allLedgerEntries(real.productId, real.warehouseId);
        expect(ledger.reduce((sum, entry) => sum + entry.onHandDelta, 0)).toBe(model.onHand);
        expected.set(real.productId, model.crossings);
      }),
      { numRuns: 100 },
    );

    // The runs must have crossed thresholds for the comparison below to mean anything.
    expect([...expected.values()].flat().length).toBeGreaterThan(20);
    const derived = new Map<string, string[]>();
    for (const change of await committedChanges('StockLevel')) {
      for (const event of inventoryChanges(change)) {
        const data = event.data as { productId: string; threshold?: string };
        const name = event.metadata.type === 'StockRecovered' ? `StockRecovered:${data.threshold}` : event.metadata.type;
        derived.set(data.productId, [...(derived.get(data.productId) ?? []), name]);
      }
    }
    for (const [productId, crossings] of expected) {
      expect((derived.get(productId) ?? []).sort(), `alerts for ${productId}`).toEqual([...crossings].sort());
    }
  }, 300_000);
});
