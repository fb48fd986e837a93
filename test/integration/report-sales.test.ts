import { beforeAll, describe, expect, it } from 'vitest';
import { createProduct, createWarehouse } from '../../lib/catalog/service';
import { customerCreate } from '../../lib/customers/schema';
import { createCustomer } from '../../lib/customers/service';
import { createAgreement, createChannel, createPartner } from '../../lib/partners/service';
import type { ReportInput, ReportSection } from '../../lib/reports/model';
import { buildSalesSection } from '../../lib/reports/sections/sales';
import { forecastDemand } from '../../lib/sales/forecast';
import { confirmOrder, createOrder, getOrder, returnOrderGoods, shipOrder } from '../../lib/sales/orders';
import type { Order } from '../../lib/sales/schema';
import { createRep, setTarget } from '../../lib/sales-team/service';
import { aChannel, aCustomer, anActor, anAgreement, aPartner, aProduct, aSalesRep, aSalesTarget, aWarehouse, fixedClock, testContext } from '../support/factories';
import { receive } from '../support/inventory';
import { seeded } from '../support/random';
import { seller } from '../support/sales';

/**
 * The sales section against a brute-force recomputation: a seeded company sells through the
 * real order services (pinned clocks, events in time order), then every figure is recomputed
 * from the orders it made — their shipments and returns, months taken in Shanghai time by
 * hand (UTC+8, no DST) — and must equal the section to the unit.
 */

const MONTH = '2026-10';
const LAST_YEAR = '2025-10';
const admin = anActor(['admin']);
const REGIONS = ['east-china', 'south-china', 'north-china'] as const;
const LAUNCH = '2025-01-01';

/** The month of an instant in Shanghai, by hand: UTC+8 all year. */
function shanghaiMonth(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 7);
}

/** Exact `n ÷ d` to one decimal, half up (away from zero), null for d = 0. */
function oneDecimal(numerator: number, denominator: number): number | null {
  if (denominator === 0) return null;
  const n = BigInt(numerator) * 10n * (denominator < 0 ? -1n : 1n);
  const d = BigInt(Math.abs(denominator));
  const magnitude = ((n < 0n ? -n : n) * 2n + d) / (2n * d);
  return Number(n < 0n ? -magnitude : magnitude) / 10;
}
const pct = (part: number, whole: number) => oneDecimal(part * 100, whole);
const change = (now: number, before: number) => (before === 0 ? null : oneDecimal((now - before) * 100, Math.abs(before)));

interface World {
  products: Array<{ id: string; sku: string; name: string; category: string }>;
  customers: Array<{ id: string; name: string; region: string }>;
  reps: Array<{ id: string; name: string }>;
  channels: Array<{ id: string; name: string }>;
  partner: { id: string; name: string };
  orders: string[];
  boundary: { october: string; november: string };
}

type Figures = { revenue: number; cost: number; grossProfit: number; quantity: number; orders: number; newCustomers: number; repeatCustomers: number };
const zero = (): Figures => ({ revenue: 0, cost: 0, grossProfit: 0, quantity: 0, orders: 0, newCustomers: 0, repeatCustomers: 0 });

let world: World;
let section: ReportSection;
let orders: Order[];

