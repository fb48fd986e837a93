import { getWarehouse } from '../../catalog/service';
import { reportOf } from '../../inventory/stocktakes/service';
import { stocktakesClosedBetween, type StocktakeRecord } from '../../inventory/stocktakes/store';
import { everyLevel, monthTotalsSince, type LevelRecord, type MonthTotals } from '../../inventory/store';
import { lotsExpiringBy, type ExpiringLot } from '../../inventory/sweep-store';
import type { Thresholds } from '../../inventory/schema';
import { divideRoundHalfUp } from '../../platform/exact';
import { addDays, localDate, monthStart, nextMonth } from '../../platform/time';
import type { CellValue, Column, KeyFigure, ReportInput, ReportProduct, ReportSection } from '../model';
import { daysInMonth, ratio1 } from '../numbers';

/**
 * The inventory section, from the month totals every movement keeps by ADD in its own
 * transaction (lib/inventory/store.ts: issued, net change, time-weighted change, stock-outs,
 * time below minimum) and three bounded index reads. Reads: every level (one item per product ×
 * warehouse), each level's month totals from the month on (one item per month), its warehouse,
 * the lots expiring by 30 days after the month (LOT_EXPIRY), and the stocktakes closed in the
 * month (gsi3 STOCKTAKES_CLOSED) — never a movement or a ledger entry.
 *
 * Arithmetic: a level's month-end on-hand is today's on-hand minus the net change of every later
 * month; its opening is that minus the month's net change; its average on-hand is
 * (opening × seconds in the month + Σ change × seconds left after it) ÷ seconds in the month.
 * Rates per day divide by the calendar days of the month. All exact, one decimal, half up.
 *
 * Figures (id → kind): units-issued, stock-outs, products-with-stock-outs (count),
 * overstock-value (money), expiring-lots (count), expiring-value (money), expired-lots-held
 * (count), stocktakes-closed (count), stocktake-variance-value (money, net: found − missing).
 *
 * Tables (id: columns):
 *   products       sku, name, issued, averageOnHand (decimal), closingOnHand, turnover (decimal:
 *                  issued ÷ average on-hand), daysOfInventory (days: days ÷ turnover),
 *                  averageDailyIssue (decimal), daysOfCover (days: month-end on-hand ÷ average
 *                  daily issue), stockOuts, daysBelowMinimum (days, the warehouses added up),
 *                  overstockUnits, overstockValue (money)
 *                  every product of the catalog, by SKU; null where the denominator is zero
 *   levels         sku, name, warehouse (code), warehouseId, issued, averageDailyIssue,
 *                  closingOnHand, daysOfCover, stockOuts, daysBelowMinimum, safety, minimum,
 *                  maximum, reorderQuantity, leadTimeDays (today's thresholds; null without)
 *                  one row per level with thresholds or any movement in the month, by SKU, warehouse
 *   overstock      sku, name, warehouse, warehouseId, closingOnHand, maximum, excessUnits,
 *                  unitCost (money), value (money; null without a standard cost)
 *                  levels whose month-end on-hand exceeds the maximum; by value (desc), SKU, warehouse
 *   expiring-lots  sku, name, warehouse, warehouseId, lot, expiresOn (date), daysAfterMonthEnd
 *                  (count; ≤ 0: already expired at month end), quantity, value (money)
 *                  lots holding stock that expire by 30 days after the month; by expiry, SKU, warehouse, lot
 *   stocktakes     stocktakeId, warehouse, warehouseId, closedOn (date), linesCounted,
 *                  linesWithVariance, unitsOver, unitsUnder, varianceValue (money, net)
 *                  stocktakes closed in the month; by close time, id
 *   stocktake-variances  sku, name, warehouse, warehouseId, stocktakeId, onHandAtCount, counted,
 *                  variance, varianceValue (money); the lines with a variance, by SKU, warehouse, stocktake
 */
export const EXPIRY_HORIZON_DAYS = 30;
const SECONDS_PER_DAY = 86_400;

