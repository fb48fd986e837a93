import { getCustomer } from '../../customers/service';
import { getAgreement, getChannel, getPartner, listPartners, partnerPerformance } from '../../partners/service';
import { rebateAmount, reachedTier } from '../../partners/terms';
import type { Actor } from '../../platform/auth';
import type { ServiceContext } from '../../platform/context';
import { NotFoundError } from '../../platform/errors';
import { newId } from '../../platform/ids';
import { monthStart, nextMonth } from '../../platform/time';
import { salesOfMonth, salesTotal, topCustomersOfMonth, ZERO_FIGURES, type SalesDimension, type SalesFigures } from '../../sales/aggregates';
import { TOTAL_ID } from '../../sales/dimensions';
import { productDemandForecast } from '../../sales/forecast-service';
import { periodMonths } from '../../sales/period';
import { getRep, listTargets, regionScorecard, repScorecard } from '../../sales-team/service';
import { quarterOf } from '../../sales-team/targets';
import type { Scorecard } from '../../sales-team/schema';
import type { CellValue, Column, KeyFigure, ReportInput, ReportSection, ReportTable } from '../model';
import { changePercent1, percent1, shiftMonth } from '../numbers';

/**
 * The sales section: the month's figures against the same month last year, by product,
 * channel, partner, rep and region; reps and regions against their targets; the top customers;
 * partners' target attainment and rebates; the demand forecast of the next three months.
 * Everything is read from the sales aggregates (`SALES#<dimension>#<month>`, the customer
 * months ranked on gsi4), targets, agreements and names: products, channels, partners, reps,
 * regions and 10 customers — never an order.
 *
 * Key figures (ids): revenue, gross-profit, gross-margin, quantity, orders, new-customers,
 * repeat-customers — each compared with the same month last year.
 *
 * Tables (id: column keys), money in minor units of the company currency:
 *   products          sku, name, category, + FIGURES
 *   channels          channelId, name, + FIGURES
 *   partners          partnerId, name, + FIGURES
 *   reps              repId, name, + FIGURES + TARGETS
 *   regions           region, + FIGURES + TARGETS
 *     FIGURES = revenue, revenueLastYear, revenueChangePercent, grossProfit, grossProfitLastYear,
 *               grossMarginPercent, quantity, quantityLastYear, orders, ordersLastYear
 *     TARGETS = targetBasis, revenueTarget, revenueAttainmentPercent, grossProfitTarget,
 *               grossProfitAttainmentPercent, newCustomers, newCustomersTarget,
 *               newCustomersAttainmentPercent
 *   top-customers     rank, customerId, name, revenue, revenueSharePercent, grossProfit, quantity, orders
 *   partner-targets   partnerId, name, period, revenue, target, attainmentPercent,
 *                     rebatePercent, rebate, rebateStatus ('final' | 'to date')
 *                     (the month, its quarter, its year; revenue counted up to the month)
 *   forecast          sku, name, method, month1, month2, month3, total (units, one decimal)
 *
 * Rows are sorted by revenue (highest first), then by the row's key; forecast rows by SKU.
 */

export const TOP_CUSTOMERS = 10;
const FORECAST_MONTHS = 3;
const PARALLEL = 8;
const SAME_MONTH_LAST_YEAR = 'same month last year';

/** Reads partners with their contacts hidden: the report names them, nothing more. */
const reportReader: Actor = { userId: 'monthly-analysis', email: undefined, roles: ['market'] };

type Row = Record<string, CellValue>;
type FiguresById = Map<string, SalesFigures>;

