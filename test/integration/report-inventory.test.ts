import { beforeAll, describe, expect, it } from 'vitest';
import { createProduct, createWarehouse } from '../../lib/catalog/service';
import { issueReservedStock, recordMovement, releaseStock, reserveStock, setThresholds } from '../../lib/inventory/service';
import type { LedgerEntry, Thresholds } from '../../lib/inventory/schema';
import { closeStocktake, openStocktake, recordCounts } from '../../lib/inventory/stocktakes/service';
import type { Stocktake } from '../../lib/inventory/stocktakes/schema';
import { allLedgerEntries } from '../../lib/inventory/store';
import type { ReportInput, ReportProduct, ReportSection } from '../../lib/reports/model';
import { buildInventorySection } from '../../lib/reports/sections/inventory';
import { aProduct, anActor, aWarehouse, fixedClock, testContext, unique } from '../support/factories';
import { seeded } from '../support/random';

/**
 * The inventory section against a brute-force replay of the ledger. A seeded run of receipts,
 * issues, reservations, transfers and adjustments (Sep 20 – Nov 15 2026, Shanghai) on six
 * levels, plus hand-placed levels for the month boundary: every figure of October is
 * recomputed from the raw ledger entries, thresholds and stocktakes the test wrote.
 */
const keeper = anActor(['production', 'admin'], { email: 'stock@example.com' });
const clock = fixedClock('2026-09-01T00:00:00Z');
const context = testContext(clock);
const MONTH = '2026-10';
const START = Date.parse('2026-10-01T00:00:00+08:00');
const END = Date.parse('2026-11-01T00:00:00+08:00');
const ISSUES = new Set<LedgerEntry['kind']>(['issue', 'issue-reserved']);

/** A Shanghai wall-clock time as an instant. */
const local = (wallClock: string) => new Date(`${wallClock}+08:00`).toISOString();

interface Level {
  productId: string;
  warehouseId: string;
}
interface Event {
  at: string;
  run: () => Promise<unknown>;
}

const key = (level: Level) => `${level.productId}#${level.warehouseId}`;
let products: ReportProduct[] = [];
let warehouses: Array<{ id: string; code: string }> = [];
/** Every thresholds change the test made, per level, in time order. */
const thresholdsLog = new Map<string, Array<{ at: number; thresholds: Thresholds }>>();
const stocktakes: Stocktake[] = [];
let input: ReportInput;
let fixed: Record<'D' | 'E' | 'F', string>;
let w1: string;

function thresholds(safety: number, minimum: number, maximum: number): Thresholds {
  return { safety, minimum, maximum, reorderQuantity: maximum - minimum, leadTimeDays: 7 };
}

function setAt(level: Level, at: string, value: Thresholds): Event {
  return {
    at,
    run: async () => {
      const log = thresholdsLog.get(key(level)) ?? [];
      log.push({ at: Date.parse(at), thresholds: value });
      thresholdsLog.set(key(level), log);
      return setThresholds(context, level.productId, level.warehouseId, value, undefined);
    },
  };
}

function receiptAt(level: Level, at: string, quantity: number, lot?: { number: string; expiresOn: string }): Event {
  return { at, run: () => recordMovement(context, keeper, { kind: 'receipt', source: 'purchase', lines: [{ ...level, quantity, ...(lot ? { lot } : {}) }] }) };
}

function issueAt(level: Level, at: string, quantity: number): Event {
  return { at, run: () => recordMovement(context, keeper, { kind: 'issue', purpose: 'sale', lines: [{ ...level, quantity }] }) };
}