type Row = Record<string, CellValue>;

/** One level's month, in integers (on-hand seconds as BigInt: it can pass 2^53). */
interface LevelMonth {
  level: LevelRecord;
  product: ReportProduct;
  warehouse: string;
  active: boolean;
  issued: number;
  closing: number;
  onHandSeconds: bigint;
  stockOuts: number;
  belowSeconds: number;
}

export async function buildInventorySection(input: ReportInput): Promise<ReportSection> {
  const { month, timeZone, currency } = input;
  const start = monthStart(month, timeZone);
  const end = monthStart(nextMonth(month), timeZone);
  const monthSeconds = (end.getTime() - start.getTime()) / 1000;
  const days = daysInMonth(month);
  const lastDay = `${month}-${String(days).padStart(2, '0')}`;
  const products = new Map(input.products.map((product) => [product.id, product]));

  const [levels, lots, stocktakes] = await Promise.all([everyLevel(), lotsExpiringBy(addDays(lastDay, EXPIRY_HORIZON_DAYS)), stocktakesClosedBetween(start.toISOString(), end.toISOString())]);
  const known = levels.filter((level) => products.has(level.productId));
  const warehouseIds = [...new Set([...known.map((level) => level.warehouseId), ...lots.items.map((lot) => lot.warehouseId), ...stocktakes.map((s) => s.warehouseId)])].sort();
  const codes = new Map(await Promise.all(warehouseIds.map(async (id) => [id, (await getWarehouse(id)).code] as const)));
  const codeOf = (id: string) => codes.get(id) ?? id;

  const months = await Promise.all(
    known.map(async (level) => levelMonth(level, products.get(level.productId) as ReportProduct, codeOf(level.warehouseId), await monthTotalsSince(level.productId, level.warehouseId, month), month, monthSeconds)),
  );
  months.sort((a, b) => compare(a.product.sku, b.product.sku) || compare(a.warehouse, b.warehouse) || compare(a.level.warehouseId, b.level.warehouseId));

  const byProduct = new Map<string, LevelMonth[]>();
  for (const m of months) byProduct.set(m.level.productId, [...(byProduct.get(m.level.productId) ?? []), m]);
  const productRows = input.products.map((product) => productRow(product, byProduct.get(product.id) ?? [], monthSeconds, days));
  const levelRows = months.filter((m) => m.active || m.level.thresholds !== null).map((m) => levelRow(m, days));
  const overstockRows = months.flatMap((m) => overstockRow(m)).sort(byValueThenKey);
  const lotRows = lots.items
    .filter((lot) => products.has(lot.productId))
    .map((lot) => lotRow(lot, products.get(lot.productId) as ReportProduct, codeOf(lot.warehouseId), lastDay))
    .sort((a, b) => compare(a.expiresOn, b.expiresOn) || compare(a.sku, b.sku) || compare(a.warehouse, b.warehouse) || compare(a.warehouseId, b.warehouseId) || compare(a.lot, b.lot));
  const closed = [...stocktakes].sort((a, b) => compare(a.closedAt ?? '', b.closedAt ?? '') || compare(a.id, b.id));
  const stocktakeRows = closed.map((stocktake) => stocktakeRow(stocktake, products, codeOf(stocktake.warehouseId), timeZone));
  const varianceRows = closed
    .flatMap((stocktake) => varianceRowsOf(stocktake, products, codeOf(stocktake.warehouseId)))
    .sort((a, b) => compare(a.sku, b.sku) || compare(a.warehouse, b.warehouse) || compare(a.warehouseId, b.warehouseId) || compare(a.stocktakeId, b.stocktakeId));

  const sum = (rows: Row[], key: string) => rows.reduce((total, row) => total + ((row[key] as number | null) ?? 0), 0);
  const expiring = lotRows.filter((row) => (row.daysAfterMonthEnd as number) > 0);
  const figures: KeyFigure[] = [
    { id: 'units-issued', label: 'Units issued', kind: 'count', value: sum(productRows, 'issued') },
    { id: 'stock-outs', label: 'Stock-outs', kind: 'count', value: sum(productRows, 'stockOuts') },
    { id: 'products-with-stock-outs', label: 'Products with stock-outs', kind: 'count', value: productRows.filter((row) => (row.stockOuts as number) > 0).length },
    { id: 'overstock-value', label: 'Overstock value at month end', kind: 'money', value: sum(overstockRows, 'value') },
    { id: 'expiring-lots', label: `Lots expiring within ${EXPIRY_HORIZON_DAYS} days`, kind: 'count', value: expiring.length },
    { id: 'expiring-value', label: `Value expiring within ${EXPIRY_HORIZON_DAYS} days`, kind: 'money', value: sum(expiring, 'value') },
    { id: 'expired-lots-held', label: 'Expired lots still held', kind: 'count', value: lotRows.length - expiring.length },
    { id: 'stocktakes-closed', label: 'Stocktakes closed', kind: 'count', value: stocktakeRows.length },
    { id: 'stocktake-variance-value', label: 'Stocktake variance (net value)', kind: 'money', value: sum(stocktakeRows, 'varianceValue') },
  ];

  const uncosted = input.products.filter((product) => product.standardCost === undefined).length;
  return {
    section: 'inventory',
    month,
    title: 'Inventory',
    currency,
    figures,
    tables: [
      { id: 'products', title: 'Turnover and availability by product', columns: PRODUCT_COLUMNS, rows: productRows, bar: 'daysOfInventory', note: 'Every product, over all its warehouses; days below minimum add up the warehouses.' },
      { id: 'levels', title: 'Stock-outs and time below minimum by warehouse', columns: LEVEL_COLUMNS, rows: levelRows, bar: 'daysBelowMinimum', note: 'Levels with thresholds or movements in the month; thresholds as they stand today.' },
      { id: 'overstock', title: 'Overstock at month end', columns: OVERSTOCK_COLUMNS, rows: overstockRows, bar: 'value', note: 'Month-end on-hand above today’s maximum, at standard cost.' },
      { id: 'expiring-lots', title: `Lots expiring within ${EXPIRY_HORIZON_DAYS} days after month end`, columns: LOT_COLUMNS, rows: lotRows, note: 'Days after month end ≤ 0: already expired at month end and still held.' },
      { id: 'stocktakes', title: 'Stocktakes closed in the month', columns: STOCKTAKE_COLUMNS, rows: stocktakeRows, bar: 'linesWithVariance' },
      { id: 'stocktake-variances', title: 'Stocktake variances', columns: VARIANCE_COLUMNS, rows: varianceRows, note: 'Counted lines whose count differed from the books (+ found, − missing).' },
    ],
    notes: [
      'Month-end on-hand is the on-hand when the report was built minus the net changes recorded since the month ended.',
      'Thresholds (safety, minimum, maximum, reorder quantity, lead time) and lots are as they stand when the report was built, not as they stood at month end.',
      'A stock-out is available stock (on-hand − reserved) falling from above zero to zero; below minimum compares available stock with the minimum, and levels without thresholds are never below it.',
      `Rates per day divide by the ${days} calendar days of the month; average on-hand weighs each quantity by the time it was held.`,
      ...(uncosted ? [`${uncosted} product${uncosted === 1 ? ' has' : 's have'} no standard cost: their stock carries no value.`] : []),
    ],
  };
}

