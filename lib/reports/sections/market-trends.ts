import { FEEDBACK_KINDS, type FeedbackCount } from '../../customers/schema';
import { feedbackCounts } from '../../customers/service';
import { getCompetitor } from '../../market/competitors/service';
import { listFigures } from '../../market/figures/service';
import type { MarketFigure } from '../../market/figures/schema';
import { INTEL_KINDS, type IntelKind, type IntelListItem } from '../../market/intel/schema';
import { intelCountsOfMonth, listedIntelOfMonth, type IntelCount } from '../../market/intel/service';
import { basisPoints } from '../../platform/exact';
import { NotFoundError } from '../../platform/errors';
import { salesOfMonth } from '../../sales/aggregates';
import type { CellValue, KeyFigure, ReportInput, ReportProduct, ReportSection, ReportTable } from '../model';
import { changePercent1, monthsEndingWith, ratio1, shiftMonth } from '../numbers';

/**
 * The market-trends section. Reads: the intel counters of this month and the 5 before (one
 * query each), the 20 most important competitor moves and price changes (one bounded query and
 * one batch read each, plus their competitors by key), each catalog category's market figures
 * over the 6 months (one query each), the product sales of the 6 months, and the feedback
 * counts of this month and the previous one. Nothing grows with entries, orders or feedback.
 *
 * Figures (id → kind): entries, high-importance, competitor-moves, price-changes, feedback
 * (count, compared with the previous month).
 *
 * Tables (id: columns):
 *   entries-by-kind      kind, importance1, importance2, importance3, total, previousMonth, change (percent)
 *                        kinds with entries this month or the previous one, by total (desc), then kind
 *   entries-by-month     month, total, importance1, importance2, importance3, competitorMoves, priceChanges
 *                        this month and the 5 before, oldest first
 *   competitor-moves     observedOn (date), importance, title, competitors, products (SKUs), sentiment, region
 *   price-changes        observedOn (date), importance, title, competitor, competitorProduct, price (money), products, region
 *                        at most 20 each, the most important first, newest first within an importance
 *   market-by-category   category, marketSize (money), marketSizeChange (percent), sharePercent, previousSharePercent (percent),
 *                        ourRevenue (money), ourRevenueChange (percent)     this month against the previous one
 *   market-history       category, month, marketSize, sharePercent, ourRevenue      6 months per category, oldest first
 *   feedback-by-kind     kind, count, previousMonth, change (percent)
 *   feedback-by-product  sku, name, defect, suggestion, praise, price, other, total     by total (desc), then SKU
 * Categories are the catalog's product categories, lower case (as market figures store them).
 */
export const LISTED_ROWS = 20;
export const HISTORY_MONTHS = 6;

type Row = Record<string, CellValue>;

export async function buildMarketTrendsSection(input: ReportInput): Promise<ReportSection> {
  const { month } = input;
  const previous = shiftMonth(month, 1);
  const months = monthsEndingWith(month, HISTORY_MONTHS);
  const categories = [...new Set(input.products.map((product) => categoryKey(product.category)))].sort(compareText);

  const [counts, moves, prices, figures, sales, feedback, previousFeedback] = await Promise.all([
    Promise.all(months.map((one) => intelCountsOfMonth(one))),
    listedIntelOfMonth('competitor-move', month, LISTED_ROWS),
    listedIntelOfMonth('price-change', month, LISTED_ROWS),
    Promise.all(categories.map(async (category) => (await listFigures({ category, from: months[0], to: month, limit: HISTORY_MONTHS })).items)),
    Promise.all(months.map((one) => salesOfMonth('product', one))),
    feedbackCounts(month),
    feedbackCounts(previous),
  ]);
  const competitorNames = await namesOf([...moves.flatMap((entry) => entry.competitorIds), ...prices.flatMap((entry) => (entry.price ? [entry.price.competitorId] : []))]);

  const products = new Map(input.products.map((product) => [product.id, product]));
  const grid = counts.map(countGrid);
  const current = grid.at(-1) as CountGrid;
  const before = grid.at(-2) as CountGrid;
  const notes: string[] = [
    'Entries count in the month of their observed day; an edit that changes an entry’s kind, importance or day moves its count.',
    'Market size and our share are the figures stated for each category and month (directly, or filled from an entry’s figures); blank where none was stated.',
    'Our revenue is the net revenue of the catalog’s products of each category at shipment, less returns, in the month.',
  ];
  const market = marketTables(input, categories, months, figures, sales, products);
  if (market.foreignCurrency) notes.push(`Market sizes stated in a currency other than ${input.currency} are left blank.`);

  return {
    section: 'market-trends',
    month,
    title: 'Market trends',
    currency: input.currency,
    figures: [
      compared('entries', 'Market intelligence entries', totalOf(current), totalOf(before)),
      compared('high-importance', 'Entries of high importance (3)', importanceTotal(current, 3), importanceTotal(before, 3)),
      compared('competitor-moves', 'Competitor moves', kindTotal(current, 'competitor-move'), kindTotal(before, 'competitor-move')),
      compared('price-changes', 'Competitor price changes', kindTotal(current, 'price-change'), kindTotal(before, 'price-change')),
      compared('feedback', 'Customer feedback received', sumCounts(feedback), sumCounts(previousFeedback)),
    ],
    tables: [
      entriesByKind(current, before),
      entriesByMonth(months, grid),
      movesTable(moves, kindTotal(current, 'competitor-move'), competitorNames, products),
      pricesTable(prices, kindTotal(current, 'price-change'), competitorNames, products, input.currency),
      market.thisMonth,
      market.history,
      feedbackByKind(feedback, previousFeedback),
      feedbackByProduct(feedback, products),
    ],
    notes,
  };
}