/** Seeded movements on `levels` (two warehouses per product), valid by a model of available stock. */
function randomEvents(levels: Level[], seed: number): Event[] {
  const next = seeded(seed);
  const int = (low: number, high: number) => low + Math.floor(next() * (high - low + 1));
  const model = new Map(levels.map((level) => [key(level), { onHand: 0, reserved: 0 }]));
  const state = (level: Level) => model.get(key(level)) as { onHand: number; reserved: number };
  const events: Event[] = [];
  let t = Date.parse(local('2026-09-20T00:00:00'));
  const stop = Date.parse(local('2026-11-15T00:00:00'));
  let lots = 0;
  while ((t += int(2 * 3600, 14 * 3600) * 1000) < stop) {
    const at = new Date(t).toISOString();
    const level = levels[int(0, levels.length - 1)] as Level;
    const s = state(level);
    const available = s.onHand - s.reserved;
    const roll = next();
    if (roll < 0.3 || available === 0) {
      const quantity = int(5, 40);
      const lot = next() < 0.3 ? { number: `L${++lots}`, expiresOn: `2026-${next() < 0.5 ? '11' : '12'}-${String(int(1, 28)).padStart(2, '0')}` } : undefined;
      s.onHand += quantity;
      events.push(receiptAt(level, at, quantity, lot));
    } else if (roll < 0.55) {
      const quantity = next() < 0.25 ? available : int(1, Math.min(available, 15));
      s.onHand -= quantity;
      events.push(issueAt(level, at, quantity));
    } else if (roll < 0.68) {
      const quantity = int(1, Math.min(available, 10));
      s.reserved += quantity;
      events.push({ at, run: () => reserveStock(context, keeper, [{ ...level, quantity }], 'SO-R') });
    } else if (roll < 0.76 && s.reserved > 0) {
      const quantity = int(1, s.reserved);
      s.reserved -= quantity;
      events.push({ at, run: () => releaseStock(context, keeper, [{ ...level, quantity }], 'SO-R') });
    } else if (roll < 0.86 && s.reserved > 0) {
      const quantity = int(1, s.reserved);
      s.reserved -= quantity;
      s.onHand -= quantity;
      events.push({ at, run: () => issueReservedStock(context, keeper, [{ ...level, quantity }], 'SO-R') });
    } else if (roll < 0.94) {
      const other = levels.find((candidate) => candidate.productId === level.productId && candidate.warehouseId !== level.warehouseId) as Level;
      const quantity = int(1, Math.min(available, 10));
      s.onHand -= quantity;
      state(other).onHand += quantity;
      events.push({
        at,
        run: () => recordMovement(context, keeper, { kind: 'transfer', fromWarehouseId: level.warehouseId, toWarehouseId: other.warehouseId, lines: [{ productId: level.productId, quantity }] }),
      });
    } else {
      const quantity = available >= 3 && next() < 0.5 ? -int(1, 3) : int(1, 3);
      s.onHand += quantity;
      events.push({ at, run: () => recordMovement(context, keeper, { kind: 'adjustment', reason: 'cycle count', lines: [{ ...level, quantity }] }) });
    }
  }
  return events;
}