function levelMonth(level: LevelRecord, product: ReportProduct, warehouse: string, totals: MonthTotals[], month: string, monthSeconds: number): LevelMonth {
  const current = totals.find((t) => t.month === month);
  const later = totals.filter((t) => t.month > month).sort((a, b) => compare(a.month, b.month));
  const closing = level.onHand - later.reduce((total, t) => total + t.netDelta, 0);
  const opening = closing - (current?.netDelta ?? 0);
  // The state below minimum changes only with a write of the month's totals: without one this
  // month, it held all month, as the next month's opening (or today's band) says.
  const openingBelow =
    current?.openingBelowMinimum ?? later.find((t) => t.openingBelowMinimum !== undefined)?.openingBelowMinimum ?? (level.band === 'below-minimum' || level.band === 'below-safety');
  return {
    level,
    product,
    warehouse,
    active: current !== undefined,
    issued: current?.issued ?? 0,
    closing,
    onHandSeconds: BigInt(opening) * BigInt(monthSeconds) + BigInt(current?.weightedDelta ?? 0),
    stockOuts: current?.stockOuts ?? 0,
    belowSeconds: (openingBelow ? monthSeconds : 0) + (current?.belowMinimumSeconds ?? 0),
  };
}

function productRow(product: ReportProduct, levels: LevelMonth[], monthSeconds: number, days: number): Row {
  const issued = levels.reduce((total, m) => total + m.issued, 0);
  const closing = levels.reduce((total, m) => total + m.closing, 0);
  const onHandSeconds = levels.reduce((total, m) => total + m.onHandSeconds, 0n);
  const overstock = levels.map(overstockOf).filter((o): o is Overstock => o !== undefined);
  const overstockUnits = overstock.reduce((total, o) => total + o.excess, 0);
  const seconds = BigInt(monthSeconds);
  return {
    sku: product.sku,
    name: product.name,
    issued,
    averageOnHand: exact1(onHandSeconds, seconds),
    closingOnHand: closing,
    turnover: exact1(BigInt(issued) * seconds, onHandSeconds),
    daysOfInventory: issued > 0 && onHandSeconds > 0n ? exact1(BigInt(days) * onHandSeconds, seconds * BigInt(issued)) : null,
    averageDailyIssue: ratio1(issued, days),
    daysOfCover: coverDays(closing, issued, days),
    stockOuts: levels.reduce((total, m) => total + m.stockOuts, 0),
    daysBelowMinimum: ratio1(
      levels.reduce((total, m) => total + m.belowSeconds, 0),
      SECONDS_PER_DAY,
    ),
    overstockUnits,
    overstockValue: product.standardCost === undefined ? null : overstockUnits * product.standardCost,
  };
}

