import { beforeAll, describe, expect, it } from 'vitest';
import { createProduct } from '../../lib/catalog/service';
import { FEEDBACK_KINDS, type FeedbackKind } from '../../lib/customers/schema';
import { recordFeedback } from '../../lib/customers/service';
import { competitorCreate } from '../../lib/market/competitors/schema';
import { createCompetitor } from '../../lib/market/competitors/service';
import { figureInput } from '../../lib/market/figures/schema';
import { putFigure } from '../../lib/market/figures/service';
import { INTEL_KINDS, intelCreate, intelPatch, type IntelEntry, type IntelKind } from '../../lib/market/intel/schema';
import { createIntel, updateIntel } from '../../lib/market/intel/service';
import type { CellValue, ReportInput, ReportProduct, ReportSection } from '../../lib/reports/model';
import { changePercent1 } from '../../lib/reports/numbers';
import { buildMarketTrendsSection } from '../../lib/reports/sections/market-trends';
import { confirmOrder, createOrder, shipOrder } from '../../lib/sales/orders';
import { aCompetitor, aFeedback, anActor, anIntelEntry, aProduct, fixedClock, testContext } from '../support/factories';
import { receive } from '../support/inventory';
import { seeded } from '../support/random';
import { aSalesWorld, seller, type SalesWorld } from '../support/sales';

/**
 * The market-trends section against a brute-force recomputation from what the test recorded:
 * intel entries (created, then edited across kinds, importances and months), market figures,
 * shipments and feedback, driven through the real services with pinned clocks. Months are
 * Shanghai's (UTC+8 all year), taken by offset arithmetic, not through lib/platform/time.ts.
 */
const MONTH = '2026-10';
const MONTHS = ['2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10'];
const market = anActor(['market']);
const keeper = anActor(['admin']);
const at = (iso: string) => testContext(fixedClock(iso));
const today = () => at('2026-11-27T08:00:00Z');
const shanghaiMonth = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 7);
const UNIT_PRICE = 10_000;

let world: SalesWorld;
let input: ReportInput;
const catalog: ReportProduct[] = [];
const competitors = new Map<string, string>();
/** Every entry as it stands after the edits. */
const entries = new Map<string, IntelEntry>();
/** revenue by `<month>|<productId>`, from the shipments the test made. */
const revenue = new Map<string, number>();
/** The figures the test put, by `<category>|<month>`. */
const stated = new Map<string, { marketSize?: { amount: number; currency: string }; sharePercent?: number }>();
/** Feedback counts by `<month>|<productId>|<kind>`. */
const feedback = new Map<string, number>();

async function ship(productId: string, quantity: number, when: string): Promise<void> {
  const order = await createOrder(at(when), seller, {
    customerId: world.customerId,
    channelId: world.channelId,
    lines: [{ productId, warehouseId: world.warehouseId, quantity, unitPrice: UNIT_PRICE, discountPercent: 0 }],
  });
  await confirmOrder(at(when), seller, order.id);
  await shipOrder(at(when), seller, order.id, {});
  const key = `${shanghaiMonth(when)}|${productId}`;
  revenue.set(key, (revenue.get(key) ?? 0) + quantity * UNIT_PRICE);
}

async function inBatches<T>(items: T[], size: number, run: (item: T) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < items.length; start += size) await Promise.all(items.slice(start, start + size).map(run));
}

