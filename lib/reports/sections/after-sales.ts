import { salesOfMonth } from '../../sales/aggregates';
import { addComplaintFigures, complaintFiguresOfMonth, NO_PRODUCT, ZERO_COMPLAINT_FIGURES, type ComplaintFigures } from '../../service/requests/analysis';
import type { CellValue, Column, KeyFigure, ReportInput, ReportProduct, ReportSection, ReportTable } from '../model';
import { percent1, perThousand1, ratio1, shiftMonth } from '../numbers';
import { divideRoundHalfUp } from '../../platform/exact';

/**
 * The after-sales section: complaints of the month from the complaint figures (kept by ADD in
 * each complaint transition, lib/service/requests/analysis.ts) and units sold from the sales
 * product figures. Reads: four complaint groupings of the month, the product grouping of the
 * previous month, the product sales of both months — 7 queries over ids, never a complaint.
 *
 * Figures (id → kind, compared with the previous month): received, resolved, reopened (count),
 * first-response-sla, resolution-sla (percent), first-response-hours, resolution-hours,
 * satisfaction (decimal), compensation, refunds (money).
 *
 * Tables (id: columns):
 *   by-product       sku, name, <metrics>      one row per product with any figure (sku null: no product named)
 *   by-category      category, <metrics>
 *   by-root-cause    rootCause, <metrics>      `undetermined` before the investigation
 *   by-department    department, <metrics>     `unassigned` before the assignment
 *     <metrics> = received, resolved, reopened, firstResponseSla, resolutionSla (percent),
 *                 firstResponseHours, resolutionHours, satisfaction (decimal), compensation, refunds (money)
 *     rows by received (desc), then the key
 *   sla              measure (`first-response` | `resolution`), met, breached, compliance (percent), averageHours (decimal)
 *   complaint-rate-rise   sku, name, complaints, unitsSold, rate, previousComplaints, previousUnitsSold,
 *                         previousRate, rise (decimal: complaints per 1,000 units, and its change)
 *                         the 5 largest rises (exact, ties by SKU), rises above zero only
 */
export const AFTER_SALES_RISE_ROWS = 5;

const METRIC_COLUMNS: Column[] = [
  { key: 'received', label: 'Received', kind: 'count' },
  { key: 'resolved', label: 'Resolved', kind: 'count' },
  { key: 'reopened', label: 'Reopened', kind: 'count' },
  { key: 'firstResponseSla', label: 'First response in SLA', kind: 'percent' },
  { key: 'resolutionSla', label: 'Resolution in SLA', kind: 'percent' },
  { key: 'firstResponseHours', label: 'First response (h, avg.)', kind: 'decimal' },
  { key: 'resolutionHours', label: 'Resolution (h, avg.)', kind: 'decimal' },
  { key: 'satisfaction', label: 'Satisfaction (1–5, avg.)', kind: 'decimal' },
  { key: 'compensation', label: 'Compensation', kind: 'money' },
  { key: 'refunds', label: 'Refunds', kind: 'money' },
];

type Row = Record<string, CellValue>;
type Grouped = Array<{ id: string; figures: ComplaintFigures }>;

export async function buildAfterSalesSection(input: ReportInput): Promise<ReportSection> {
  const { month } = input;
  const previous = shiftMonth(month, 1);
  const [byProduct, byCategory, byRootCause, byDepartment, previousByProduct, sales, previousSales] = await Promise.all([
    complaintFiguresOfMonth('product', month),
    complaintFiguresOfMonth('category', month),
    complaintFiguresOfMonth('rootCause', month),
    complaintFiguresOfMonth('department', month),
    complaintFiguresOfMonth('product', previous),
    salesOfMonth('product', month),
    salesOfMonth('product', previous),
  ]);
  // Every figure is booked under each grouping, so one grouping's rows add up to the month.
  const total = sumOf(byProduct);
  const previousTotal = sumOf(previousByProduct);
  const products = new Map(input.products.map((product) => [product.id, product]));

  return {
    section: 'after-sales',
    month,
    title: 'After-sales service',
    currency: input.currency,
    figures: keyFigures(total, previousTotal),
    tables: [
      {
        id: 'by-product',
        title: 'Complaints by product',
        columns: [{ key: 'sku', label: 'SKU', kind: 'text' }, { key: 'name', label: 'Product', kind: 'text' }, ...METRIC_COLUMNS],
        rows: active(byProduct)
          .map(({ id, figures }): Row => {
            const product = products.get(id);
            return { sku: id === NO_PRODUCT ? null : (product?.sku ?? id), name: id === NO_PRODUCT ? 'No product named' : (product?.name ?? null), ...metrics(figures) };
          })
          .sort((a, b) => Number(b.received) - Number(a.received) || compareNullLast(a.sku, b.sku)),
        bar: 'received',
      },
      groupTable('by-category', 'Complaints by category', 'category', 'Category', byCategory),
      groupTable('by-root-cause', 'Complaints by root cause', 'rootCause', 'Root cause', byRootCause),
      groupTable('by-department', 'Complaints by responsible department', 'department', 'Department', byDepartment),
      slaTable(total),
      riseTable(byProduct, previousByProduct, sales, previousSales, products),
    ],
    notes: [
      'A complaint counts as received in its month of receipt, under the root cause and department it has now; resolutions, SLA results, times, satisfaction, compensation and refunds count in the month they happened.',
      'SLA compliance is met ÷ (met + breached) over the first responses and resolutions made in the month; complaints still waiting are not in it.',
      'Average times are in hours: from receipt to the first response, and from the start of the resolution clock (receipt, or the last reopening) to the resolution.',
      'Consultations and repairs are not counted here: only complaints.',
    ],
  };
}

