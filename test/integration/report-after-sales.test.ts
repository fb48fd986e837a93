import { beforeAll, describe, expect, it } from 'vitest';
import { getProduct } from '../../lib/catalog/service';
import { DEFAULT_SETTINGS } from '../../lib/organization/defaults';
import { divideRoundHalfUp } from '../../lib/platform/exact';
import type { Role } from '../../lib/platform/roles';
import type { ReportInput, ReportProduct, ReportSection } from '../../lib/reports/model';
import { percent1, perThousand1, ratio1 } from '../../lib/reports/numbers';
import { buildAfterSalesSection } from '../../lib/reports/sections/after-sales';
import { confirmOrder, createOrder, shipOrder } from '../../lib/sales/orders';
import { PRIORITIES, REQUEST_CATEGORIES, ROOT_CAUSES, serviceRequestCreate, type Measure, type Priority } from '../../lib/service/requests/schema';
import {
  acknowledgeServiceRequest,
  assignServiceRequest,
  createServiceRequest,
  recordInvestigation,
  recordServiceFeedback,
  reopenServiceRequest,
  resolveServiceRequest,
} from '../../lib/service/requests/service';
import { aComplaint, anActor, fixedClock, testContext } from '../support/factories';
import { seeded } from '../support/random';
import { aSalesWorld, seller, type SalesWorld } from '../support/sales';

/**
 * The after-sales section against a brute-force recomputation: a seeded set of orders and
 * complaint lifecycles is driven through the real services with pinned clocks, every event is
 * logged by the test, and each figure is recomputed from that log alone (months in Shanghai,
 * UTC+8 all year, taken by plain offset arithmetic — not through lib/platform/time.ts).
 */
const MONTH = '2026-10';
const PREVIOUS = '2026-09';
const admin = anActor(['admin']);
const at = (iso: string) => testContext(fixedClock(iso));
const shanghaiMonth = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 7);
const plusMinutes = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();
const DEPARTMENTS: Role[] = ['rnd', 'production', 'procurement', 'service', 'sales'];

interface Figures {
  received: number;
  resolved: number;
  reopened: number;
  frMet: number;
  frBreached: number;
  frMinutes: number;
  frCount: number;
  resMet: number;
  resBreached: number;
  resMinutes: number;
  resCount: number;
  satSum: number;
  satCount: number;
  compensation: number;
  refunds: number;
}
const zero = (): Figures => ({ received: 0, resolved: 0, reopened: 0, frMet: 0, frBreached: 0, frMinutes: 0, frCount: 0, resMet: 0, resBreached: 0, resMinutes: 0, resCount: 0, satSum: 0, satCount: 0, compensation: 0, refunds: 0 });
type Dimension = 'product' | 'category' | 'rootCause' | 'department';

/** figures[dimension][month][id], as the brute force books them. */
const booked = new Map<string, Figures>();
function book(dimension: Dimension, month: string, id: string, delta: Partial<Figures>): void {
  const key = `${dimension}|${month}|${id}`;
  const figures = booked.get(key) ?? zero();
  for (const [name, value] of Object.entries(delta) as Array<[keyof Figures, number]>) figures[name] += value;
  booked.set(key, figures);
}
function groupOf(dimension: Dimension, month: string): Map<string, Figures> {
  const rows = new Map<string, Figures>();
  for (const [key, figures] of booked) {
    const [d, m, id] = key.split('|') as [string, string, string];
    if (d === dimension && m === month) rows.set(id, figures);
  }
  return rows;
}

/** units[month][productId], from the shipments the test made. */
const units = new Map<string, number>();
let world: SalesWorld;
let input: ReportInput;
let boundaryProduct: string;