export async function buildSalesSection(input: ReportInput): Promise<ReportSection> {
  const { month } = input;
  const lastYear = shiftMonth(month, 12);
  // Services that ask "is the period closed?" see the instant the month ended, however late
  // (or early, in a re-run) the job runs: the same data gives the same bytes.
  const context: ServiceContext = { clock: { now: () => monthStart(nextMonth(month), input.timeZone) }, newId };

  const dimensions: SalesDimension[] = ['product', 'channel', 'partner', 'rep', 'region', 'total'];
  const [current, previous] = await Promise.all([figuresOf(dimensions, month), figuresOf(dimensions, lastYear)]);
  const targetSubjects = await subjectsWithTargets(month);

  const total = current.get('total')?.get(TOTAL_ID) ?? { ...ZERO_FIGURES };
  const totalLastYear = previous.get('total')?.get(TOTAL_ID) ?? { ...ZERO_FIGURES };

  const ids = (dimension: SalesDimension, extra: Iterable<string> = []) => activeIds(current.get(dimension), previous.get(dimension), extra);
  const figureCells = (dimension: SalesDimension, id: string) => figureRow(current.get(dimension)?.get(id), previous.get(dimension)?.get(id));

  const productsById = new Map(input.products.map((product) => [product.id, product]));
  const productRows = ids('product').map((id) => {
    const product = productsById.get(id);
    return { sku: product?.sku ?? id, name: product?.name ?? 'not in the catalog', category: product?.category ?? null, ...figureCells('product', id) };
  });

  const channelIds = ids('channel');
  const partnerIds = ids('partner');
  const repIds = ids('rep', targetSubjects.rep);
  const regionIds = ids('region', targetSubjects.region);
  const [channelNames, partnerNames, repNames, repCards, regionCards, topCustomers, partnerTargets, forecast] = await Promise.all([
    namesOf(channelIds, async (id) => (await getChannel(id)).name),
    namesOf(partnerIds, async (id) => (await getPartner(id)).name),
    namesOf(repIds, async (id) => (await getRep(id)).name),
    mapLimit(repIds, (id) => repScorecard(context, id, month).catch(missingAs(undefined))),
    mapLimit(regionIds, (id) => regionScorecard(context, id, month)),
    topCustomerRows(month, total.revenue),
    partnerTargetRows(context, month),
    forecastRows(context, input),
  ]);

  const channelRows = channelIds.map((id) => ({ channelId: id, name: channelNames.get(id) ?? id, ...figureCells('channel', id) }));
  const partnerRows = partnerIds.map((id) => ({ partnerId: id, name: partnerNames.get(id) ?? id, ...figureCells('partner', id) }));
  const repRows = repIds.map((id, index) => ({ repId: id, name: repNames.get(id) ?? id, ...figureCells('rep', id), ...targetCells(repCards[index], current.get('rep')?.get(id)) }));
  const regionRows = regionIds.map((id, index) => ({ region: id, ...figureCells('region', id), ...targetCells(regionCards[index], current.get('region')?.get(id)) }));

  const figures: KeyFigure[] = [
    compared('revenue', 'Revenue', 'money', total.revenue, totalLastYear.revenue),
    compared('gross-profit', 'Gross profit', 'money', total.grossProfit, totalLastYear.grossProfit),
    compared('gross-margin', 'Gross margin', 'percent', percent1(total.grossProfit, total.revenue), percent1(totalLastYear.grossProfit, totalLastYear.revenue)),
    compared('quantity', 'Units', 'count', total.quantity, totalLastYear.quantity),
    compared('orders', 'Orders', 'count', total.orders, totalLastYear.orders),
    compared('new-customers', 'New customers', 'count', total.newCustomers, totalLastYear.newCustomers),
    compared('repeat-customers', 'Repeat customers', 'count', total.repeatCustomers, totalLastYear.repeatCustomers),
  ];

  const forecastLabels = Array.from({ length: FORECAST_MONTHS }, (_, step) => shiftMonth(month, -(step + 1)));
  const tables: ReportTable[] = [
    table('products', 'By product', [col('sku', 'SKU', 'text'), col('name', 'Product', 'text'), col('category', 'Category', 'text'), ...FIGURE_COLUMNS], byRevenue(productRows, 'sku'), {
      bar: 'revenue',
      note: 'Products with sales or returns in the month or in the same month last year.',
    }),
    table('channels', 'By channel', [col('channelId', 'Channel id', 'text'), col('name', 'Channel', 'text'), ...FIGURE_COLUMNS], byRevenue(channelRows, 'channelId'), { bar: 'revenue' }),
    table('partners', 'By partner', [col('partnerId', 'Partner id', 'text'), col('name', 'Partner', 'text'), ...FIGURE_COLUMNS], byRevenue(partnerRows, 'partnerId'), {
      bar: 'revenue',
      note: 'Orders placed through a partner or a partner’s channel.',
    }),
    table('reps', 'By sales rep, against target', [col('repId', 'Rep id', 'text'), col('name', 'Rep', 'text'), ...FIGURE_COLUMNS, ...TARGET_COLUMNS], byRevenue(repRows, 'repId'), {
      bar: 'revenue',
      note: 'A month’s target is its own, else a third of its quarter’s (the remainder on the last months).',
    }),
    table('regions', 'By region, against target', [col('region', 'Region', 'text'), ...FIGURE_COLUMNS, ...TARGET_COLUMNS], byRevenue(regionRows, 'region'), {
      bar: 'revenue',
      note: 'A region’s own targets, not the sum of its reps’.',
    }),
    table(
      'top-customers',
      `Top ${TOP_CUSTOMERS} customers`,
      [
        col('rank', 'Rank', 'count'),
        col('customerId', 'Customer id', 'text'),
        col('name', 'Customer', 'text'),
        col('revenue', 'Revenue', 'money'),
        col('revenueSharePercent', 'Share of revenue', 'percent'),
        col('grossProfit', 'Gross profit', 'money'),
        col('quantity', 'Units', 'count'),
        col('orders', 'Orders', 'count'),
      ],
      topCustomers,
      { bar: 'revenue', note: 'Revenue net of the month’s returns; equal revenue ranks by customer id.' },
    ),
    table(
      'partner-targets',
      'Partners against their agreement targets',
      [
        col('partnerId', 'Partner id', 'text'),
        col('name', 'Partner', 'text'),
        col('period', 'Period', 'text'),
        col('revenue', 'Revenue', 'money'),
        col('target', 'Target', 'money'),
        col('attainmentPercent', 'Attainment', 'percent'),
        col('rebatePercent', 'Rebate tier', 'percent'),
        col('rebate', 'Rebate', 'money'),
        col('rebateStatus', 'Rebate status', 'text'),
      ],
      partnerTargets,
      { bar: 'attainmentPercent', note: 'The month, its quarter and its year, where the partner’s agreement sets a target for exactly that period.' },
    ),
    table(
      'forecast',
      `Demand forecast, ${forecastLabels[0]} to ${forecastLabels.at(-1)}`,
      [
        col('sku', 'SKU', 'text'),
        col('name', 'Product', 'text'),
        col('method', 'Method', 'text'),
        ...forecastLabels.map((label, step) => col(`month${step + 1}`, `Units ${label}`, 'decimal')),
        col('total', 'Units, 3 months', 'decimal'),
      ],
      forecast,
      { note: `Forecast from units shipped net of returns in each complete month up to ${month}.` },
    ),
  ];

  return {
    section: 'sales',
    month,
    title: 'Sales',
    currency: input.currency,
    figures,
    tables,
    notes: [
      `Sales count when goods ship, in the month of the shipment in ${input.timeZone}; a return takes its units and money out of the month it comes back.`,
      'Revenue is net of line discounts; gross profit is revenue less the standard cost when the order was confirmed (nothing for products without a standard cost).',
      'New customers bought for the first time in the month; repeat customers had bought in an earlier month.',
      'Satisfaction targets are not compared here: the sales figures do not measure satisfaction.',
      'A rebate of a period that ends after this month is shown to date, at the tier reached so far; the amount owed is fixed when the period closes.',
    ],
  };
}