beforeAll(async () => {
  clock.set('2026-09-01T00:00:00Z');
  const costs: Record<string, number | undefined> = { A: 10_000, B: 25_050, C: undefined, D: 5_000, E: 1_234, F: 800 };
  const created = await Promise.all(
    Object.entries(costs).map(async ([letter, cost]) => {
      const product = await createProduct(context, keeper, aProduct({ sku: unique(`INV-${letter}`), name: `Product ${letter}`, ...(cost ? { standardCost: { amount: cost, currency: 'CNY' } } : {}) }));
      return [letter, product] as const;
    }),
  );
  const byLetter = Object.fromEntries(created);
  const [first, second] = await Promise.all([createWarehouse(context, keeper, aWarehouse()), createWarehouse(context, keeper, aWarehouse())]);
  warehouses = [first, second].map((w) => ({ id: w.id, code: w.code }));
  w1 = first.id;
  const w2 = second.id;
  products = created
    .map(([, p]) => ({ id: p.id, sku: p.sku, name: p.name, category: p.category, ownerDepartment: p.ownerDepartment, ...(p.standardCost ? { standardCost: p.standardCost.amount } : {}) }))
    .sort((a, b) => (a.sku < b.sku ? -1 : 1));
  input = { month: MONTH, timeZone: 'Asia/Shanghai', currency: 'CNY', products };
  const id = (letter: string) => (byLetter[letter] as { id: string }).id;
  fixed = { D: id('D'), E: id('E'), F: id('F') };

  const random = ['A', 'B', 'C'].flatMap((letter) => [w1, w2].map((warehouseId) => ({ productId: id(letter), warehouseId })));
  const [aw1, aw2, bw1, , , cw2] = random as [Level, Level, Level, Level, Level, Level];
  const d = { productId: fixed.D, warehouseId: w1 };
  const e = { productId: fixed.E, warehouseId: w1 };
  const f = { productId: fixed.F, warehouseId: w1 };
  const events: Event[] = [
    setAt(aw1, local('2026-09-18T09:00:00'), thresholds(5, 15, 40)),
    setAt(aw2, local('2026-09-18T09:00:01'), thresholds(2, 8, 30)),
    setAt(bw1, local('2026-09-18T09:00:02'), thresholds(3, 10, 25)),
    setAt(cw2, local('2026-09-18T09:00:03'), thresholds(0, 12, 35)),
    // A threshold change inside the month moves levels across their minimum without a movement.
    setAt(aw1, local('2026-10-20T08:00:00'), thresholds(10, 30, 60)),
    // D: below minimum from 10 Oct 12:00, out of stock at 23:30 on 31 October (still October in
    // Shanghai), back above at 05:00 on 1 November (31 October in UTC).
    setAt(d, local('2026-09-15T10:00:00'), thresholds(2, 10, 40)),
    receiptAt(d, local('2026-09-15T10:00:01'), 30),
    issueAt(d, local('2026-10-10T12:00:00'), 25),
    issueAt(d, local('2026-10-31T23:30:00'), 5),
    receiptAt(d, local('2026-11-01T05:00:00'), 50),
    // E: below minimum since September, no write in October at all, back above in November.
    setAt(e, local('2026-09-10T10:00:00'), thresholds(5, 20, 60)),
    receiptAt(e, local('2026-09-12T10:00:00'), 5, { number: 'E-1', expiresOn: '2026-11-20' }),
    receiptAt(e, local('2026-11-03T10:00:00'), 100, { number: 'E-2', expiresOn: '2026-12-15' }),
    // F: no thresholds until 15 Oct; a stocktake closes at 23:50 on 31 Oct (October), another
    // on D at 00:10 on 1 Nov (November in Shanghai, October in UTC).
    receiptAt(f, local('2026-09-05T10:00:00'), 100),
    setAt(f, local('2026-10-15T12:00:00'), thresholds(50, 120, 200)),
    ...stocktakeEvents(f, 97, local('2026-10-20T09:00:00'), local('2026-10-25T09:00:00'), local('2026-10-31T23:50:00')),
    ...stocktakeEvents(d, 6, local('2026-10-28T09:00:00'), local('2026-10-29T09:00:00'), local('2026-11-01T00:10:00')),
    ...randomEvents(random, 7),
  ].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  for (const event of events) {
    clock.set(event.at);
    await event.run();
  }
  clock.set('2026-11-20T00:00:00Z');
}, 600_000);

function stocktakeEvents(level: Level, counted: number, openAt: string, countAt: string, closeAt: string): Event[] {
  let id = '';
  return [
    { at: openAt, run: async () => (id = (await openStocktake(context, keeper, { warehouseId: level.warehouseId, productIds: [level.productId] })).id) },
    { at: countAt, run: () => recordCounts(context, keeper, id, { counts: [{ productId: level.productId, counted }] }) },
    { at: closeAt, run: async () => stocktakes.push(await closeStocktake(context, keeper, id)) },
  ];
}

// ---- brute force ----------------------------------------------------------------------------

/** One decimal, half up, exact. */
function r1(numerator: bigint, denominator: bigint): number | null {
  if (denominator <= 0n) return null;
  const tenths = (numerator * 20n + denominator) / (2n * denominator);
  return Number(tenths) / 10;
}

interface Replay {
  level: Level;
  issued: number;
  closing: number;
  onHandSeconds: bigint;
  stockOuts: number;
  belowSeconds: number;
  active: boolean;
  thresholds: Thresholds | null;
  lots: Map<string, { quantity: number; expiresOn: string | null }>;
}