function levelRow(m: LevelMonth, days: number): Row {
  const thresholds: Partial<Thresholds> = m.level.thresholds ?? {};
  return {
    sku: m.product.sku,
    name: m.product.name,
    warehouse: m.warehouse,
    warehouseId: m.level.warehouseId,
    issued: m.issued,
    averageDailyIssue: ratio1(m.issued, days),
    closingOnHand: m.closing,
    daysOfCover: coverDays(m.closing, m.issued, days),
    stockOuts: m.stockOuts,
    daysBelowMinimum: ratio1(m.belowSeconds, SECONDS_PER_DAY),
    safety: thresholds.safety ?? null,
    minimum: thresholds.minimum ?? null,
    maximum: thresholds.maximum ?? null,
    reorderQuantity: thresholds.reorderQuantity ?? null,
    leadTimeDays: thresholds.leadTimeDays ?? null,
  };
}

interface Overstock {
  maximum: number;
  excess: number;
}

function overstockOf(m: LevelMonth): Overstock | undefined {
  const maximum = m.level.thresholds?.maximum;
  return maximum !== undefined && m.closing > maximum ? { maximum, excess: m.closing - maximum } : undefined;
}

function overstockRow(m: LevelMonth): Row[] {
  const overstock = overstockOf(m);
  if (!overstock) return [];
  const cost = m.product.standardCost;
  return [
    {
      sku: m.product.sku,
      name: m.product.name,
      warehouse: m.warehouse,
      warehouseId: m.level.warehouseId,
      closingOnHand: m.closing,
      maximum: overstock.maximum,
      excessUnits: overstock.excess,
      unitCost: cost ?? null,
      value: cost === undefined ? null : overstock.excess * cost,
    },
  ];
}