async function seedCompany(): Promise<World> {
  const random = seeded(2026_10);
  const context = testContext(fixedClock('2025-01-02T02:00:00Z'));
  const warehouse = await createWarehouse(context, admin, aWarehouse());
  const products: World['products'] = [];
  for (let index = 0; index < 4; index++) {
    const listPrice = random.int(50, 900) * 100;
    const product = await createProduct(context, admin, aProduct({
      name: `Product ${index}`,
      category: index < 2 ? 'smart-lock' : 'camera',
      launchDate: LAUNCH,
      listPrice: { amount: listPrice, currency: 'CNY' },
      ...(index === 3 ? {} : { standardCost: { amount: Math.floor(listPrice * 0.55), currency: 'CNY' } }),
    }));
    await receive({ productId: product.id, warehouseId: warehouse.id }, 100_000);
    products.push({ id: product.id, sku: product.sku, name: product.name, category: product.category });
  }
  const reps = [];
  for (const [index, region] of REGIONS.entries()) reps.push(await createRep(context, admin, aSalesRep({ name: `Rep ${index}`, region })));
  const partner = await createPartner(context, admin, aPartner({ name: 'Yangtze Distribution' }));
  await createAgreement(context, admin, partner.id, anAgreement({
    targets: [
      { period: '2026-10', revenue: { amount: 400_000, currency: 'CNY' } },
      { period: '2026-Q4', revenue: { amount: 2_000_000, currency: 'CNY' } },
      { period: '2026', revenue: { amount: 9_000_000, currency: 'CNY' } },
    ],
  }));
  const channels = [
    await createChannel(context, admin, aChannel({ name: 'Online store' })),
    await createChannel(context, admin, aChannel({ name: 'Retail counter', kind: 'offline', type: 'direct-store' })),
  ];
  const customers: Array<{ id: string; name: string; region: string }> = [];
  for (let index = 0; index < 14; index++) {
    const region = REGIONS[index % REGIONS.length] as string;
    customers.push(await createCustomer(context, admin, customerCreate.parse(aCustomer({ name: `Customer ${String(index).padStart(2, '0')}`, region, ownerRepId: reps[index % reps.length]?.id }))));
  }
  // Targets: rep 0 has its own October target; east-china has a Q4 target (a third for October).
  await setTarget(context, admin, { scope: 'rep', id: reps[0]?.id as string, period: '2026-10' }, aSalesTarget({ revenue: { amount: 300_001, currency: 'CNY' }, grossProfit: { amount: 90_000, currency: 'CNY' }, newCustomers: 3 }), undefined);
  await setTarget(context, admin, { scope: 'region', id: 'east-china', period: '2026-Q4' }, aSalesTarget({ revenue: { amount: 1_000_000, currency: 'CNY' }, grossProfit: { amount: 300_002, currency: 'CNY' }, newCustomers: 7 }), undefined);

  // Events in time order: customers' new/repeat status depends on the order of their shipments.
  type Event = { at: string; run: () => Promise<void> };
  const events: Event[] = [];
  const orderIds: string[] = [];
  const schedule = (at: Date, run: () => Promise<void>) => events.push({ at: at.toISOString(), run });
  const plan = (at: Date, customer: World['customers'][number], viaPartner: boolean, lines: Array<{ product: number; quantity: number; discount: number }>, follow: { split: boolean; returnAfterDays?: number }) => {
    let orderId = '';
    schedule(at, async () => {
      const clock = testContext(fixedClock(at.toISOString()));
      const order = await createOrder(clock, seller, {
        customerId: customer.id,
        channelId: (random() < 0.5 ? channels[0] : channels[1])?.id as string,
        ...(viaPartner ? { partnerId: partner.id } : {}),
        lines: lines.map((line) => ({ productId: products[line.product]?.id as string, warehouseId: warehouse.id, quantity: line.quantity, discountPercent: line.discount })),
      });
      orderId = order.id;
      orderIds.push(order.id);
      await confirmOrder(clock, seller, order.id);
    });
    const shipAt = new Date(at.getTime() + 3_600_000);
    if (follow.split) {
      schedule(shipAt, async () => void (await shipOrder(testContext(fixedClock(shipAt.toISOString())), seller, orderId, { lines: [{ line: 0, quantity: 1 }] })));
      const restAt = new Date(at.getTime() + 4 * 86_400_000);
      schedule(restAt, async () => void (await shipOrder(testContext(fixedClock(restAt.toISOString())), seller, orderId, {})));
    } else {
      schedule(shipAt, async () => void (await shipOrder(testContext(fixedClock(shipAt.toISOString())), seller, orderId, {})));
    }
    if (follow.returnAfterDays !== undefined) {
      const returnAt = new Date(at.getTime() + follow.returnAfterDays * 86_400_000);
      schedule(returnAt, async () => void (await returnOrderGoods(testContext(fixedClock(returnAt.toISOString())), seller, orderId, { reason: 'damaged in transit', lines: [{ line: 0, quantity: 1 }] })));
    }
  };

  for (const [month, count] of [[LAST_YEAR, 8], ['2026-09', 8], [MONTH, 24], ['2026-11', 5]] as const) {
    for (let index = 0; index < count; index++) {
      const day = random.int(1, 24);
      const at = new Date(`${month}-${String(day).padStart(2, '0')}T${String(random.int(0, 15)).padStart(2, '0')}:${String(random.int(0, 59)).padStart(2, '0')}:00Z`);
      const lineCount = random.int(1, 3);
      const lines = Array.from({ length: lineCount }, () => ({ product: random.int(0, 3), quantity: random.int(2, 9), discount: random.pick([0, 0, 5, 12.5, 33.33]) }));
      plan(at, random.pick(customers), random() < 0.35, lines, { split: random() < 0.25, ...(random() < 0.2 ? { returnAfterDays: random.int(2, 12) } : {}) });
    }
  }
  // The boundary: 23:30 on 31 October in Shanghai is October; 00:30 on 1 November is not.
  const boundaryOctober = await createCustomer(context, admin, customerCreate.parse(aCustomer({ name: 'Late Night Trading', region: 'east-china' })));
  const boundaryNovember = await createCustomer(context, admin, customerCreate.parse(aCustomer({ name: 'Early Bird Trading', region: 'east-china' })));
  customers.push(boundaryOctober, boundaryNovember);
  plan(new Date('2026-10-31T14:30:00Z'), boundaryOctober, false, [{ product: 0, quantity: 2000, discount: 0 }], { split: false });
  plan(new Date('2026-10-31T15:30:00Z'), boundaryNovember, false, [{ product: 1, quantity: 2000, discount: 0 }], { split: false });

  events.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  for (const event of events) await event.run();

  return {
    products,
    customers: customers.map((customer) => ({ id: customer.id, name: customer.name, region: customer.region })),
    reps: reps.map((rep) => ({ id: rep.id, name: rep.name })),
    channels: channels.map((channel) => ({ id: channel.id, name: channel.name })),
    partner: { id: partner.id, name: partner.name },
    orders: orderIds,
    boundary: { october: boundaryOctober.id, november: boundaryNovember.id },
  };
}