beforeAll(async () => {
  const next = seeded(2026_10);
  const between = (low: number, high: number) => low + Math.floor(next() * (high - low + 1));
  const pick = <T>(values: readonly T[]) => values[between(0, values.length - 1)] as T;
  const day = (month: string) => `${month}-${String(between(1, 28)).padStart(2, '0')}`;

  world = await aSalesWorld({ stock: [] });
  // Four categories in the catalog; "Smart-Lock" is the same category as "smart-lock" for the market figures.
  for (const category of ['smart-lock', 'smart-lock', 'Smart-Lock', 'doorbell', 'camera', 'hub']) {
    const product = await createProduct(today(), keeper, aProduct({ category }));
    await receive({ productId: product.id, warehouseId: world.warehouseId }, 5_000);
    catalog.push({ id: product.id, sku: product.sku, name: product.name, category: product.category, ownerDepartment: product.ownerDepartment });
  }
  catalog.sort((a, b) => (a.sku < b.sku ? -1 : 1));
  input = { month: MONTH, timeZone: 'Asia/Shanghai', currency: 'CNY', products: catalog };

  // Shipments over the six months, none for `hub` in September, and the October/November boundary.
  const shipments: Array<[string, number, string]> = [];
  for (const product of catalog) {
    for (const month of MONTHS) {
      if (product.category === 'hub' && month === '2026-09') continue;
      for (let count = between(0, 2); count > 0; count--) shipments.push([product.id, between(1, 30), new Date(`${day(month)}T${String(between(0, 23)).padStart(2, '0')}:15:00+08:00`).toISOString()]);
    }
  }
  const first = catalog[0] as ReportProduct;
  shipments.push([first.id, 3, '2026-10-31T15:30:00Z'], [first.id, 4, '2026-10-31T16:30:00Z'], [first.id, 6, '2026-09-30T16:30:00Z']);
  await inBatches(shipments, 6, ([productId, quantity, when]) => ship(productId, quantity, when));

  // Market figures: some months missing, one size in another currency, shares with two decimals.
  const figurePuts: Array<[string, string, { marketSize?: { amount: number; currency: string }; sharePercent?: number }]> = [];
  for (const category of ['smart-lock', 'doorbell', 'camera']) {
    for (const month of MONTHS) {
      if (next() < 0.2) continue;
      const body = {
        ...(next() < 0.85 ? { marketSize: { amount: between(1_000, 90_000) * 100_000, currency: 'CNY' } } : {}),
        ...(next() < 0.8 ? { sharePercent: between(0, 4_000) / 100 } : {}),
      };
      if (!body.marketSize && body.sharePercent === undefined) continue;
      figurePuts.push([category, month, body]);
      stated.set(`${category}|${month}`, body);
    }
  }
  const fixed: Array<[string, string, { marketSize?: { amount: number; currency: string }; sharePercent?: number }]> = [
    ['smart-lock', MONTH, { marketSize: { amount: 12_345_600_000, currency: 'CNY' }, sharePercent: 12.25 }],
    ['camera', '2026-07', { marketSize: { amount: 80_000_000, currency: 'USD' }, sharePercent: 3.05 }],
  ];
  for (const [category, month, body] of fixed) {
    figurePuts.push([category, month, body]);
    stated.set(`${category}|${month}`, body);
  }
  // A PUT replaces the month's figures: the last one stands (as `stated` keeps it).
  for (const [category, month, body] of figurePuts) await putFigure(today(), market, { category, month }, figureInput.parse(body), undefined);

  // Competitors, and entries: random ones over seven months, and 24 competitor moves in October (more than the 20 listed).
  for (let index = 0; index < 4; index++) {
    const competitor = await createCompetitor(today(), market, competitorCreate.parse(aCompetitor()));
    competitors.set(competitor.id, competitor.name);
  }
  const competitorIds = [...competitors.keys()];
  const specs: Array<Parameters<typeof anIntelEntry>[0]> = [];
  const spec = (kind: IntelKind, observedOn: string, index: number) => {
    const named = kind === 'competitor-move' || kind === 'price-change' || next() < 0.3 ? [pick(competitorIds)] : [];
    const withPrice = kind === 'price-change' && next() < 0.8;
    return {
      title: `Entry ${index} ${kind}`,
      kind,
      observedOn,
      importance: between(1, 3),
      competitorIds: named,
      productIds: next() < 0.5 ? [pick(catalog).id] : [],
      sentiment: pick(['threat', 'opportunity', 'neutral'] as const),
      ...(next() < 0.3 ? { region: 'east-china' } : {}),
      ...(withPrice ? { price: { amount: { amount: between(500, 5_000) * 100, currency: next() < 0.15 ? 'USD' : 'CNY' }, ...(next() < 0.5 ? { competitorProduct: 'Lock X' } : {}) } } : {}),
    };
  };
  for (let index = 0; index < 50; index++) specs.push(spec(pick(INTEL_KINDS), day(pick([...MONTHS, '2026-11'])), index));
  for (let index = 50; index < 74; index++) specs.push(spec('competitor-move', day(MONTH), index));
  for (let index = 74; index < 82; index++) specs.push(spec('price-change', day(MONTH), index));
  await inBatches(specs, 6, async (overrides) => {
    const entry = await createIntel(today(), market, intelCreate.parse(anIntelEntry(overrides)));
    entries.set(entry.id, entry);
  });

  // Edits that move counters and listed items: kind, importance, the observed month, and all three.
  const ids = [...entries.keys()].sort();
  const edits: Array<[string, Record<string, unknown>]> = [];
  for (const id of ids) {
    const entry = entries.get(id) as IntelEntry;
    const roll = next();
    if (roll < 0.1) edits.push([id, { importance: (entry.importance % 3) + 1 }]);
    else if (roll < 0.18) edits.push([id, { observedOn: day(pick(MONTHS)) }]);
    else if (roll < 0.26) {
      const kind = pick(INTEL_KINDS);
      edits.push([id, { kind, ...(kind !== 'price-change' && entry.price ? { price: null } : {}), ...(kind === 'competitor-move' || kind === 'price-change' ? { competitorIds: [pick(competitorIds)] } : {}) }]);
    } else if (roll < 0.3) edits.push([id, { kind: 'competitor-move', importance: between(1, 3), observedOn: day(MONTH), price: null, competitorIds: [pick(competitorIds)] }]);
    else if (roll < 0.35) edits.push([id, { title: `${entry.title} (revised)` }]);
  }
  await inBatches(edits, 6, async ([id, patch]) => {
    const edited = await updateIntel(today(), market, id, intelPatch.parse(patch), undefined);
    entries.set(id, edited);
  });

  // Feedback in September, October and November, with the boundary instants.
  const instants: string[] = ['2026-09-30T16:30:00Z', '2026-10-31T15:30:00Z', '2026-10-31T16:30:00Z'];
  for (let index = 0; index < 36; index++) instants.push(new Date(Date.parse('2026-09-01T00:00:00Z') + between(0, 75 * 24 * 60) * 60_000).toISOString());
  await inBatches(instants, 6, async (when) => {
    const productId = pick(catalog).id;
    const kind = pick(FEEDBACK_KINDS);
    await recordFeedback(at(when), keeper, aFeedback(productId, { kind }));
    const key = `${shanghaiMonth(when)}|${productId}|${kind}`;
    feedback.set(key, (feedback.get(key) ?? 0) + 1);
  });
}, 240_000);