function lotRow(lot: ExpiringLot, product: ReportProduct, warehouse: string, lastDay: string): Row {
  return {
    sku: product.sku,
    name: product.name,
    warehouse,
    warehouseId: lot.warehouseId,
    lot: lot.number,
    expiresOn: lot.expiresOn,
    daysAfterMonthEnd: Math.round((Date.parse(`${lot.expiresOn}T00:00:00Z`) - Date.parse(`${lastDay}T00:00:00Z`)) / 86_400_000),
    quantity: lot.quantity,
    value: product.standardCost === undefined ? null : lot.quantity * product.standardCost,
  };
}

/** Σ variance × standard cost over the counted lines whose product has one. */
function varianceValueOf(stocktake: StocktakeRecord, products: Map<string, ReportProduct>): number {
  return stocktake.lines.reduce((total, line) => total + (line.variance ?? 0) * (products.get(line.productId)?.standardCost ?? 0), 0);
}

function stocktakeRow(stocktake: StocktakeRecord, products: Map<string, ReportProduct>, warehouse: string, timeZone: string): Row {
  const report = reportOf(stocktake.lines);
  return {
    stocktakeId: stocktake.id,
    warehouse,
    warehouseId: stocktake.warehouseId,
    closedOn: localDate(new Date(stocktake.closedAt as string), timeZone),
    linesCounted: report.linesCounted,
    linesWithVariance: report.linesWithVariance,
    unitsOver: report.unitsOver,
    unitsUnder: report.unitsUnder,
    varianceValue: varianceValueOf(stocktake, products),
  };
}

function varianceRowsOf(stocktake: StocktakeRecord, products: Map<string, ReportProduct>, warehouse: string): Row[] {
  return stocktake.lines.flatMap((line) => {
    if (line.counted === null || !line.variance) return [];
    const product = products.get(line.productId);
    const cost = product?.standardCost;
    return [
      {
        sku: product?.sku ?? line.productId,
        name: product?.name ?? null,
        warehouse,
        warehouseId: stocktake.warehouseId,
        stocktakeId: stocktake.id,
        onHandAtCount: line.onHandAtCount,
        counted: line.counted,
        variance: line.variance,
        varianceValue: cost === undefined ? null : line.variance * cost,
      },
    ];
  });
}

/** Days the month-end stock lasts at the month's average daily issue: closing × days ÷ issued. */
function coverDays(closing: number, issued: number, days: number): number | null {
  return issued > 0 ? exact1(BigInt(closing) * BigInt(days), BigInt(issued)) : null;
}

/** `numerator ÷ denominator` with one decimal, half up, in BigInt (on-hand × seconds passes 2^53). */
function exact1(numerator: bigint, denominator: bigint): number | null {
  return denominator > 0n ? Number(divideRoundHalfUp(numerator * 10n, denominator)) / 10 : null;
}

function compare(a: CellValue | undefined, b: CellValue | undefined): number {
  const x = String(a ?? '');
  const y = String(b ?? '');
  return x < y ? -1 : x > y ? 1 : 0;
}

function byValueThenKey(a: Row, b: Row): number {
  const x = a.value as number | null;
  const y = b.value as number | null;
  if (x !== y) {
    if (x === null) return 1;
    if (y === null) return -1;
    return y - x;
  }
  return compare(a.sku, b.sku) || compare(a.warehouse, b.warehouse) || compare(a.warehouseId, b.warehouseId);
}

const sku: Column = { key: 'sku', label: 'SKU', kind: 'text' };
const name: Column = { key: 'name', label: 'Product', kind: 'text' };
const warehouse: Column = { key: 'warehouse', label: 'Warehouse', kind: 'text' };
const warehouseId: Column = { key: 'warehouseId', label: 'Warehouse id', kind: 'text' };