// ---- figures ----------------------------------------------------------------------------------

const FIGURE_COLUMNS: Column[] = [
  col('revenue', 'Revenue', 'money'),
  col('revenueLastYear', 'Revenue last year', 'money'),
  col('revenueChangePercent', 'Revenue change', 'percent'),
  col('grossProfit', 'Gross profit', 'money'),
  col('grossProfitLastYear', 'Gross profit last year', 'money'),
  col('grossMarginPercent', 'Gross margin', 'percent'),
  col('quantity', 'Units', 'count'),
  col('quantityLastYear', 'Units last year', 'count'),
  col('orders', 'Orders', 'count'),
  col('ordersLastYear', 'Orders last year', 'count'),
];

const TARGET_COLUMNS: Column[] = [
  col('targetBasis', 'Target basis', 'text'),
  col('revenueTarget', 'Revenue target', 'money'),
  col('revenueAttainmentPercent', 'Revenue attainment', 'percent'),
  col('grossProfitTarget', 'Gross profit target', 'money'),
  col('grossProfitAttainmentPercent', 'Gross profit attainment', 'percent'),
  col('newCustomers', 'New customers', 'count'),
  col('newCustomersTarget', 'New customers target', 'count'),
  col('newCustomersAttainmentPercent', 'New customers attainment', 'percent'),
];