/** Walks a level's ledger and thresholds in time order, integrating over October second by second (piecewise). */
async function replay(level: Level): Promise<Replay> {
  const entries = await allLedgerEntries(level.productId, level.warehouseId);
  const changes: Array<{ at: number; entries?: LedgerEntry[]; thresholds?: Thresholds }> = [];
  const byMovement = new Map<string, LedgerEntry[]>();
  for (const entry of entries) byMovement.set(entry.movementId, [...(byMovement.get(entry.movementId) ?? []), entry]);
  for (const group of byMovement.values()) changes.push({ at: Date.parse((group[0] as LedgerEntry).occurredAt), entries: group });
  for (const change of thresholdsLog.get(key(level)) ?? []) changes.push({ at: change.at, thresholds: change.thresholds });
  changes.sort((a, b) => a.at - b.at);

  const result: Replay = { level, issued: 0, closing: 0, onHandSeconds: 0n, stockOuts: 0, belowSeconds: 0, active: false, thresholds: null, lots: new Map() };
  let onHand = 0;
  let reserved = 0;
  let previous = Number.NEGATIVE_INFINITY;
  const below = () => result.thresholds !== null && onHand - reserved < result.thresholds.minimum;
  const held = (until: number) => {
    const from = Math.max(previous, START);
    const to = Math.min(until, END);
    if (to > from) {
      const seconds = (to - from) / 1000;
      result.onHandSeconds += BigInt(onHand) * BigInt(seconds);
      if (below()) result.belowSeconds += seconds;
    }
  };
  for (const change of changes) {
    held(change.at);
    previous = change.at;
    const inMonth = change.at >= START && change.at < END;
    const wasBelow = below();
    const before = onHand - reserved;
    if (change.thresholds) result.thresholds = change.thresholds;
    for (const entry of change.entries ?? []) {
      onHand += entry.onHandDelta;
      reserved += entry.reservedDelta;
      if (inMonth && ISSUES.has(entry.kind)) result.issued -= entry.onHandDelta;
      if (inMonth && entry.onHandDelta !== 0) result.active = true;
      for (const lot of entry.lots ?? []) {
        const current = result.lots.get(lot.number) ?? { quantity: 0, expiresOn: lot.expiresOn };
        current.quantity += Math.sign(entry.onHandDelta) * lot.quantity;
        result.lots.set(lot.number, current);
      }
    }
    if (change.at < END) result.closing = onHand;
    if (inMonth && change.entries && before > 0 && onHand - reserved <= 0) result.stockOuts += 1;
    if (inMonth && (wasBelow !== below() || (change.entries && before > 0 && onHand - reserved <= 0))) result.active = true;
  }
  held(Number.POSITIVE_INFINITY);
  return result;
}

const rowsOf = (section: ReportSection, id: string) => section.tables.find((table) => table.id === id)?.rows ?? [];