const PRODUCT_COLUMNS: Column[] = [
  sku,
  name,
  { key: 'issued', label: 'Issued', kind: 'count' },
  { key: 'averageOnHand', label: 'Average on hand', kind: 'decimal' },
  { key: 'closingOnHand', label: 'On hand at month end', kind: 'count' },
  { key: 'turnover', label: 'Turnover', kind: 'decimal' },
  { key: 'daysOfInventory', label: 'Days of inventory', kind: 'days' },
  { key: 'averageDailyIssue', label: 'Issued per day', kind: 'decimal' },
  { key: 'daysOfCover', label: 'Days of cover', kind: 'days' },
  { key: 'stockOuts', label: 'Stock-outs', kind: 'count' },
  { key: 'daysBelowMinimum', label: 'Days below minimum', kind: 'days' },
  { key: 'overstockUnits', label: 'Overstock units', kind: 'count' },
  { key: 'overstockValue', label: 'Overstock value', kind: 'money' },
];

const LEVEL_COLUMNS: Column[] = [
  sku,
  name,
  warehouse,
  warehouseId,
  { key: 'issued', label: 'Issued', kind: 'count' },
  { key: 'averageDailyIssue', label: 'Issued per day', kind: 'decimal' },
  { key: 'closingOnHand', label: 'On hand at month end', kind: 'count' },
  { key: 'daysOfCover', label: 'Days of cover', kind: 'days' },
  { key: 'stockOuts', label: 'Stock-outs', kind: 'count' },
  { key: 'daysBelowMinimum', label: 'Days below minimum', kind: 'days' },
  { key: 'safety', label: 'Safety', kind: 'count' },
  { key: 'minimum', label: 'Minimum', kind: 'count' },
  { key: 'maximum', label: 'Maximum', kind: 'count' },
  { key: 'reorderQuantity', label: 'Reorder quantity', kind: 'count' },
  { key: 'leadTimeDays', label: 'Lead time (days)', kind: 'count' },
];

const OVERSTOCK_COLUMNS: Column[] = [
  sku,
  name,
  warehouse,
  warehouseId,
  { key: 'closingOnHand', label: 'On hand at month end', kind: 'count' },
  { key: 'maximum', label: 'Maximum', kind: 'count' },
  { key: 'excessUnits', label: 'Above maximum', kind: 'count' },
  { key: 'unitCost', label: 'Standard cost', kind: 'money' },
  { key: 'value', label: 'Value', kind: 'money' },
];

const LOT_COLUMNS: Column[] = [
  sku,
  name,
  warehouse,
  warehouseId,
  { key: 'lot', label: 'Lot', kind: 'text' },
  { key: 'expiresOn', label: 'Expires on', kind: 'date' },
  { key: 'daysAfterMonthEnd', label: 'Days after month end', kind: 'count' },
  { key: 'quantity', label: 'Quantity', kind: 'count' },
  { key: 'value', label: 'Value', kind: 'money' },
];

const STOCKTAKE_COLUMNS: Column[] = [
  { key: 'stocktakeId', label: 'Stocktake', kind: 'text' },
  warehouse,
  warehouseId,
  { key: 'closedOn', label: 'Closed on', kind: 'date' },
  { key: 'linesCounted', label: 'Lines counted', kind: 'count' },
  { key: 'linesWithVariance', label: 'Lines with variance', kind: 'count' },
  { key: 'unitsOver', label: 'Units found', kind: 'count' },
  { key: 'unitsUnder', label: 'Units missing', kind: 'count' },
  { key: 'varianceValue', label: 'Variance value (net)', kind: 'money' },
];

const VARIANCE_COLUMNS: Column[] = [
  sku,
  name,
  warehouse,
  warehouseId,
  { key: 'stocktakeId', label: 'Stocktake', kind: 'text' },
  { key: 'onHandAtCount', label: 'Books at count', kind: 'count' },
  { key: 'counted', label: 'Counted', kind: 'count' },
  { key: 'variance', label: 'Variance', kind: 'count' },
  { key: 'varianceValue', label: 'Variance value', kind: 'money' },
];