// ---- the brute force ---------------------------------------------------------------------------

const table = (section: ReportSection, id: string) => section.tables.find((one) => one.id === id);
const monthOf = (entry: IntelEntry) => entry.observedOn.slice(0, 7);
const countOf = (month: string, filter: (entry: IntelEntry) => boolean) => [...entries.values()].filter((entry) => monthOf(entry) === month && filter(entry)).length;
const previousOf = (month: string) => MONTHS[MONTHS.indexOf(month) - 1] ?? '2026-04';
const skus = (ids: string[]) => ids.map((id) => catalog.find((product) => product.id === id)?.sku ?? id).join(', ') || null;
const oneDecimalOfShare = (share: number) => Math.round(share * 10 + 1e-9) / 10;
const feedbackOf = (month: string, filter: (productId: string, kind: string) => boolean) =>
  [...feedback].filter(([key]) => key.startsWith(`${month}|`) && filter(key.split('|')[1] as string, key.split('|')[2] as string)).reduce((sum, [, count]) => sum + count, 0);

/** Most important first, then newest, then the id (descending), at most 20. */
function listed(kind: IntelKind): IntelEntry[] {
  return [...entries.values()]
    .filter((entry) => entry.kind === kind && monthOf(entry) === MONTH)
    .sort((a, b) => b.importance - a.importance || (a.observedOn === b.observedOn ? (a.id < b.id ? 1 : -1) : a.observedOn < b.observedOn ? 1 : -1))
    .slice(0, 20);
}