function reportInput(): ReportInput {
  const products = [...world.products].sort((a, b) => (a.sku < b.sku ? -1 : 1)).map((product) => ({ ...product, ownerDepartment: 'rnd' }));
  return { month: MONTH, timeZone: 'Asia/Shanghai', currency: 'CNY', products };
}

// ---- brute force ------------------------------------------------------------------------------

/** Every booking (shipment line or return line) with its month and the ids it counts under. */
interface Booking {
  month: string;
  order: Order;
  productId: string;
  revenue: number;
  cost: number;
  quantity: number;
  /** 1 on the first shipment of the order (once per order, on its first line). */
  orderFirst: number;
  /** 1 on the first shipment of the order that carries this product (once per order and product). */
  productFirst: number;
}

function bookings(): Booking[] {
  const all: Booking[] = [];
  for (const order of orders) {
    const seenProducts = new Set<string>();
    order.shipments.forEach((shipment, shipmentIndex) => {
      shipment.lines.forEach((line, lineIndex) => {
        const productId = order.lines[line.line]?.productId as string;
        const productFirst = seenProducts.has(productId) ? 0 : 1;
        seenProducts.add(productId);
        all.push({ month: shanghaiMonth(shipment.shippedAt), order, productId, revenue: line.revenue, cost: line.cost, quantity: line.quantity, orderFirst: shipmentIndex === 0 && lineIndex === 0 ? 1 : 0, productFirst });
      });
    });
    for (const returned of order.returns) {
      for (const line of returned.lines) {
        all.push({ month: shanghaiMonth(returned.receivedAt), order, productId: order.lines[line.line]?.productId as string, revenue: -line.revenue, cost: -line.cost, quantity: -line.quantity, orderFirst: 0, productFirst: 0 });
      }
    }
  }
  return all;
}