// ---- entries ------------------------------------------------------------------------------

/** count by kind, then importance (1–3). */
type CountGrid = Map<IntelKind, [number, number, number]>;

function countGrid(counts: IntelCount[]): CountGrid {
  const grid: CountGrid = new Map();
  for (const { kind, importance, count } of counts) {
    if (importance < 1 || importance > 3) continue;
    const row = grid.get(kind) ?? [0, 0, 0];
    row[(importance - 1) as 0 | 1 | 2] += count;
    grid.set(kind, row);
  }
  return grid;
}

const kindTotal = (grid: CountGrid, kind: IntelKind) => (grid.get(kind) ?? [0, 0, 0]).reduce((sum, count) => sum + count, 0);
const importanceTotal = (grid: CountGrid, importance: 1 | 2 | 3) => [...grid.values()].reduce((sum, row) => sum + row[(importance - 1) as 0 | 1 | 2], 0);
const totalOf = (grid: CountGrid) => INTEL_KINDS.reduce((sum, kind) => sum + kindTotal(grid, kind), 0);

function compared(id: string, label: string, value: number, previous: number): KeyFigure {
  return { id, label, kind: 'count', value, compareWith: 'previous month', compareValue: previous };
}

const IMPORTANCE_COLUMNS = [
  { key: 'importance1', label: 'Low (1)', kind: 'count' },
  { key: 'importance2', label: 'Medium (2)', kind: 'count' },
  { key: 'importance3', label: 'High (3)', kind: 'count' },
] as const;

function entriesByKind(current: CountGrid, before: CountGrid): ReportTable {
  const rows = INTEL_KINDS.filter((kind) => kindTotal(current, kind) > 0 || kindTotal(before, kind) > 0)
    .map((kind) => {
      const [one, two, three] = current.get(kind) ?? [0, 0, 0];
      const total = one + two + three;
      const previousMonth = kindTotal(before, kind);
      return { kind, importance1: one, importance2: two, importance3: three, total, previousMonth, change: changePercent1(total, previousMonth) };
    })
    .sort((a, b) => b.total - a.total || compareText(a.kind, b.kind));
  return {
    id: 'entries-by-kind',
    title: 'Market intelligence entries by kind and importance',
    columns: [
      { key: 'kind', label: 'Kind', kind: 'text' },
      ...IMPORTANCE_COLUMNS,
      { key: 'total', label: 'Total', kind: 'count' },
      { key: 'previousMonth', label: 'Previous month', kind: 'count' },
      { key: 'change', label: 'Change', kind: 'percent' },
    ],
    rows,
    bar: 'total',
  };
}

function entriesByMonth(months: string[], grid: CountGrid[]): ReportTable {
  return {
    id: 'entries-by-month',
    title: `Entries over the last ${months.length} months`,
    columns: [
      { key: 'month', label: 'Month', kind: 'month' },
      { key: 'total', label: 'Total', kind: 'count' },
      ...IMPORTANCE_COLUMNS,
      { key: 'competitorMoves', label: 'Competitor moves', kind: 'count' },
      { key: 'priceChanges', label: 'Price changes', kind: 'count' },
    ],
    rows: months.map((one, index) => {
      const counts = grid[index] as CountGrid;
      return {
        month: one,
        total: totalOf(counts),
        importance1: importanceTotal(counts, 1),
        importance2: importanceTotal(counts, 2),
        importance3: importanceTotal(counts, 3),
        competitorMoves: kindTotal(counts, 'competitor-move'),
        priceChanges: kindTotal(counts, 'price-change'),
      };
    }),
    bar: 'total',
  };
}