async function figuresOf(dimensions: SalesDimension[], month: string): Promise<Map<SalesDimension, FiguresById>> {
  const rows = await Promise.all(dimensions.map((dimension) => salesOfMonth(dimension, month)));
  return new Map(dimensions.map((dimension, index) => [dimension, new Map((rows[index] ?? []).map((row) => [row.id, row.figures]))]));
}

function isActive(figures: SalesFigures | undefined): boolean {
  return figures !== undefined && (figures.revenue !== 0 || figures.cost !== 0 || figures.quantity !== 0 || figures.orders !== 0);
}

/** Ids with any figure this month or the same month last year, plus `extra` (those with a target). */
function activeIds(current: FiguresById | undefined, previous: FiguresById | undefined, extra: Iterable<string>): string[] {
  const ids = new Set(extra);
  for (const figures of [current, previous]) for (const [id, values] of figures ?? []) if (isActive(values)) ids.add(id);
  return [...ids].sort(byText);
}

function figureRow(current: SalesFigures | undefined, previous: SalesFigures | undefined): Row {
  const now = current ?? ZERO_FIGURES;
  const before = previous ?? ZERO_FIGURES;
  return {
    revenue: now.revenue,
    revenueLastYear: before.revenue,
    revenueChangePercent: changePercent1(now.revenue, before.revenue),
    grossProfit: now.grossProfit,
    grossProfitLastYear: before.grossProfit,
    grossMarginPercent: percent1(now.grossProfit, now.revenue),
    quantity: now.quantity,
    quantityLastYear: before.quantity,
    orders: now.orders,
    ordersLastYear: before.orders,
  };
}

function targetCells(card: Scorecard | undefined, figures: SalesFigures | undefined): Row {
  const actual = figures ?? ZERO_FIGURES;
  const revenueTarget = card?.measures.revenue.target?.amount ?? null;
  const grossProfitTarget = card?.measures.grossProfit.target?.amount ?? null;
  const newCustomersTarget = card?.measures.newCustomers.target ?? null;
  return {
    targetBasis: card?.target.basis ?? 'none',
    revenueTarget,
    revenueAttainmentPercent: revenueTarget === null ? null : percent1(actual.revenue, revenueTarget),
    grossProfitTarget,
    grossProfitAttainmentPercent: grossProfitTarget === null ? null : percent1(actual.grossProfit, grossProfitTarget),
    newCustomers: actual.newCustomers,
    newCustomersTarget,
    newCustomersAttainmentPercent: newCustomersTarget === null ? null : percent1(actual.newCustomers, newCustomersTarget),
  };
}