function figuresBy(month: string, key: (booking: Booking) => string | undefined, product = false): Map<string, Figures> {
  const result = new Map<string, Figures>();
  for (const booking of bookings()) {
    const id = key(booking);
    if (booking.month !== month || id === undefined) continue;
    const figures = result.get(id) ?? zero();
    figures.revenue += booking.revenue;
    figures.cost += booking.cost;
    figures.grossProfit += booking.revenue - booking.cost;
    figures.quantity += booking.quantity;
    figures.orders += product ? booking.productFirst : booking.orderFirst;
    result.set(id, figures);
  }
  return result;
}

/** First shipment month of every customer; who bought in `month`. */
function customerCounts(month: string): { newCustomers: number; repeatCustomers: number } {
  const first = new Map<string, string>();
  const buyers = new Set<string>();
  for (const order of orders) {
    for (const shipment of order.shipments) {
      const shipped = shanghaiMonth(shipment.shippedAt);
      const known = first.get(order.customerId);
      if (!known || shipped < known) first.set(order.customerId, shipped);
      if (shipped === month) buyers.add(order.customerId);
    }
  }
  let newCustomers = 0;
  let repeatCustomers = 0;
  for (const customer of buyers) {
    if (first.get(customer) === month) newCustomers++;
    else repeatCustomers++;
  }
  return { newCustomers, repeatCustomers };
}

function figureCells(now: Figures | undefined, before: Figures | undefined) {
  const a = now ?? zero();
  const b = before ?? zero();
  return {
    revenue: a.revenue,
    revenueLastYear: b.revenue,
    revenueChangePercent: change(a.revenue, b.revenue),
    grossProfit: a.grossProfit,
    grossProfitLastYear: b.grossProfit,
    grossMarginPercent: pct(a.grossProfit, a.revenue),
    quantity: a.quantity,
    quantityLastYear: b.quantity,
    orders: a.orders,
    ordersLastYear: b.orders,
  };
}

function dimensionRows(key: (booking: Booking) => string | undefined, product = false) {
  const now = figuresBy(MONTH, key, product);
  const before = figuresBy(LAST_YEAR, key, product);
  const active = (figures: Figures | undefined) => figures !== undefined && (figures.revenue !== 0 || figures.cost !== 0 || figures.quantity !== 0 || figures.orders !== 0);
  const ids = [...new Set([...now.keys(), ...before.keys()])].filter((id) => active(now.get(id)) || active(before.get(id)));
  return { ids, now, before, cells: (id: string) => figureCells(now.get(id), before.get(id)) };
}

const byRevenueThen = (key: string) => (a: Record<string, unknown>, b: Record<string, unknown>) => Number(b.revenue) - Number(a.revenue) || (String(a[key]) < String(b[key]) ? -1 : 1);

function tableRows(id: string) {
  const found = section.tables.find((table) => table.id === id);
  if (!found) throw new Error(`no table ${id}`);
  return found.rows;
}

/** Part `index` of 3 of a quarter's integer target, the remainder on the last months. */
function thirdOf(total: number, index: number): number {
  const base = Math.floor(total / 3);
  return base + (index >= 3 - (total - base * 3) ? 1 : 0);
}