async function ship(productId: string, quantity: number, when: string): Promise<void> {
  const order = await createOrder(at(when), seller, { customerId: world.customerId, channelId: world.channelId, lines: [{ productId, warehouseId: world.warehouseId, quantity, discountPercent: 0 }] });
  await confirmOrder(at(when), seller, order.id);
  await shipOrder(at(when), seller, order.id, {});
  const key = `${shanghaiMonth(when)}|${productId}`;
  units.set(key, (units.get(key) ?? 0) + quantity);
}

interface ComplaintPlan {
  receivedAt: string;
  productId: string | undefined;
  category: (typeof REQUEST_CATEGORIES)[number];
  priority: Priority;
  /** Lifecycle choices, drawn up front from the seed so the run does not depend on timing. */
  draw: () => number;
}

/** Runs one complaint's lifecycle through the services and books each event as the rules say. */
async function live(plan: ComplaintPlan): Promise<void> {
  const { draw } = plan;
  const chance = (p: number) => draw() < p;
  const between = (low: number, high: number) => low + Math.floor(draw() * (high - low + 1));
  const hours = DEFAULT_SETTINGS.slaHours[plan.priority];
  const request = await createServiceRequest(
    at(plan.receivedAt),
    admin,
    serviceRequestCreate.parse(aComplaint({ receivedAt: plan.receivedAt, category: plan.category, priority: plan.priority, ...(plan.productId ? { productId: plan.productId } : {}) })),
  );
  const id = request.id;
  let department: string | undefined;
  let rootCause: string | undefined;
  let resolutionStart = plan.receivedAt;
  let now = plan.receivedAt;
  const bookNow = (delta: Partial<Figures>) => {
    const month = shanghaiMonth(now);
    book('product', month, plan.productId ?? 'none', delta);
    book('category', month, plan.category, delta);
    book('rootCause', month, rootCause ?? 'undetermined', delta);
    book('department', month, department ?? 'unassigned', delta);
  };
  const minutesSince = (from: string) => Math.round((Date.parse(now) - Date.parse(from)) / 60_000);
  const within = (from: string, limitHours: number) => Date.parse(now) <= Date.parse(from) + limitHours * 3_600_000;

  const assign = async () => {
    const choices = DEPARTMENTS.filter((one) => one !== department);
    department = choices[between(0, choices.length - 1)] as Role;
    now = plusMinutes(now, between(1, 90));
    await assignServiceRequest(at(now), admin, id, { department: department as Role });
  };
  const investigate = async (round: number) => {
    rootCause = ROOT_CAUSES[between(0, ROOT_CAUSES.length - 1)] as string;
    now = plusMinutes(now, between(10, 600));
    await recordInvestigation(at(now), admin, id, { findings: `Findings, round ${round}.`, rootCause: { category: rootCause as (typeof ROOT_CAUSES)[number], text: 'Found.' } });
  };
  const resolve = async () => {
    now = plusMinutes(now, between(30, 4_000));
    const measures: Measure[] = [{ kind: 'fix', description: 'Replaced the keypad.' }];
    let refunds = 0;
    let compensation = 0;
    if (chance(0.4)) measures.push({ kind: 'refund', amount: { amount: (refunds = between(1, 500) * 100), currency: 'CNY' } });
    if (chance(0.3)) measures.push({ kind: 'compensation', amount: { amount: (compensation = between(1, 300) * 100), currency: 'CNY' } });
    await resolveServiceRequest(at(now), admin, id, { measures, customerAgreed: true });
    const met = within(resolutionStart, hours.resolutionHours);
    bookNow({ resolved: 1, resMet: met ? 1 : 0, resBreached: met ? 0 : 1, resMinutes: minutesSince(resolutionStart), resCount: 1, refunds, compensation });
  };

  if (chance(0.9)) {
    now = plusMinutes(now, between(5, 600));
    await acknowledgeServiceRequest(at(now), admin, id, {});
    const met = within(plan.receivedAt, hours.firstResponseHours);
    bookNow({ frMet: met ? 1 : 0, frBreached: met ? 0 : 1, frMinutes: minutesSince(plan.receivedAt), frCount: 1 });
    if (chance(0.9)) {
      await assign();
      if (chance(0.85)) {
        await investigate(1);
        if (chance(0.85)) {
          await resolve();
          if (chance(0.7)) {
            now = plusMinutes(now, between(30, 3_000));
            const satisfaction = between(1, 5);
            await recordServiceFeedback(at(now), admin, id, { satisfaction });
            bookNow({ satSum: satisfaction, satCount: 1 });
          }
          if (chance(0.25)) {
            now = plusMinutes(now, between(60, 3_000));
            await reopenServiceRequest(at(now), admin, id, { reason: 'It failed again.' });
            bookNow({ reopened: 1 });
            resolutionStart = now;
            if (chance(0.5)) await assign();
            if (chance(0.5)) await investigate(2);
            if (chance(0.7)) await resolve();
          }
        }
      }
    }
  } else if (chance(0.5)) {
    await assign();
  }
  // `received` counts in the month of receipt under the department and root cause it has now.
  const month = shanghaiMonth(plan.receivedAt);
  book('product', month, plan.productId ?? 'none', { received: 1 });
  book('category', month, plan.category, { received: 1 });
  book('rootCause', month, rootCause ?? 'undetermined', { received: 1 });
  book('department', month, department ?? 'unassigned', { received: 1 });
}