function sumOf(rows: Grouped): ComplaintFigures {
  return rows.reduce((sum, row) => addComplaintFigures(sum, row.figures), { ...ZERO_COMPLAINT_FIGURES });
}

function active(rows: Grouped): Grouped {
  return rows.filter((row) => Object.values(row.figures).some((value) => value !== 0));
}

function metrics(figures: ComplaintFigures): Row {
  return {
    received: figures.received,
    resolved: figures.resolved,
    reopened: figures.reopened,
    firstResponseSla: percent1(figures.firstResponseMet, figures.firstResponseMet + figures.firstResponseBreached),
    resolutionSla: percent1(figures.resolutionMet, figures.resolutionMet + figures.resolutionBreached),
    firstResponseHours: ratio1(figures.firstResponseMinutes, figures.firstResponseCount * 60),
    resolutionHours: ratio1(figures.resolutionMinutes, figures.resolutionCount * 60),
    satisfaction: ratio1(figures.satisfactionSum, figures.satisfactionCount),
    compensation: figures.compensation,
    refunds: figures.refunds,
  };
}

function keyFigures(total: ComplaintFigures, previousTotal: ComplaintFigures): KeyFigure[] {
  const now = metrics(total);
  const before = metrics(previousTotal);
  const figure = (id: string, key: string, label: string, kind: KeyFigure['kind']): KeyFigure => ({
    id,
    label,
    kind,
    value: now[key] ?? null,
    compareWith: 'previous month',
    compareValue: before[key] ?? null,
  });
  return [
    figure('received', 'received', 'Complaints received', 'count'),
    figure('resolved', 'resolved', 'Complaints resolved', 'count'),
    figure('reopened', 'reopened', 'Complaints reopened', 'count'),
    figure('first-response-sla', 'firstResponseSla', 'First response within SLA', 'percent'),
    figure('resolution-sla', 'resolutionSla', 'Resolution within SLA', 'percent'),
    figure('first-response-hours', 'firstResponseHours', 'Average first response (hours)', 'decimal'),
    figure('resolution-hours', 'resolutionHours', 'Average resolution (hours)', 'decimal'),
    figure('satisfaction', 'satisfaction', 'Average satisfaction (1–5)', 'decimal'),
    figure('compensation', 'compensation', 'Compensation paid', 'money'),
    figure('refunds', 'refunds', 'Refunds', 'money'),
  ];
}

function groupTable(id: string, title: string, key: string, label: string, rows: Grouped): ReportTable {
  return {
    id,
    title,
    columns: [{ key, label, kind: 'text' }, ...METRIC_COLUMNS],
    rows: active(rows)
      .sort((a, b) => b.figures.received - a.figures.received || compareText(a.id, b.id))
      .map((row) => ({ [key]: row.id, ...metrics(row.figures) })),
    bar: 'received',
  };
}

function slaTable(total: ComplaintFigures): ReportTable {
  return {
    id: 'sla',
    title: 'SLA compliance',
    columns: [
      { key: 'measure', label: 'Deadline', kind: 'text' },
      { key: 'met', label: 'Met', kind: 'count' },
      { key: 'breached', label: 'Breached', kind: 'count' },
      { key: 'compliance', label: 'Compliance', kind: 'percent' },
      { key: 'averageHours', label: 'Average (h)', kind: 'decimal' },
    ],
    rows: [
      {
        measure: 'first-response',
        met: total.firstResponseMet,
        breached: total.firstResponseBreached,
        compliance: percent1(total.firstResponseMet, total.firstResponseMet + total.firstResponseBreached),
        averageHours: ratio1(total.firstResponseMinutes, total.firstResponseCount * 60),
      },
      {
        measure: 'resolution',
        met: total.resolutionMet,
        breached: total.resolutionBreached,
        compliance: percent1(total.resolutionMet, total.resolutionMet + total.resolutionBreached),
        averageHours: ratio1(total.resolutionMinutes, total.resolutionCount * 60),
      },
    ],
    bar: 'compliance',
  };
}