describe('report: market trends', () => {
  let section: ReportSection;
  beforeAll(async () => {
    section = await buildMarketTrendsSection(input);
  });

  it('names its section and tables', () => {
    expect([section.section, section.month, section.title, section.currency]).toEqual(['market-trends', MONTH, 'Market trends', 'CNY']);
    expect(section.tables.map((one) => one.id)).toEqual([
      'entries-by-kind',
      'entries-by-month',
      'competitor-moves',
      'price-changes',
      'market-by-category',
      'market-history',
      'feedback-by-kind',
      'feedback-by-product',
    ]);
  });

  it('counts entries by kind and importance, kept exact through the edits, against the previous months', () => {
    const previous = previousOf(MONTH);
    const all = () => true;
    expect(section.figures.map((figure) => [figure.id, figure.value, figure.compareValue])).toEqual([
      ['entries', countOf(MONTH, all), countOf(previous, all)],
      ['high-importance', countOf(MONTH, (e) => e.importance === 3), countOf(previous, (e) => e.importance === 3)],
      ['competitor-moves', countOf(MONTH, (e) => e.kind === 'competitor-move'), countOf(previous, (e) => e.kind === 'competitor-move')],
      ['price-changes', countOf(MONTH, (e) => e.kind === 'price-change'), countOf(previous, (e) => e.kind === 'price-change')],
      ['feedback', feedbackOf(MONTH, () => true), feedbackOf(previous, () => true)],
    ]);
    const byKind = INTEL_KINDS.map((kind) => {
      const of = (importance: number) => countOf(MONTH, (e) => e.kind === kind && e.importance === importance);
      const total = countOf(MONTH, (e) => e.kind === kind);
      const previousMonth = countOf(previous, (e) => e.kind === kind);
      return { kind, importance1: of(1), importance2: of(2), importance3: of(3), total, previousMonth, change: changePercent1(total, previousMonth) };
    })
      .filter((row) => row.total > 0 || row.previousMonth > 0)
      .sort((a, b) => b.total - a.total || (a.kind < b.kind ? -1 : 1));
    expect(table(section, 'entries-by-kind')?.rows).toEqual(byKind);
    expect(table(section, 'entries-by-month')?.rows).toEqual(
      MONTHS.map((month) => ({
        month,
        total: countOf(month, () => true),
        importance1: countOf(month, (e) => e.importance === 1),
        importance2: countOf(month, (e) => e.importance === 2),
        importance3: countOf(month, (e) => e.importance === 3),
        competitorMoves: countOf(month, (e) => e.kind === 'competitor-move'),
        priceChanges: countOf(month, (e) => e.kind === 'price-change'),
      })),
    );
  });

  it('lists the 20 most important competitor moves and the month’s price changes, newest first within an importance', () => {
    const moves = listed('competitor-move');
    expect(countOf(MONTH, (e) => e.kind === 'competitor-move')).toBeGreaterThan(20);
    expect(table(section, 'competitor-moves')?.rows).toEqual(
      moves.map((entry) => ({
        observedOn: entry.observedOn,
        importance: entry.importance,
        title: entry.title,
        competitors: entry.competitorIds.map((id) => competitors.get(id)).join(', ') || null,
        products: skus(entry.productIds),
        sentiment: entry.sentiment,
        region: entry.region ?? null,
      })),
    );
    expect(table(section, 'competitor-moves')?.note).toBe(`The 20 most important of ${countOf(MONTH, (e) => e.kind === 'competitor-move')} competitor moves observed in the month, newest first within an importance.`);
    const prices = listed('price-change');
    expect(prices.length).toBeGreaterThan(0);
    expect(table(section, 'price-changes')?.rows).toEqual(
      prices.map((entry) => ({
        observedOn: entry.observedOn,
        importance: entry.importance,
        title: entry.title,
        competitor: entry.price ? (competitors.get(entry.price.competitorId) as string) : null,
        competitorProduct: entry.price?.competitorProduct ?? null,
        price: entry.price?.amount.currency === 'CNY' ? entry.price.amount.amount : null,
        products: skus(entry.productIds),
        region: entry.region ?? null,
      })),
    );
  });

  it('gives market size, our share and our revenue by category for the month and the 5 before', () => {
    const categories = ['camera', 'doorbell', 'hub', 'smart-lock'];
    const revenueOf = (category: string, month: string) =>
      catalog.filter((product) => product.category.toLowerCase() === category).reduce((sum, product) => sum + (revenue.get(`${month}|${product.id}`) ?? 0), 0);
    const cell = (category: string, month: string) => {
      const figure = stated.get(`${category}|${month}`);
      return {
        category,
        month,
        marketSize: figure?.marketSize?.currency === 'CNY' ? figure.marketSize.amount : null,
        sharePercent: figure?.sharePercent !== undefined ? oneDecimalOfShare(figure.sharePercent) : null,
        ourRevenue: revenueOf(category, month),
      };
    };
    expect(table(section, 'market-history')?.rows).toEqual(categories.flatMap((category) => MONTHS.map((month) => cell(category, month))));
    const change = (now: CellValue, before: CellValue) => (typeof now === 'number' && typeof before === 'number' ? changePercent1(now, before) : null);
    expect(table(section, 'market-by-category')?.rows).toEqual(
      categories.map((category) => {
        const [now, before] = [cell(category, MONTH), cell(category, '2026-09')];
        return {
          category,
          marketSize: now.marketSize,
          marketSizeChange: change(now.marketSize, before.marketSize),
          sharePercent: now.sharePercent,
          previousSharePercent: before.sharePercent,
          ourRevenue: now.ourRevenue,
          ourRevenueChange: changePercent1(now.ourRevenue, before.ourRevenue),
        };
      }),
    );
    // 12.25 % rounds half up; the October boundary shipment counts, the November one does not.
    expect(table(section, 'market-by-category')?.rows.find((row) => row.category === 'smart-lock')).toMatchObject({ marketSize: 12_345_600_000, sharePercent: 12.3 });
    expect(section.notes).toContain('Market sizes stated in a currency other than CNY are left blank.');
  });

  it('counts customer feedback by kind and by product, with the month boundary in Shanghai', () => {
    const previous = previousOf(MONTH);
    expect(table(section, 'feedback-by-kind')?.rows).toEqual(
      FEEDBACK_KINDS.map((kind) => ({ kind, count: feedbackOf(MONTH, (_, k) => k === kind), previousMonth: feedbackOf(previous, (_, k) => k === kind) }))
        .filter((row) => row.count > 0 || row.previousMonth > 0)
        .sort((a, b) => b.count - a.count || (a.kind < b.kind ? -1 : 1))
        .map((row) => ({ ...row, change: changePercent1(row.count, row.previousMonth) })),
    );
    const byProduct = catalog
      .map((product) => ({
        sku: product.sku,
        name: product.name,
        ...(Object.fromEntries(FEEDBACK_KINDS.map((kind) => [kind, feedbackOf(MONTH, (p, k) => p === product.id && k === kind)])) as Record<FeedbackKind, number>),
        total: feedbackOf(MONTH, (p) => p === product.id),
      }))
      .filter((row) => row.total > 0)
      .sort((a, b) => b.total - a.total || (a.sku < b.sku ? -1 : 1));
    expect(table(section, 'feedback-by-product')?.rows).toEqual(byProduct);
    // 00:30 on 1 October and 23:30 on 31 October are October's; 00:30 on 1 November is not.
    expect(shanghaiMonth('2026-09-30T16:30:00Z')).toBe(MONTH);
    expect(shanghaiMonth('2026-10-31T16:30:00Z')).toBe('2026-11');
  });

  it('builds the same bytes from the same data', async () => {
    expect(JSON.stringify(await buildMarketTrendsSection(input))).toBe(JSON.stringify(section));
  });
});