function rebate(revenue: number, target: number): { percent: number | null; amount: number } {
  const tiers = [
    { at: 100, percent: 2 },
    { at: 120, percent: 3.5 },
  ];
  let reached: (typeof tiers)[number] | undefined;
  for (const tier of tiers) if (revenue * 100 >= target * tier.at) reached = tier;
  if (!reached || revenue <= 0) return { percent: reached?.percent ?? null, amount: 0 };
  // revenue × percent / 100, half up, exactly (percent has at most one decimal here).
  const scaled = BigInt(revenue) * BigInt(Math.round(reached.percent * 10));
  return { percent: reached.percent, amount: Number((scaled * 2n + 1000n) / 2000n) };
}

// ---- the tests --------------------------------------------------------------------------------

describe('reports: the sales section', () => {
  beforeAll(async () => {
    world = await seedCompany();
    orders = await Promise.all(world.orders.map((id) => getOrder(id)));
    section = await buildSalesSection(reportInput());
  }, 240_000);

  it('headline figures equal a recomputation from the orders, against the same month last year', () => {
    const total = (month: string) => ({ ...(figuresBy(month, () => 'ALL').get('ALL') ?? zero()), ...customerCounts(month) });
    const now = total(MONTH);
    const before = total(LAST_YEAR);
    expect(now.revenue).toBeGreaterThan(0);
    expect(before.revenue).toBeGreaterThan(0);
    expect(section).toMatchObject({ section: 'sales', month: MONTH, title: 'Sales', currency: 'CNY' });
    const figure = (id: string) => section.figures.find((candidate) => candidate.id === id);
    const expectFigure = (id: string, value: number | null, compareValue: number | null) => expect(figure(id)).toMatchObject({ value, compareValue, compareWith: 'same month last year' });
    expectFigure('revenue', now.revenue, before.revenue);
    expectFigure('gross-profit', now.grossProfit, before.grossProfit);
    expectFigure('gross-margin', pct(now.grossProfit, now.revenue), pct(before.grossProfit, before.revenue));
    expectFigure('quantity', now.quantity, before.quantity);
    expectFigure('orders', now.orders, before.orders);
    expectFigure('new-customers', now.newCustomers, before.newCustomers);
    expectFigure('repeat-customers', now.repeatCustomers, before.repeatCustomers);
    expect(now.repeatCustomers).toBeGreaterThan(0);
    // The dataset exercises what the figures must get right: returns, split shipments, no-cost products.
    expect(bookings().some((booking) => booking.month === MONTH && booking.quantity < 0)).toBe(true);
    expect(orders.some((order) => order.shipments.length > 1 && shanghaiMonth(order.shipments[0]?.shippedAt as string) === MONTH)).toBe(true);
  });

  it('per product, channel and partner, to the unit', () => {
    const products = dimensionRows((booking) => booking.productId, true);
    const catalog = new Map(world.products.map((product) => [product.id, product]));
    const expectedProducts = products.ids
      .map((id) => ({ sku: catalog.get(id)?.sku, name: catalog.get(id)?.name, category: catalog.get(id)?.category, ...products.cells(id) }))
      .sort(byRevenueThen('sku'));
    expect(tableRows('products')).toEqual(expectedProducts);

    const channels = dimensionRows((booking) => booking.order.channelId);
    const channelNames = new Map(world.channels.map((channel) => [channel.id, channel.name]));
    expect(tableRows('channels')).toEqual(channels.ids.map((id) => ({ channelId: id, name: channelNames.get(id), ...channels.cells(id) })).sort(byRevenueThen('channelId')));

    const partners = dimensionRows((booking) => booking.order.partnerId);
    expect(partners.ids).toEqual([world.partner.id]);
    expect(tableRows('partners')).toEqual([{ partnerId: world.partner.id, name: world.partner.name, ...partners.cells(world.partner.id) }]);
  });

  it('per rep and region, against the targets that stand for the month', () => {
    const reps = dimensionRows((booking) => booking.order.repId);
    const newByRep = new Map<string, number>();
    // A new customer counts for the rep and region of the order that first shipped to them.
    const firstShipments = new Map<string, { at: string; order: Order }>();
    for (const order of orders) {
      for (const shipment of order.shipments) {
        const known = firstShipments.get(order.customerId);
        if (!known || shipment.shippedAt < known.at) firstShipments.set(order.customerId, { at: shipment.shippedAt, order });
      }
    }
    const newByRegion = new Map<string, number>();
    for (const { at, order } of firstShipments.values()) {
      if (shanghaiMonth(at) !== MONTH) continue;
      if (order.repId) newByRep.set(order.repId, (newByRep.get(order.repId) ?? 0) + 1);
      newByRegion.set(order.region, (newByRegion.get(order.region) ?? 0) + 1);
    }
    const repNames = new Map(world.reps.map((rep) => [rep.id, rep.name]));
    const targetRep = world.reps[0]?.id as string;
    const repIds = [...new Set([...reps.ids, targetRep])];
    const expectedReps = repIds
      .map((id) => {
        const actual = reps.now.get(id) ?? zero();
        const newCustomers = newByRep.get(id) ?? 0;
        const target =
          id === targetRep
            ? { targetBasis: 'exact', revenueTarget: 300_001, revenueAttainmentPercent: pct(actual.revenue, 300_001), grossProfitTarget: 90_000, grossProfitAttainmentPercent: pct(actual.grossProfit, 90_000), newCustomersTarget: 3, newCustomersAttainmentPercent: pct(newCustomers, 3) }
            : { targetBasis: 'none', revenueTarget: null, revenueAttainmentPercent: null, grossProfitTarget: null, grossProfitAttainmentPercent: null, newCustomersTarget: null, newCustomersAttainmentPercent: null };
        return { repId: id, name: repNames.get(id), ...reps.cells(id), newCustomers, ...target };
      })
      .sort(byRevenueThen('repId'));
    expect(tableRows('reps')).toEqual(expectedReps);

    const regions = dimensionRows((booking) => booking.order.region);
    const regionIds = [...new Set([...regions.ids, 'east-china'])];
    const expectedRegions = regionIds
      .map((id) => {
        const actual = regions.now.get(id) ?? zero();
        const newCustomers = newByRegion.get(id) ?? 0;
        const revenueTarget = thirdOf(1_000_000, 0);
        const grossProfitTarget = thirdOf(300_002, 0);
        const newCustomersTarget = thirdOf(7, 0);
        const target =
          id === 'east-china'
            ? { targetBasis: 'quarter-pro-rata', revenueTarget, revenueAttainmentPercent: pct(actual.revenue, revenueTarget), grossProfitTarget, grossProfitAttainmentPercent: pct(actual.grossProfit, grossProfitTarget), newCustomersTarget, newCustomersAttainmentPercent: pct(newCustomers, newCustomersTarget) }
            : { targetBasis: 'none', revenueTarget: null, revenueAttainmentPercent: null, grossProfitTarget: null, grossProfitAttainmentPercent: null, newCustomersTarget: null, newCustomersAttainmentPercent: null };
        return { region: id, ...regions.cells(id), newCustomers, ...target };
      })
      .sort(byRevenueThen('region'));
    expect(tableRows('regions')).toEqual(expectedRegions);
  });

  it('ranks the top 10 customers of the month by revenue net of returns', () => {
    const byCustomer = figuresBy(MONTH, (booking) => booking.order.customerId);
    const total = figuresBy(MONTH, () => 'ALL').get('ALL') ?? zero();
    const names = new Map(world.customers.map((customer) => [customer.id, customer.name]));
    const expected = [...byCustomer.entries()]
      .filter(([, figures]) => figures.revenue > 0)
      .sort(([a, x], [b, y]) => y.revenue - x.revenue || (a < b ? -1 : 1))
      .slice(0, 10)
      .map(([id, figures], index) => ({
        rank: index + 1,
        customerId: id,
        name: names.get(id),
        revenue: figures.revenue,
        revenueSharePercent: pct(figures.revenue, total.revenue),
        grossProfit: figures.grossProfit,
        quantity: figures.quantity,
        orders: figures.orders,
      }));
    expect(byCustomer.size).toBeGreaterThan(10);
    expect(tableRows('top-customers')).toEqual(expected);
  });

  it('puts a shipment at 23:30 on 31 October (Shanghai) in October, and one at 00:30 on 1 November in November', async () => {
    const top = tableRows('top-customers');
    const lateNight = orders.find((order) => order.customerId === world.boundary.october) as Order;
    expect(lateNight.shipments[0]?.shippedAt).toBe('2026-10-31T15:30:00.000Z');
    expect(top[0]).toMatchObject({ customerId: world.boundary.october, revenue: lateNight.total });
    expect(top.some((row) => row.customerId === world.boundary.november)).toBe(false);

    const november = await buildSalesSection({ ...reportInput(), month: '2026-11' });
    const earlyBird = orders.find((order) => order.customerId === world.boundary.november) as Order;
    expect(earlyBird.shipments[0]?.shippedAt).toBe('2026-10-31T16:30:00.000Z');
    expect(november.tables.find((table) => table.id === 'top-customers')?.rows.find((row) => row.customerId === world.boundary.november)).toMatchObject({ revenue: earlyBird.total });
  });

  it('partners against their agreement targets: the month final, quarter and year to date', () => {
    const partnerRevenue = (months: string[]) => months.reduce((sum, month) => sum + (figuresBy(month, (booking) => booking.order.partnerId).get(world.partner.id)?.revenue ?? 0), 0);
    const rows = [
      { period: '2026-10', target: 400_000, months: ['2026-10'], status: 'final' },
      { period: '2026-Q4', target: 2_000_000, months: ['2026-10'], status: 'to date' },
      { period: '2026', target: 9_000_000, months: ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10'], status: 'to date' },
    ].map(({ period, target, months, status }) => {
      const revenue = partnerRevenue(months);
      const owed = rebate(revenue, target);
      return { partnerId: world.partner.id, name: world.partner.name, period, revenue, target, attainmentPercent: pct(revenue, target), rebatePercent: owed.percent, rebate: owed.amount, rebateStatus: status };
    });
    expect(rows.some((row) => row.rebate > 0)).toBe(true);
    expect(tableRows('partner-targets')).toEqual(rows);
  });

  it('forecasts the next three months per product from its monthly units up to the month', () => {
    const months: string[] = [];
    // Every month from the launch (January 2025) to the reported month: 22 months.
    for (let index = 0; index < 22; index++) months.push(`${2025 + Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`);
    expect(months.at(-1)).toBe(MONTH);
    const expected = reportInput().products.map((product) => {
      const history = months.map((month) => Math.max(0, figuresBy(month, (booking) => booking.productId).get(product.id)?.quantity ?? 0));
      const result = forecastDemand(history, 3);
      const round = (value: number) => Math.round(value * 10) / 10;
      return {
        sku: product.sku,
        name: product.name,
        method: result.method,
        month1: round(result.points[0]?.value ?? 0),
        month2: round(result.points[1]?.value ?? 0),
        month3: round(result.points[2]?.value ?? 0),
        total: round(result.points.reduce((sum, point) => sum + point.value, 0)),
      };
    });
    expect(tableRows('forecast')).toEqual(expected);
    expect(section.tables.find((table) => table.id === 'forecast')?.columns.map((column) => column.label).slice(3, 6)).toEqual(['Units 2026-11', 'Units 2026-12', 'Units 2027-01']);
  });

  it('is deterministic: building again gives the same bytes', async () => {
    expect(JSON.stringify(await buildSalesSection(reportInput()))).toBe(JSON.stringify(section));
  });
});