beforeAll(async () => {
  const next = seeded(7_2026);
  const between = (low: number, high: number) => low + Math.floor(next() * (high - low + 1));
  world = await aSalesWorld({ stock: Array.from({ length: 7 }, () => 5_000) });
  const products = world.products.slice(0, 6);
  boundaryProduct = world.products[6] as string;

  // Sales: 1–3 shipments a product a month, the last product sells nothing in September.
  const shipments: Array<[string, number, string]> = [];
  for (const [index, productId] of products.entries()) {
    for (const month of [PREVIOUS, MONTH]) {
      if (index === 5 && month === PREVIOUS) continue;
      for (let count = between(1, 3); count > 0; count--) {
        const local = `${month}-${String(between(1, 28)).padStart(2, '0')}T${String(between(0, 23)).padStart(2, '0')}:${String(between(0, 59)).padStart(2, '0')}:00+08:00`;
        shipments.push([productId, between(1, 40), new Date(local).toISOString()]);
      }
    }
  }
  // The month boundary, Shanghai time: 00:30 on 1 October and 23:30 on 31 October are October; 00:30 on 1 November is not.
  shipments.push([boundaryProduct, 10, '2026-09-25T04:00:00Z'], [boundaryProduct, 7, '2026-09-30T16:30:00Z'], [boundaryProduct, 5, '2026-10-31T15:30:00Z'], [boundaryProduct, 11, '2026-10-31T16:30:00Z']);
  for (let start = 0; start < shipments.length; start += 6) await Promise.all(shipments.slice(start, start + 6).map(([productId, quantity, when]) => ship(productId, quantity, when)));

  // Complaints received from mid-September to early November, some with no product.
  const plans: ComplaintPlan[] = Array.from({ length: 40 }, () => {
    const receivedAt = new Date(Date.parse('2026-09-12T00:00:00Z') + between(0, 52 * 24 * 60) * 60_000).toISOString();
    const seed = between(1, 2 ** 30);
    return {
      receivedAt,
      productId: next() < 0.1 ? undefined : products[between(0, products.length - 1)],
      category: REQUEST_CATEGORIES[between(0, REQUEST_CATEGORIES.length - 1)] as ComplaintPlan['category'],
      priority: PRIORITIES[between(0, PRIORITIES.length - 1)] as Priority,
      draw: seeded(seed),
    };
  });
  for (const receivedAt of ['2026-09-30T16:30:00Z', '2026-10-31T15:30:00Z', '2026-10-31T16:30:00Z']) {
    plans.push({ receivedAt, productId: boundaryProduct, category: 'quality', priority: 'normal', draw: () => 0.99 });
  }
  for (let start = 0; start < plans.length; start += 8) await Promise.all(plans.slice(start, start + 8).map(live));

  const catalog: ReportProduct[] = await Promise.all(
    world.products.map(async (id) => {
      const product = await getProduct(id);
      return { id, sku: product.sku, name: product.name, category: product.category, ownerDepartment: product.ownerDepartment };
    }),
  );
  input = { month: MONTH, timeZone: 'Asia/Shanghai', currency: 'CNY', products: catalog.sort((a, b) => (a.sku < b.sku ? -1 : 1)) };
}, 180_000);