async function namesOf(ids: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)].sort(compareText);
  const names = await Promise.all(
    unique.map((id) =>
      getCompetitor(id).then(
        (competitor) => competitor.name,
        (error: unknown) => {
          if (error instanceof NotFoundError) return id;
          throw error;
        },
      ),
    ),
  );
  return new Map(unique.map((id, index) => [id, names[index] as string]));
}

const skusOf = (ids: readonly string[], products: Map<string, ReportProduct>) => ids.map((id) => products.get(id)?.sku ?? id).join(', ') || null;

function listedNote(shown: number, counted: number, what: string): string {
  return counted > shown ? `The ${shown} most important of ${counted} ${what} observed in the month, newest first within an importance.` : `All ${counted} ${what} observed in the month, the most important first.`;
}

function movesTable(entries: IntelListItem[], counted: number, names: Map<string, string>, products: Map<string, ReportProduct>): ReportTable {
  return {
    id: 'competitor-moves',
    title: 'Competitor moves',
    columns: [
      { key: 'observedOn', label: 'Observed', kind: 'date' },
      { key: 'importance', label: 'Importance', kind: 'count' },
      { key: 'title', label: 'Title', kind: 'text' },
      { key: 'competitors', label: 'Competitors', kind: 'text' },
      { key: 'products', label: 'Our products', kind: 'text' },
      { key: 'sentiment', label: 'Sentiment', kind: 'text' },
      { key: 'region', label: 'Region', kind: 'text' },
    ],
    rows: entries.map((entry) => ({
      observedOn: entry.observedOn,
      importance: entry.importance,
      title: entry.title,
      competitors: entry.competitorIds.map((id) => names.get(id) ?? id).join(', ') || null,
      products: skusOf(entry.productIds, products),
      sentiment: entry.sentiment,
      region: entry.region ?? null,
    })),
    note: listedNote(entries.length, counted, 'competitor moves'),
  };
}

function pricesTable(entries: IntelListItem[], counted: number, names: Map<string, string>, products: Map<string, ReportProduct>, currency: string): ReportTable {
  const foreign = entries.some((entry) => entry.price && entry.price.amount.currency !== currency);
  return {
    id: 'price-changes',
    title: 'Competitor price changes',
    columns: [
      { key: 'observedOn', label: 'Observed', kind: 'date' },
      { key: 'importance', label: 'Importance', kind: 'count' },
      { key: 'title', label: 'Title', kind: 'text' },
      { key: 'competitor', label: 'Competitor', kind: 'text' },
      { key: 'competitorProduct', label: 'Their product', kind: 'text' },
      { key: 'price', label: 'Price', kind: 'money' },
      { key: 'products', label: 'Our products', kind: 'text' },
      { key: 'region', label: 'Region', kind: 'text' },
    ],
    rows: entries.map((entry) => ({
      observedOn: entry.observedOn,
      importance: entry.importance,
      title: entry.title,
      competitor: entry.price ? (names.get(entry.price.competitorId) ?? entry.price.competitorId) : null,
      competitorProduct: entry.price?.competitorProduct ?? null,
      price: entry.price && entry.price.amount.currency === currency ? entry.price.amount.amount : null,
      products: skusOf(entry.productIds, products),
      region: entry.region ?? null,
    })),
    note: listedNote(entries.length, counted, 'price changes') + (foreign ? ` Prices in a currency other than ${currency} are left blank.` : ''),
  };
}

// ---- market figures and our revenue ---------------------------------------------------------

/** Market figures key categories in lower case; the catalog's are free text. */
function categoryKey(category: string): string {
  return category.trim().toLowerCase();
}