/** Reps and regions with a target stored for the month or its quarter (a year target is the sum of those). */
async function subjectsWithTargets(month: string): Promise<{ rep: Set<string>; region: Set<string> }> {
  const subjects = { rep: new Set<string>(), region: new Set<string>() };
  for (const period of [month, quarterOf(month)]) {
    let cursor: string | undefined;
    do {
      const page = await listTargets({ period, limit: 100, cursor });
      for (const target of page.items) subjects[target.scope].add(target.subjectId);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }
  return subjects;
}

// ---- top customers ----------------------------------------------------------------------------

async function topCustomerRows(month: string, totalRevenue: number): Promise<Row[]> {
  const top = (await topCustomersOfMonth(month, TOP_CUSTOMERS)).filter((customer) => customer.revenue > 0);
  const names = await namesOf(
    top.map((customer) => customer.customerId),
    async (id) => (await getCustomer(id)).name,
  );
  return top.map((customer, index) => ({
    rank: index + 1,
    customerId: customer.customerId,
    name: names.get(customer.customerId) ?? customer.customerId,
    revenue: customer.revenue,
    revenueSharePercent: percent1(customer.revenue, totalRevenue),
    grossProfit: customer.grossProfit,
    quantity: customer.quantity,
    orders: customer.orders,
  }));
}

// ---- partners ---------------------------------------------------------------------------------

async function allPartners(): Promise<Array<{ id: string; name: string }>> {
  const partners: Array<{ id: string; name: string }> = [];
  let cursor: string | undefined;
  do {
    const page = await listPartners(reportReader, { limit: 100, cursor });
    partners.push(...page.items.map((partner) => ({ id: partner.id, name: partner.name })));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return partners.sort((a, b) => byText(a.id, b.id));
}

async function partnerTargetRows(context: ServiceContext, month: string): Promise<Row[]> {
  const periods = [month, quarterOf(month), month.slice(0, 4)];
  const partners = await allPartners();
  const rows = await mapLimit(partners, async (partner) => {
    const found: Row[] = [];
    for (const period of periods) {
      // The partner module picks the agreement and its target for the period; the revenue is
      // counted up to this month only, so a re-run after later sales gives the same report.
      const performance = await partnerPerformance(context, partner.id, period);
      if (!performance.target || !performance.agreementId) continue;
      const months = periodMonths(period).filter((candidate) => candidate <= month);
      const [agreement, figures] = await Promise.all([getAgreement(partner.id, performance.agreementId), salesTotal('partner', partner.id, months)]);
      const target = performance.target.amount;
      const tier = reachedTier(agreement.rebateTiers, figures.revenue, target);
      found.push({
        partnerId: partner.id,
        name: partner.name,
        period,
        revenue: figures.revenue,
        target,
        attainmentPercent: percent1(figures.revenue, target),
        rebatePercent: tier?.rebatePercent ?? null,
        rebate: rebateAmount(figures.revenue, tier),
        rebateStatus: months.length === periodMonths(period).length ? 'final' : 'to date',
      });
    }
    return found;
  });
  return rows.flat().sort((a, b) => byText(String(a.partnerId), String(b.partnerId)) || periods.indexOf(String(a.period)) - periods.indexOf(String(b.period)));
}

// ---- forecast ---------------------------------------------------------------------------------

async function forecastRows(context: ServiceContext, input: ReportInput): Promise<Row[]> {
  return mapLimit(input.products, async (product) => {
    const view = await productDemandForecast(context, product.id, FORECAST_MONTHS);
    const units = view.forecast.map((point) => oneDecimal(point.quantity));
    const row: Row = { sku: product.sku, name: product.name, method: view.method };
    units.forEach((value, step) => (row[`month${step + 1}`] = value));
    row.total = oneDecimal(view.forecast.reduce((sum, point) => sum + point.quantity, 0));
    return row;
  });
}

/** Forecasts are estimates in floating point: one decimal, half away from zero, for stable bytes. */
export function oneDecimal(value: number): number {
  return Math.round(value * 10) / 10;
}

// ---- small helpers ----------------------------------------------------------------------------

function col(key: string, label: string, kind: Column['kind']): Column {
  return { key, label, kind };
}

function table(id: string, title: string, columns: Column[], rows: Row[], extra: Pick<ReportTable, 'bar' | 'note'> = {}): ReportTable {
  return { id, title, columns, rows, ...extra };
}

function compared(id: string, label: string, kind: KeyFigure['kind'], value: CellValue, lastYear: CellValue): KeyFigure {
  return { id, label, kind, value, compareWith: SAME_MONTH_LAST_YEAR, compareValue: lastYear };
}

function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byRevenue(rows: Row[], key: string): Row[] {
  return [...rows].sort((a, b) => Number(b.revenue) - Number(a.revenue) || byText(String(a[key]), String(b[key])));
}

/** A missing subject (deleted since it sold) reads as `fallback` instead of failing the report. */
function missingAs<T>(fallback: T): (error: unknown) => T {
  return (error) => {
    if (error instanceof NotFoundError) return fallback;
    throw error;
  };
}

async function namesOf(ids: string[], nameOf: (id: string) => Promise<string>): Promise<Map<string, string>> {
  const names = await mapLimit(ids, (id) => nameOf(id).catch(missingAs(id)));
  return new Map(ids.map((id, index) => [id, names[index] ?? id]));
}

/** `work` over `items`, a few at a time, results in the items' order. */
async function mapLimit<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += PARALLEL) results.push(...(await Promise.all(items.slice(start, start + PARALLEL).map(work))));
  return results;
}