describe('report: inventory section', () => {
  it('equals a brute-force replay of the ledger, to the unit', async () => {
    const section = await buildInventorySection(input);
    const levels = products.flatMap((p) => warehouses.map((w) => ({ productId: p.id, warehouseId: w.id })));
    const replays = (await Promise.all(levels.map(replay))).filter((r) => r.onHandSeconds > 0n || r.closing > 0 || r.thresholds || r.lots.size || r.active);
    const codeOf = (id: string) => (warehouses.find((w) => w.id === id) as { code: string }).code;
    const productOf = (id: string) => products.find((p) => p.id === id) as ReportProduct;
    const monthSeconds = BigInt((END - START) / 1000);

    const expectedProducts = products.map((product) => {
      const mine = replays.filter((r) => r.level.productId === product.id);
      const issued = mine.reduce((t, r) => t + r.issued, 0);
      const closing = mine.reduce((t, r) => t + r.closing, 0);
      const onHandSeconds = mine.reduce((t, r) => t + r.onHandSeconds, 0n);
      const overstockUnits = mine.reduce((t, r) => t + (r.thresholds && r.closing > r.thresholds.maximum ? r.closing - r.thresholds.maximum : 0), 0);
      return {
        sku: product.sku,
        name: product.name,
        issued,
        averageOnHand: r1(onHandSeconds, monthSeconds),
        closingOnHand: closing,
        turnover: r1(BigInt(issued) * monthSeconds, onHandSeconds),
        daysOfInventory: issued > 0 ? r1(31n * onHandSeconds, monthSeconds * BigInt(issued)) : null,
        averageDailyIssue: r1(BigInt(issued), 31n),
        daysOfCover: issued > 0 ? r1(BigInt(closing) * 31n, BigInt(issued)) : null,
        stockOuts: mine.reduce((t, r) => t + r.stockOuts, 0),
        daysBelowMinimum: r1(BigInt(mine.reduce((t, r) => t + r.belowSeconds, 0)), 86_400n),
        overstockUnits,
        overstockValue: product.standardCost === undefined ? null : overstockUnits * product.standardCost,
      };
    });
    expect(rowsOf(section, 'products')).toEqual(expectedProducts);

    const sortKey = (sku: string, code: string, id: string) => `${sku}|${code}|${id}`;
    const expectedLevels = replays
      .filter((r) => r.active || r.thresholds)
      .map((r) => {
        const product = productOf(r.level.productId);
        return {
          sku: product.sku,
          name: product.name,
          warehouse: codeOf(r.level.warehouseId),
          warehouseId: r.level.warehouseId,
          issued: r.issued,
          averageDailyIssue: r1(BigInt(r.issued), 31n),
          closingOnHand: r.closing,
          daysOfCover: r.issued > 0 ? r1(BigInt(r.closing) * 31n, BigInt(r.issued)) : null,
          stockOuts: r.stockOuts,
          daysBelowMinimum: r1(BigInt(r.belowSeconds), 86_400n),
          safety: r.thresholds?.safety ?? null,
          minimum: r.thresholds?.minimum ?? null,
          maximum: r.thresholds?.maximum ?? null,
          reorderQuantity: r.thresholds?.reorderQuantity ?? null,
          leadTimeDays: r.thresholds?.leadTimeDays ?? null,
        };
      })
      .sort((a, b) => (sortKey(a.sku, a.warehouse, a.warehouseId) < sortKey(b.sku, b.warehouse, b.warehouseId) ? -1 : 1));
    expect(rowsOf(section, 'levels')).toEqual(expectedLevels);

    const expectedOverstock = replays
      .filter((r) => r.thresholds && r.closing > r.thresholds.maximum)
      .map((r) => {
        const product = productOf(r.level.productId);
        const maximum = (r.thresholds as Thresholds).maximum;
        const cost = product.standardCost;
        return {
          sku: product.sku,
          name: product.name,
          warehouse: codeOf(r.level.warehouseId),
          warehouseId: r.level.warehouseId,
          closingOnHand: r.closing,
          maximum,
          excessUnits: r.closing - maximum,
          unitCost: cost ?? null,
          value: cost === undefined ? null : (r.closing - maximum) * cost,
        };
      })
      .sort((a, b) => (b.value ?? -1) - (a.value ?? -1) || (sortKey(a.sku, a.warehouse, a.warehouseId) < sortKey(b.sku, b.warehouse, b.warehouseId) ? -1 : 1));
    expect(rowsOf(section, 'overstock')).toEqual(expectedOverstock);

    const expectedLots = replays
      .flatMap((r) =>
        [...r.lots.entries()]
          .filter(([, lot]) => lot.quantity > 0 && lot.expiresOn !== null && lot.expiresOn <= '2026-11-30')
          .map(([number, lot]) => {
            const product = productOf(r.level.productId);
            return {
              sku: product.sku,
              name: product.name,
              warehouse: codeOf(r.level.warehouseId),
              warehouseId: r.level.warehouseId,
              lot: number,
              expiresOn: lot.expiresOn,
              daysAfterMonthEnd: (Date.parse(`${lot.expiresOn as string}T00:00:00Z`) - Date.parse('2026-10-31T00:00:00Z')) / 86_400_000,
              quantity: lot.quantity,
              value: product.standardCost === undefined ? null : lot.quantity * product.standardCost,
            };
          }),
      )
      .sort((a, b) => (`${a.expiresOn}|${sortKey(a.sku, a.warehouse, a.warehouseId)}|${a.lot}` < `${b.expiresOn}|${sortKey(b.sku, b.warehouse, b.warehouseId)}|${b.lot}` ? -1 : 1));
    expect(rowsOf(section, 'expiring-lots')).toEqual(expectedLots);

    const october = stocktakes.filter((s) => Date.parse(s.closedAt as string) >= START && Date.parse(s.closedAt as string) < END);
    expect(october).toHaveLength(1);
    const value = (s: Stocktake) => s.lines.reduce((t, line) => t + (line.variance ?? 0) * (productOf(line.productId).standardCost ?? 0), 0);
    expect(rowsOf(section, 'stocktakes')).toEqual(
      october.map((s) => ({
        stocktakeId: s.id,
        warehouse: codeOf(s.warehouseId),
        warehouseId: s.warehouseId,
        closedOn: '2026-10-31',
        linesCounted: s.report?.linesCounted,
        linesWithVariance: s.report?.linesWithVariance,
        unitsOver: s.report?.unitsOver,
        unitsUnder: s.report?.unitsUnder,
        varianceValue: value(s),
      })),
    );
    expect(rowsOf(section, 'stocktake-variances')).toEqual(
      october.flatMap((s) =>
        s.lines
          .filter((line) => line.variance)
          .map((line) => ({
            sku: productOf(line.productId).sku,
            name: productOf(line.productId).name,
            warehouse: codeOf(s.warehouseId),
            warehouseId: s.warehouseId,
            stocktakeId: s.id,
            onHandAtCount: line.onHandAtCount,
            counted: line.counted,
            variance: line.variance,
            varianceValue: (line.variance as number) * (productOf(line.productId).standardCost ?? 0),
          })),
      ),
    );

    const figure = (id: string) => section.figures.find((f) => f.id === id)?.value;
    expect(figure('units-issued')).toBe(expectedProducts.reduce((t, p) => t + p.issued, 0));
    expect(figure('stock-outs')).toBe(expectedProducts.reduce((t, p) => t + p.stockOuts, 0));
    expect(figure('overstock-value')).toBe(expectedOverstock.reduce((t, o) => t + (o.value ?? 0), 0));
    expect(figure('expiring-lots')).toBe(expectedLots.filter((l) => l.daysAfterMonthEnd > 0).length);
    expect(figure('expired-lots-held')).toBe(expectedLots.filter((l) => l.daysAfterMonthEnd <= 0).length);
    expect(figure('stocktakes-closed')).toBe(1);
    expect(figure('stocktake-variance-value')).toBe(-3 * 800);
    // The seeded run is not trivial: it has stock-outs, time below minimum, overstock and lots.
    const seededRows = expectedLevels.filter((row) => ['Product A', 'Product B', 'Product C'].includes(row.name));
    expect(seededRows.some((row) => row.stockOuts > 0 && row.minimum !== null)).toBe(true);
    expect(seededRows.some((row) => (row.daysBelowMinimum ?? 0) > 0 && (row.daysBelowMinimum ?? 0) < 31)).toBe(true);
    expect(expectedOverstock.length).toBeGreaterThan(0);
    expect(expectedLots.length).toBeGreaterThan(1);
  });

  it('books time below minimum and stock-outs by the company month, across its boundaries', async () => {
    const section = await buildInventorySection(input);
    const level = (productId: string) => rowsOf(section, 'levels').find((row) => row.warehouseId === w1 && row.sku === products.find((p) => p.id === productId)?.sku);
    // D: 10 Oct 12:00 → 1 Nov 00:00 below (21.5 days); the stock-out at 23:30 on 31 Oct is October's;
    // the receipt at 05:00 on 1 Nov (31 Oct in UTC) is not.
    expect(level(fixed.D)).toMatchObject({ issued: 30, closingOnHand: 0, stockOuts: 1, daysBelowMinimum: 21.5, daysOfCover: 0 });
    // E: no October write at all; its state comes from November's opening: below all month.
    expect(level(fixed.E)).toMatchObject({ issued: 0, closingOnHand: 5, stockOuts: 0, daysBelowMinimum: 31 });
    // F: below from the thresholds set on 15 Oct 12:00 (16.5 days), with no movement then.
    expect(level(fixed.F)).toMatchObject({ closingOnHand: 97, daysBelowMinimum: 16.5 });
    const november = await buildInventorySection({ ...input, month: '2026-11' });
    expect(rowsOf(november, 'stocktakes').map((row) => row.closedOn)).toEqual(['2026-11-01']);
    const d = rowsOf(november, 'levels').find((row) => row.sku === products.find((p) => p.id === fixed.D)?.sku);
    // D opens November below (0 available) and leaves at 05:00 on 1 Nov (the stocktake's +1 at 00:10 keeps it below).
    expect(d).toMatchObject({ stockOuts: 0, daysBelowMinimum: 0.2 });
  });

  it('builds the same bytes twice', async () => {
    const [first, second] = [await buildInventorySection(input), await buildInventorySection(input)];
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
  });
});