function marketTables(
  input: ReportInput,
  categories: string[],
  months: string[],
  figures: MarketFigure[][],
  sales: Array<Awaited<ReturnType<typeof salesOfMonth>>>,
  products: Map<string, ReportProduct>,
): { thisMonth: ReportTable; history: ReportTable; foreignCurrency: boolean } {
  let foreignCurrency = false;
  // revenue[category][month index], summed over the catalog's products of the category
  const revenue = new Map(categories.map((category) => [category, months.map(() => 0)]));
  sales.forEach((rows, index) => {
    for (const row of rows) {
      const product = products.get(row.id);
      const sums = product && revenue.get(categoryKey(product.category));
      if (sums) sums[index] = (sums[index] ?? 0) + row.figures.revenue;
    }
  });
  const cells = categories.map((category, index) => {
    const byMonth = new Map((figures[index] ?? []).map((figure) => [figure.month, figure]));
    return months.map((month, monthIndex) => {
      const figure = byMonth.get(month);
      if (figure?.marketSize && figure.marketSize.currency !== input.currency) foreignCurrency = true;
      return {
        category,
        month,
        marketSize: figure?.marketSize && figure.marketSize.currency === input.currency ? figure.marketSize.amount : null,
        sharePercent: figure?.sharePercent !== undefined ? ratio1(Number(basisPoints(figure.sharePercent)), 100) : null,
        ourRevenue: revenue.get(category)?.[monthIndex] ?? 0,
      };
    });
  });
  const last = months.length - 1;
  const changeOf = (now: CellValue, before: CellValue) => (typeof now === 'number' && typeof before === 'number' ? changePercent1(now, before) : null);
  return {
    foreignCurrency,
    thisMonth: {
      id: 'market-by-category',
      title: 'Market size and our share by category',
      columns: [
        { key: 'category', label: 'Category', kind: 'text' },
        { key: 'marketSize', label: 'Market size', kind: 'money' },
        { key: 'marketSizeChange', label: 'Market size vs previous month', kind: 'percent' },
        { key: 'sharePercent', label: 'Our share', kind: 'percent' },
        { key: 'previousSharePercent', label: 'Our share, previous month', kind: 'percent' },
        { key: 'ourRevenue', label: 'Our revenue', kind: 'money' },
        { key: 'ourRevenueChange', label: 'Our revenue vs previous month', kind: 'percent' },
      ],
      rows: cells.map((row): Row => {
        const now = row[last] as (typeof row)[number];
        const before = row[last - 1] as (typeof row)[number];
        return {
          category: now.category,
          marketSize: now.marketSize,
          marketSizeChange: changeOf(now.marketSize, before.marketSize),
          sharePercent: now.sharePercent,
          previousSharePercent: before.sharePercent,
          ourRevenue: now.ourRevenue,
          ourRevenueChange: changePercent1(now.ourRevenue, before.ourRevenue),
        };
      }),
      bar: 'ourRevenue',
    },
    history: {
      id: 'market-history',
      title: `Market size, our share and our revenue over the last ${months.length} months`,
      columns: [
        { key: 'category', label: 'Category', kind: 'text' },
        { key: 'month', label: 'Month', kind: 'month' },
        { key: 'marketSize', label: 'Market size', kind: 'money' },
        { key: 'sharePercent', label: 'Our share', kind: 'percent' },
        { key: 'ourRevenue', label: 'Our revenue', kind: 'money' },
      ],
      rows: cells.flat(),
    },
  };
}

// ---- customer feedback ----------------------------------------------------------------------

const sumCounts = (counts: FeedbackCount[]) => counts.reduce((sum, count) => sum + count.count, 0);

function feedbackByKind(counts: FeedbackCount[], previous: FeedbackCount[]): ReportTable {
  const byKind = (list: FeedbackCount[], kind: string) => list.filter((count) => count.kind === kind).reduce((sum, count) => sum + count.count, 0);
  return {
    id: 'feedback-by-kind',
    title: 'Customer feedback by kind',
    columns: [
      { key: 'kind', label: 'Kind', kind: 'text' },
      { key: 'count', label: 'Feedback', kind: 'count' },
      { key: 'previousMonth', label: 'Previous month', kind: 'count' },
      { key: 'change', label: 'Change', kind: 'percent' },
    ],
    rows: FEEDBACK_KINDS.map((kind) => ({ kind, count: byKind(counts, kind), previousMonth: byKind(previous, kind) }))
      .filter((row) => row.count > 0 || row.previousMonth > 0)
      .sort((a, b) => b.count - a.count || compareText(a.kind, b.kind))
      .map((row) => ({ ...row, change: changePercent1(row.count, row.previousMonth) })),
    bar: 'count',
  };
}

function feedbackByProduct(counts: FeedbackCount[], products: Map<string, ReportProduct>): ReportTable {
  const rows = new Map<string, Row & { total: number }>();
  for (const { productId, kind, count } of counts) {
    const product = products.get(productId);
    const row = rows.get(productId) ?? { sku: product?.sku ?? productId, name: product?.name ?? null, ...Object.fromEntries(FEEDBACK_KINDS.map((one) => [one, 0])), total: 0 };
    row[kind] = Number(row[kind] ?? 0) + count;
    row.total += count;
    rows.set(productId, row);
  }
  return {
    id: 'feedback-by-product',
    title: 'Customer feedback by product',
    columns: [
      { key: 'sku', label: 'SKU', kind: 'text' },
      { key: 'name', label: 'Product', kind: 'text' },
      ...FEEDBACK_KINDS.map((kind) => ({ key: kind, label: kind[0]?.toUpperCase() + kind.slice(1), kind: 'count' as const })),
      { key: 'total', label: 'Total', kind: 'count' },
    ],
    rows: [...rows.values()].filter((row) => row.total !== 0).sort((a, b) => b.total - a.total || compareText(String(a.sku), String(b.sku))),
    bar: 'total',
  };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