// ---- the brute force's presentation (same rounding rules as the section: one decimal, half up) ----

function metricsOf(f: Figures) {
  return {
    received: f.received,
    resolved: f.resolved,
    reopened: f.reopened,
    firstResponseSla: percent1(f.frMet, f.frMet + f.frBreached),
    resolutionSla: percent1(f.resMet, f.resMet + f.resBreached),
    firstResponseHours: ratio1(f.frMinutes, f.frCount * 60),
    resolutionHours: ratio1(f.resMinutes, f.resCount * 60),
    satisfaction: ratio1(f.satSum, f.satCount),
    compensation: f.compensation,
    refunds: f.refunds,
  };
}
const anyFigure = (f: Figures) => Object.values(f).some((value) => value !== 0);
function totalOf(month: string): Figures {
  const total = zero();
  for (const figures of groupOf('category', month).values()) for (const name of Object.keys(total) as Array<keyof Figures>) total[name] += figures[name];
  return total;
}
const table = (section: ReportSection, id: string) => section.tables.find((one) => one.id === id);

describe('report: after-sales', () => {
  let section: ReportSection;
  beforeAll(async () => {
    section = await buildAfterSalesSection(input);
  });

  it('names its section and tables', () => {
    expect([section.section, section.month, section.title, section.currency]).toEqual(['after-sales', MONTH, 'After-sales service', 'CNY']);
    expect(section.tables.map((one) => one.id)).toEqual(['by-product', 'by-category', 'by-root-cause', 'by-department', 'sla', 'complaint-rate-rise']);
  });

  it('gives the month’s totals, against the previous month, equal to the recomputation', () => {
    const now = metricsOf(totalOf(MONTH));
    const before = metricsOf(totalOf(PREVIOUS));
    const keys: Record<string, keyof typeof now> = {
      received: 'received',
      resolved: 'resolved',
      reopened: 'reopened',
      'first-response-sla': 'firstResponseSla',
      'resolution-sla': 'resolutionSla',
      'first-response-hours': 'firstResponseHours',
      'resolution-hours': 'resolutionHours',
      satisfaction: 'satisfaction',
      compensation: 'compensation',
      refunds: 'refunds',
    };
    expect(section.figures.map((figure) => [figure.id, figure.value, figure.compareValue])).toEqual(Object.entries(keys).map(([id, key]) => [id, now[key], before[key]]));
    // The dataset exercises what it claims to: breaches, reopenings, money, satisfaction.
    const total = totalOf(MONTH);
    expect(total.frBreached * total.frMet * total.resBreached * total.resMet * total.reopened * total.refunds * total.satCount).toBeGreaterThan(0);
  });

  it('groups by product, category, root cause and department exactly as the recomputation', () => {
    const skuOf = new Map(input.products.map((product) => [product.id, product]));
    const productRows = [...groupOf('product', MONTH)]
      .filter(([, f]) => anyFigure(f))
      .map(([id, f]) => ({ sku: id === 'none' ? null : (skuOf.get(id)?.sku ?? id), name: id === 'none' ? 'No product named' : (skuOf.get(id)?.name ?? null), ...metricsOf(f) }))
      .sort((a, b) => b.received - a.received || (a.sku === null ? 1 : b.sku === null ? -1 : a.sku < b.sku ? -1 : 1));
    expect(table(section, 'by-product')?.rows).toEqual(productRows);
    for (const [id, dimension, key] of [
      ['by-category', 'category', 'category'],
      ['by-root-cause', 'rootCause', 'rootCause'],
      ['by-department', 'department', 'department'],
    ] as const) {
      const rows = [...groupOf(dimension, MONTH)]
        .filter(([, f]) => anyFigure(f))
        .sort(([a, fa], [b, fb]) => fb.received - fa.received || (a < b ? -1 : 1))
        .map(([value, f]) => ({ [key]: value, ...metricsOf(f) }));
      expect(table(section, id)?.rows).toEqual(rows);
    }
  });

  it('states SLA compliance with its counts', () => {
    const total = totalOf(MONTH);
    expect(table(section, 'sla')?.rows).toEqual([
      { measure: 'first-response', met: total.frMet, breached: total.frBreached, compliance: percent1(total.frMet, total.frMet + total.frBreached), averageHours: ratio1(total.frMinutes, total.frCount * 60) },
      { measure: 'resolution', met: total.resMet, breached: total.resBreached, compliance: percent1(total.resMet, total.resMet + total.resBreached), averageHours: ratio1(total.resMinutes, total.resCount * 60) },
    ]);
  });

  it('ranks the 5 largest rises in complaints per 1,000 units sold, exactly', () => {
    const complaints = (month: string, id: string) => groupOf('product', month).get(id)?.received ?? 0;
    const candidates = input.products.flatMap((product) => {
      const [c1, c0] = [complaints(MONTH, product.id), complaints(PREVIOUS, product.id)];
      const [u1, u0] = [units.get(`${MONTH}|${product.id}`) ?? 0, units.get(`${PREVIOUS}|${product.id}`) ?? 0];
      if (u1 <= 0 || u0 <= 0) return [];
      // rise per unit = c1/u1 − c0/u0, as one fraction
      const numerator = BigInt(c1 * u0 - c0 * u1);
      const denominator = BigInt(u1 * u0);
      return numerator > 0n ? [{ product, c1, c0, u1, u0, numerator, denominator }] : [];
    });
    candidates.sort((a, b) => Number(b.numerator * a.denominator - a.numerator * b.denominator) || (a.product.sku < b.product.sku ? -1 : 1));
    const expected = candidates.slice(0, 5).map(({ product, c1, c0, u1, u0, numerator, denominator }) => ({
      sku: product.sku,
      name: product.name,
      complaints: c1,
      unitsSold: u1,
      rate: perThousand1(c1, u1),
      previousComplaints: c0,
      previousUnitsSold: u0,
      previousRate: perThousand1(c0, u0),
      rise: Number(divideRoundHalfUp(numerator * 10_000n, denominator)) / 10,
    }));
    expect(expected.length).toBeGreaterThan(0);
    expect(table(section, 'complaint-rate-rise')?.rows).toEqual(expected);
  });

  it('puts 23:30 on 31 October and 00:30 on 1 October (Shanghai) in October, and 00:30 on 1 November in November', () => {
    const sku = input.products.find((product) => product.id === boundaryProduct)?.sku;
    expect(table(section, 'by-product')?.rows.find((row) => row.sku === sku)).toMatchObject({ received: 2 });
    const rise = table(section, 'complaint-rate-rise')?.rows.find((row) => row.sku === sku);
    // 2 complaints over 7 + 5 units in October, none over 10 units in September.
    expect(rise).toMatchObject({ complaints: 2, unitsSold: 12, rate: 166.7, previousComplaints: 0, previousUnitsSold: 10, previousRate: 0, rise: 166.7 });
  });

  it('builds the same bytes from the same data', async () => {
    expect(JSON.stringify(await buildAfterSalesSection(input))).toBe(JSON.stringify(section));
  });
});