interface Rise {
  product: ReportProduct | undefined;
  id: string;
  complaints: number;
  units: number;
  previousComplaints: number;
  previousUnits: number;
  /** rate − previous rate = numerator ÷ denominator complaints per unit (× 1,000 when shown). */
  numerator: bigint;
  denominator: bigint;
}

/**
 * Complaints received per 1,000 units sold, this month against the previous one. A rate needs
 * units sold (> 0, net of returns) in its month; the rise is ranked exactly (cross-multiplied),
 * not on the rounded rates.
 */
function riseTable(
  byProduct: Grouped,
  previousByProduct: Grouped,
  sales: Awaited<ReturnType<typeof salesOfMonth>>,
  previousSales: Awaited<ReturnType<typeof salesOfMonth>>,
  products: Map<string, ReportProduct>,
): ReportTable {
  const units = new Map(sales.map((row) => [row.id, row.figures.quantity]));
  const previousUnits = new Map(previousSales.map((row) => [row.id, row.figures.quantity]));
  const previousComplaints = new Map(previousByProduct.map((row) => [row.id, row.figures.received]));
  const rises: Rise[] = [];
  for (const { id, figures } of byProduct) {
    if (id === NO_PRODUCT) continue;
    const u1 = units.get(id) ?? 0;
    const u0 = previousUnits.get(id) ?? 0;
    if (u1 <= 0 || u0 <= 0) continue;
    const c1 = figures.received;
    const c0 = previousComplaints.get(id) ?? 0;
    const numerator = BigInt(c1) * BigInt(u0) - BigInt(c0) * BigInt(u1);
    if (numerator <= 0n) continue;
    rises.push({ product: products.get(id), id, complaints: c1, units: u1, previousComplaints: c0, previousUnits: u0, numerator, denominator: BigInt(u1) * BigInt(u0) });
  }
  const skuOf = (rise: Rise) => rise.product?.sku ?? rise.id;
  rises.sort((a, b) => {
    const difference = b.numerator * a.denominator - a.numerator * b.denominator;
    return difference > 0n ? 1 : difference < 0n ? -1 : compareText(skuOf(a), skuOf(b)) || compareText(a.id, b.id);
  });
  return {
    id: 'complaint-rate-rise',
    title: 'Largest rises in complaints per 1,000 units sold',
    columns: [
      { key: 'sku', label: 'SKU', kind: 'text' },
      { key: 'name', label: 'Product', kind: 'text' },
      { key: 'complaints', label: 'Complaints', kind: 'count' },
      { key: 'unitsSold', label: 'Units sold', kind: 'count' },
      { key: 'rate', label: 'Per 1,000 units', kind: 'decimal' },
      { key: 'previousComplaints', label: 'Complaints, previous month', kind: 'count' },
      { key: 'previousUnitsSold', label: 'Units sold, previous month', kind: 'count' },
      { key: 'previousRate', label: 'Per 1,000 units, previous month', kind: 'decimal' },
      { key: 'rise', label: 'Rise', kind: 'decimal' },
    ],
    rows: rises.slice(0, AFTER_SALES_RISE_ROWS).map((rise) => ({
      sku: skuOf(rise),
      name: rise.product?.name ?? null,
      complaints: rise.complaints,
      unitsSold: rise.units,
      rate: perThousand1(rise.complaints, rise.units),
      previousComplaints: rise.previousComplaints,
      previousUnitsSold: rise.previousUnits,
      previousRate: perThousand1(rise.previousComplaints, rise.previousUnits),
      rise: Number(divideRoundHalfUp(rise.numerator * 10_000n, rise.denominator)) / 10,
    })),
    bar: 'rise',
    note: `Complaints received per 1,000 units sold (shipped, net of returns) in the same month; products without units sold in either month have no rate and are not ranked. The ${AFTER_SALES_RISE_ROWS} largest rises above zero.`,
  };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareNullLast(a: CellValue | undefined, b: CellValue | undefined): number {
  if (a === null || a === undefined) return b === null || b === undefined ? 0 : 1;
  if (b === null || b === undefined) return -1;
  return compareText(String(a), String(b));
}
