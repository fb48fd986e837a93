import { performance } from 'node:perf_hooks';
import { CLOCK_HEADER } from '../infra/local/http-server';
import { findJob, runJobOn } from '../infra/local/job';
import { loadOrCreateSigningKey, mintToken } from '../infra/local/jwt';
import { defaultDataDir, isMain } from '../infra/local/paths';
import { findRunningStack } from '../infra/local/state-file';
import { ROLES } from '../lib/platform/roles';
import {
  CHANNELS,
  COMPETITORS,
  DEPARTMENT_HEADS,
  MAIL_DOMAIN,
  PARTNERS,
  PRODUCTS,
  REGIONS,
  REPS,
  SKU_PREFIX,
  SLA_HOURS,
  WAREHOUSES,
  addMonths,
  daysIn,
  headEmail,
  localDay,
  localInstant,
  planCompany,
  warehouseFor,
  type DemoComplaint,
  type DemoCustomer,
  type DemoOrder,
  type DemoPlan,
} from './demo/company';

/**
 * `npm run demo`: loads a believable company into the running `npm start` through its public
 * HTTP API only, then runs the monthly analysis for every loaded month. History is booked in past
 * months with the local-only `x-postlaunch-clock` header (see docs/local-stack.md). Safe to run
 * twice: with the demo already loaded it only re-runs the (idempotent) monthly jobs.
 */

const COMPANY_NAME = 'Demo Smart Home Co.';
const CONCURRENCY = 6;

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any -- API replies are read field by field

class Api {
  requests = 0;
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async call(method: string, path: string, options: { body?: unknown; at?: Date } = {}): Promise<Json> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}` };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.at) headers[CLOCK_HEADER] = options.at.toISOString();
    this.requests++;
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}${options.at ? ` at ${options.at.toISOString()}` : ''} → ${response.status}: ${text.slice(0, 600)}`);
    return text ? (JSON.parse(text) as Json) : undefined;
  }
}

/** Runs `tasks` with at most `limit` in flight; the first failure stops new ones and is thrown. */
async function pool<T>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: unknown;
  const worker = async () => {
    while (failure === undefined && next < items.length) {
      const index = next++;
      try {
        await task(items[index] as T, index);
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== undefined) throw failure;
}

/**
 * A timed step of the history. Steps start in time order, `CONCURRENCY` at a time, so the
 * stock levels see their movements (nearly) in the order of their pinned instants; a step
 * waits for the steps it `needs` (an order's shipment needs the order), and a `barrier`
 * (month-start receipts, stocktakes) runs alone.
 */
interface Step {
  at: Date;
  key: string;
  needs?: string[];
  barrier?: boolean;
  run(): Promise<void>;
}

async function runTimeline(steps: Step[]): Promise<void> {
  const ordered = steps.map((step, index) => ({ step, index })).sort((a, b) => a.step.at.getTime() - b.step.at.getTime() || a.index - b.index);
  const done = new Map<string, Promise<void>>();
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  for (const { step } of ordered) {
    if (failure !== undefined) break;
    if (step.barrier) await Promise.allSettled(inFlight);
    while (inFlight.size >= CONCURRENCY) await Promise.race(inFlight);
    const needs = (step.needs ?? []).map((key) => {
      const needed = done.get(key);
      if (!needed) throw new Error(`step ${step.key} needs ${key}, which is not scheduled before it`);
      return needed;
    });
    const running = (async () => {
      await Promise.all(needs);
      await step.run();
    })();
    const settled = running.catch((error: unknown) => {
      failure ??= error;
    });
    done.set(step.key, running);
    inFlight.add(settled);
    void settled.finally(() => inFlight.delete(settled));
    if (step.barrier) await settled;
  }
  await Promise.allSettled(inFlight);
  if (failure !== undefined) throw failure;
}

const minutes = (instant: Date, count: number) => new Date(instant.getTime() + count * 60_000);

interface Ids {
  currency: string;
  products: string[];
  warehouses: string[];
  reps: string[];
  partners: string[];
  channels: string[];
  customers: string[];
  competitors: string[];
  orders: Map<string, string>;
  invoices: Map<string, { id: string; gross: number }>;
}

async function loadSetup(api: Api, plan: DemoPlan, at: Date): Promise<Ids> {
  const settings = await api.call('GET', '/settings');
  const currency = settings.currency as string;
  const money = (amount: number) => ({ amount, currency });
  await api.call('PUT', '/settings', {
    at,
    body: { companyName: settings.companyName, timeZone: settings.timeZone, currency, slaHours: SLA_HOURS, closeAfterDaysWithoutFeedback: settings.closeAfterDaysWithoutFeedback },
  });

  const ids: Ids = { currency, products: [], warehouses: [], reps: [], partners: [], channels: [], customers: [], competitors: [], orders: new Map(), invoices: new Map() };
  await pool(WAREHOUSES, CONCURRENCY, async (warehouse, index) => {
    const created = await api.call('POST', '/warehouses', { at, body: { code: warehouse.code, name: warehouse.name, address: { line1: `${index + 1} Logistics Park Road`, city: warehouse.city, country: 'CN' } } });
    ids.warehouses[index] = created.id;
  });
  await pool(PRODUCTS, CONCURRENCY, async (item, index) => {
    const created = await api.call('POST', '/products', {
      at,
      body: {
        sku: item.sku,
        name: item.name,
        category: item.category,
        launchDate: `2024-${String((index % 9) + 1).padStart(2, '0')}-01`,
        listPrice: money(item.price),
        standardCost: money(item.cost),
        warrantyMonths: item.warrantyMonths,
        ownerDepartment: item.ownerDepartment,
      },
    });
    ids.products[index] = created.id;
  });
  await pool(COMPETITORS, CONCURRENCY, async (competitor, index) => {
    const created = await api.call('POST', '/competitors', { at, body: { name: competitor.name, strengths: [...competitor.strengths], weaknesses: [...competitor.weaknesses], products: [] } });
    ids.competitors[index] = created.id;
  });
  await pool(plan.thresholds, CONCURRENCY, async (thresholds, level) => {
    const product = ids.products[Math.floor(level / WAREHOUSES.length)];
    const warehouse = ids.warehouses[level % WAREHOUSES.length];
    await api.call('PUT', `/stock/${product}/${warehouse}/thresholds`, { at, body: thresholds });
  });
  await pool(REPS, CONCURRENCY, async (rep, index) => {
    const created = await api.call('POST', '/sales-reps', { at, body: { userId: rep.userId, name: rep.name, email: `${rep.userId}@${MAIL_DOMAIN}`, region: rep.region, hiredOn: '2023-03-01', active: true } });
    ids.reps[index] = created.id;
  });
  const targets = plan.months.flatMap((month) => [
    ...REPS.map((rep, index) => ({ path: `/sales-targets/rep/${ids.reps[index]}/${month}`, revenue: rep.monthlyTarget })),
    ...REGIONS.map((region) => ({ path: `/sales-targets/region/${region}/${month}`, revenue: REPS.filter((rep) => rep.region === region).reduce((sum, rep) => sum + rep.monthlyTarget, 0) })),
  ]);
  await pool(targets, CONCURRENCY, async (target) => {
    await api.call('PUT', target.path, { at, body: { revenue: money(target.revenue), grossProfit: money(Math.round(target.revenue * 0.38)), newCustomers: 3 } });
  });
  const first = plan.months[0] as string;
  const last = plan.months[plan.months.length - 1] as string;
  await pool(PARTNERS, CONCURRENCY, async (partner, index) => {
    const created = await api.call('POST', '/partners', {
      at,
      body: {
        name: partner.name,
        kind: partner.kind,
        regions: partner.regions,
        contact: { name: partner.contact, role: 'channel manager', phone: `+86 21 5555 01${10 + index}`, email: `partner-${index + 1}@${MAIL_DOMAIN}` },
        status: 'active',
      },
    });
    ids.partners[index] = created.id;
    await api.call('POST', `/partners/${created.id}/agreements`, {
      at,
      body: {
        period: { from: `${addMonths(first, -1)}-01`, to: `${addMonths(last, 14).slice(0, 4)}-12-31` },
        regions: partner.regions,
        pricing: { kind: 'discount', percent: partner.discountPercent },
        targets: plan.months.map((month) => ({ period: month, revenue: money(partner.monthlyTarget) })),
        rebateTiers: [
          { attainmentPercent: 90, rebatePercent: 1 },
          { attainmentPercent: 100, rebatePercent: 2 },
          { attainmentPercent: 120, rebatePercent: 3.5 },
        ],
        paymentTermsDays: 60,
        afterSalesTerms: 'The partner handles first-line service; warranty repairs go to the company.',
      },
    });
  });
  await pool(CHANNELS, CONCURRENCY, async (channel, index) => {
    const created = await api.call('POST', '/channels', {
      at,
      body: { name: channel.name, kind: channel.kind, type: channel.type, partnerId: channel.partner === undefined ? undefined : ids.partners[channel.partner], strengths: [], active: true },
    });
    ids.channels[index] = created.id;
  });
  await pool(plan.customers, CONCURRENCY, async (customer: DemoCustomer, index) => {
    const contactName = customer.type === 'business' ? `Purchasing ${index + 1}` : customer.name.replace(/ \(.*\)$/, '');
    const created = await api.call('POST', '/customers', {
      at,
      body: {
        type: customer.type,
        name: customer.name,
        contacts: [{ name: contactName, email: `customer-${index + 1}@${MAIL_DOMAIN}`, phone: `+86 21 6000 ${String(1000 + index)}` }],
        region: customer.region,
        segment: customer.segment,
        consentToEmail: customer.consentToEmail,
        ownerRepId: ids.reps[customer.rep],
        tags: ['demo'],
      },
    });
    ids.customers[index] = created.id;
  });
  const brand = await api.call('POST', '/brands', {
    at,
    body: {
      name: 'Demo Home',
      coreValues: ['safety first', 'quiet design'],
      positioning: 'The smart lock a family trusts without thinking about it.',
      tone: 'Calm, plain, reassuring.',
      targetAudiences: [{ name: 'young families', description: 'Tier-1 and tier-2 cities, first home.' }],
      channels: [{ channel: 'social-media', role: 'Everyday presence' }],
      yearlyObjectives: [],
    },
  });
  const campaigns = [
    { name: "Singles' Day", channel: 'social-media', from: `${plan.months[1]}-20`, to: `${plan.months[2]}-15`, budget: 30_000_000, skus: ['LK-S2', 'LK-S1', 'VW-2'] },
    { name: 'Spring home security', channel: 'advertising', from: `${plan.months[6]}-01`, to: `${plan.months[7]}-30`, budget: 12_000_000, skus: ['LK-S3P', 'HB-2'] },
    { name: '618 mid-year sale', channel: 'partner-co-marketing', from: `${plan.months[8]}-20`, to: `${plan.months[9]}-20`, budget: 18_000_000, skus: ['LK-F1', 'VW-3P'] },
  ];
  await pool(campaigns, CONCURRENCY, async (campaign) => {
    await api.call('POST', '/campaigns', {
      at,
      body: {
        brandId: brand.id,
        name: campaign.name,
        channel: campaign.channel,
        period: { from: campaign.from, to: campaign.to },
        budget: money(campaign.budget),
        actualSpend: money(Math.round(campaign.budget * 0.9)),
        targetAudience: 'Young families in tier-1 cities',
        kpis: [
          { metric: 'reach', target: 500_000 },
          { metric: 'conversions', target: 800 },
        ],
        productIds: campaign.skus.map((sku) => ids.products[PRODUCTS.findIndex((item) => item.sku === `${SKU_PREFIX}${sku}`)]),
        partnerIds: [],
      },
    });
  });
  return ids;
}

function orderSteps(api: Api, ids: Ids, plan: DemoPlan, order: DemoOrder): Step[] {
  const customer = plan.customers[order.customer] as DemoCustomer;
  const warehouseId = ids.warehouses[warehouseFor(customer.region)];
  const steps: Step[] = [
    {
      at: order.placedAt,
      key: order.key,
      run: async () => {
        const created = await api.call('POST', '/orders', {
          at: order.placedAt,
          body: {
            customerId: ids.customers[order.customer],
            channelId: ids.channels[order.channel],
            lines: order.lines.map((line) => ({ productId: ids.products[line.product], warehouseId, quantity: line.quantity, discountPercent: order.discountPercent })),
          },
        });
        ids.orders.set(order.key, created.id);
        await api.call('POST', `/orders/${created.id}/confirm`, { at: minutes(order.placedAt, 5) });
      },
    },
    {
      at: order.shippedAt,
      key: `${order.key}:ship`,
      needs: [order.key],
      run: async () => {
        await api.call('POST', `/orders/${ids.orders.get(order.key)}/shipments`, { at: order.shippedAt, body: { trackingNumber: `SF${order.shippedAt.getTime() % 1_000_000_000}` } });
      },
    },
  ];
  const invoice = order.invoice;
  if (invoice) {
    steps.push({
      at: invoice.at,
      key: `${order.key}:invoice`,
      needs: [`${order.key}:ship`],
      run: async () => {
        const created = await api.call('POST', `/orders/${ids.orders.get(order.key)}/invoices`, { at: invoice.at, body: { taxRatePercent: 13 } });
        ids.invoices.set(order.key, { id: created.id, gross: created.gross });
      },
    });
    const paidAt = invoice.paidAt;
    if (paidAt) {
      steps.push({
        at: paidAt,
        key: `${order.key}:pay`,
        needs: [`${order.key}:invoice`],
        run: async () => {
          const billed = ids.invoices.get(order.key) as { id: string; gross: number };
          await api.call('POST', `/invoices/${billed.id}/payments`, { at: paidAt, body: { amount: billed.gross, paidOn: localDay(paidAt), method: 'bank-transfer' } });
        },
      });
    }
  }
  const returned = order.returned;
  if (returned) {
    steps.push({
      at: returned.at,
      key: `${order.key}:return`,
      // After the invoice (if any): the invoice bills what was shipped, the return comes later.
      needs: [invoice ? `${order.key}:invoice` : `${order.key}:ship`],
      run: async () => {
        await api.call('POST', `/orders/${ids.orders.get(order.key)}/returns`, { at: returned.at, body: { reason: returned.reason, lines: [{ line: returned.line, quantity: returned.quantity }] } });
      },
    });
  }
  return steps;
}

/**
 * A complaint's whole life in one step: received, acknowledged, assigned, investigated,
 * resolved, rated and closed, each at its own demo instant. Sent back to back, the workflow is
 * done within a second of real time, before the SLA schedules (whose demo deadlines are long
 * past on the real clock) fire — so only a few real breach emails go out.
 */
function complaintStep(api: Api, ids: Ids, complaint: DemoComplaint, end: Date): Step {
  const hours = (count: number) => new Date(complaint.receivedAt.getTime() + count * 3_600_000);
  return {
    at: complaint.receivedAt,
    key: complaint.key,
    run: async () => {
      const item = PRODUCTS[complaint.product] as (typeof PRODUCTS)[number];
      const created = await api.call('POST', '/service-requests', {
        at: complaint.receivedAt,
        body: {
          type: 'complaint',
          channel: complaint.channel,
          customer: { id: ids.customers[complaint.customer] },
          productId: ids.products[complaint.product],
          description: `${item.name}: ${complaint.category} problem reported by the customer.`,
          category: complaint.category,
          priority: complaint.priority,
        },
      });
      const path = `/service-requests/${created.id}`;
      const acknowledged = hours(complaint.acknowledgeAfterHours);
      if (acknowledged >= end) return;
      await api.call('POST', `${path}/acknowledge`, { at: acknowledged, body: { note: 'Called the customer back.' } });
      await api.call('POST', `${path}/assign`, { at: minutes(acknowledged, 10), body: { department: complaint.department, note: `For ${complaint.department} to look into.` } });
      const resolveAfter = complaint.resolveAfterHours;
      const investigated = resolveAfter === undefined ? minutes(acknowledged, 60) : hours(complaint.acknowledgeAfterHours + (resolveAfter - complaint.acknowledgeAfterHours) * 0.6);
      if (investigated >= end) return;
      await api.call('POST', `${path}/investigation`, {
        at: investigated,
        body: { findings: `Reproduced the ${complaint.category} problem on ${item.name}.`, rootCause: { category: complaint.rootCause, text: `Traced to ${complaint.rootCause}.` } },
      });
      if (resolveAfter === undefined) return;
      const resolved = hours(resolveAfter);
      const measure = complaint.measure;
      const measures =
        measure.kind === 'refund' || measure.kind === 'compensation'
          ? [{ kind: measure.kind, amount: { amount: measure.amount, currency: ids.currency } }]
          : [{ kind: measure.kind, description: measure.kind === 'fix' ? 'Firmware update and settings walkthrough.' : 'Replaced the unit.' }];
      await api.call('POST', `${path}/resolution`, { at: resolved, body: { measures, customerAgreed: true, note: 'The customer agreed.' } });
      const rated = hours(resolveAfter + 20);
      if (complaint.satisfaction === undefined || rated >= end) return;
      await api.call('POST', `${path}/feedback`, { at: rated, body: { satisfaction: complaint.satisfaction } });
      await api.call('POST', `${path}/close`, { at: minutes(rated, 30), body: { note: 'Closed after the customer’s rating.' } });
    },
  };
}

function historySteps(api: Api, ids: Ids, plan: DemoPlan): Step[] {
  const money = (amount: number) => ({ amount, currency: ids.currency });
  const last = plan.months[plan.months.length - 1] as string;
  const end = localInstant(last, daysIn(last) + 1, 0);
  const steps: Step[] = [];
  for (const receipt of plan.receipts) {
    const at = localInstant(receipt.month, 1, 7, receipt.warehouse * 5);
    steps.push({
      at,
      key: `receipt-${receipt.month}-${receipt.warehouse}`,
      barrier: true,
      run: async () => {
        await api.call('POST', '/stock-movements', {
          at,
          body: {
            kind: 'receipt',
            source: 'production',
            reference: `PO-${receipt.month}-${receipt.warehouse + 1}`,
            lines: receipt.lines.map((line) => ({
              productId: ids.products[line.product],
              warehouseId: ids.warehouses[receipt.warehouse],
              quantity: line.quantity,
              lot: { number: line.lot, expiresOn: line.expiresOn },
            })),
          },
        });
      },
    });
  }
  for (const order of plan.orders) steps.push(...orderSteps(api, ids, plan, order));
  for (const complaint of plan.complaints) steps.push(complaintStep(api, ids, complaint, end));
  for (const [index, stocktake] of plan.stocktakes.entries()) {
    const at = localInstant(stocktake.month, 28, 18);
    steps.push({
      at,
      key: `stocktake-${index}`,
      barrier: true,
      run: async () => {
        const opened = await api.call('POST', '/stocktakes', { at, body: { warehouseId: ids.warehouses[stocktake.warehouse], productIds: ids.products } });
        const counts = (opened.lines as Array<{ productId: string; expected: number }>).map((line) => ({
          productId: line.productId,
          counted: Math.max(0, line.expected + (stocktake.variances.get(ids.products.indexOf(line.productId)) ?? 0)),
        }));
        await api.call('PUT', `/stocktakes/${opened.id}/counts`, { at: minutes(at, 60), body: { counts } });
        await api.call('POST', `/stocktakes/${opened.id}/close`, { at: minutes(at, 90) });
      },
    });
  }
  for (const [index, entry] of plan.feedback.entries()) {
    steps.push({
      at: entry.at,
      key: `feedback-${index}`,
      run: async () => {
        await api.call('POST', '/feedback', { at: entry.at, body: { customerId: ids.customers[entry.customer], productId: ids.products[entry.product], kind: entry.kind, channel: entry.channel, text: entry.text } });
      },
    });
  }
  for (const [index, entry] of plan.intel.entries()) {
    const at = localInstant(entry.month, entry.day, 11);
    steps.push({
      at,
      key: `intel-${index}`,
      run: async () => {
        await api.call('POST', '/market-intel', {
          at,
          body: {
            title: entry.title,
            summary: entry.summary,
            kind: entry.kind,
            source: { type: entry.kind === 'sales-field-report' ? 'sales-field-report' : entry.kind === 'industry-report' ? 'industry-report' : 'news', name: 'Demo Market Watch' },
            observedOn: localDay(at),
            region: entry.region,
            productIds: entry.product === undefined ? [] : [ids.products[entry.product]],
            competitorIds: entry.competitor === undefined ? [] : [ids.competitors[entry.competitor]],
            price: entry.priceAmount === undefined ? undefined : { amount: money(entry.priceAmount), competitorId: ids.competitors[entry.competitor ?? 0] },
            sentiment: entry.sentiment,
            importance: entry.importance,
            tags: ['demo'],
          },
        });
      },
    });
  }
  for (const [index, figure] of plan.marketFigures.entries()) {
    const at = localInstant(figure.month, daysIn(figure.month), 20);
    steps.push({
      at,
      key: `figures-${index}`,
      run: async () => {
        await api.call('PUT', `/market-figures/${figure.category}/${figure.month}`, { at, body: { marketSize: money(figure.marketSize), sharePercent: figure.sharePercent, sourceNote: 'Demo Market Watch monthly panel' } });
      },
    });
  }
  return steps;
}

async function existingDemo(api: Api): Promise<'none' | 'complete' | 'partial'> {
  const products = await api.call('GET', '/products?category=smart-lock&limit=100');
  const found = (products.items as Array<{ sku: string }>).some((item) => item.sku.startsWith(SKU_PREFIX));
  if (!found) return 'none';
  const settings = await api.call('GET', '/settings');
  return settings.companyName === COMPANY_NAME ? 'complete' : 'partial';
}

/**
 * The heads come last: while history loads, its alerts (stock crossings, complaints filed, and
 * the SLA escalations that the schedules fire on the real clock for complaints dated in the past)
 * find no head and send nothing. The heads then receive the digests of every month.
 */
async function appointHeads(api: Api): Promise<void> {
  await pool(DEPARTMENT_HEADS, CONCURRENCY, async (head) => {
    await api.call('PUT', `/departments/${head.code}`, { body: { head: { name: head.name, email: headEmail(head.code) } } });
  });
}

async function main(): Promise<number> {
  const started = performance.now();
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
  const dataDir = defaultDataDir();
  const running = await findRunningStack(dataDir);
  if ('problem' in running) {
    console.error(`npm run demo: ${running.problem}`);
    return 1;
  }
  const { state } = running;
  const token = await mintToken({ key: await loadOrCreateSigningKey(dataDir), roles: [...ROLES], userId: 'demo-loader', email: `loader@${MAIL_DOMAIN}`, ttlSeconds: 2 * 3600 });
  const api = new Api(state.apiUrl, token);
  const plan = planCompany(new Date());
  console.log(`demo company against ${state.apiUrl}: ${plan.months[0]} … ${plan.months[plan.months.length - 1]}`);

  const existing = await existingDemo(api);
  if (existing === 'partial') {
    console.error(`npm run demo: a ${SKU_PREFIX}… product exists but an earlier demo load did not finish. Stop npm start, delete ${dataDir}, start again and re-run.`);
    return 1;
  }
  if (existing === 'complete') {
    console.log('the demo company is already loaded: not loading it again, only re-running the monthly jobs');
  } else {
    const setupAt = localInstant(plan.months[0] as string, -9, 10);
    const ids = await loadSetup(api, plan, setupAt);
    console.log(`  ${elapsed()}  departments, ${PRODUCTS.length} products, ${WAREHOUSES.length} warehouses, ${plan.customers.length} customers, ${PARTNERS.length} partners, ${REPS.length} reps with targets, ${CHANNELS.length} channels, 3 campaigns`);
    const steps = historySteps(api, ids, plan);
    await runTimeline(steps);
    await appointHeads(api);
    // Last: the company name marks a finished load (see existingDemo).
    const settings = await api.call('GET', '/settings');
    await api.call('PUT', '/settings', {
      body: { companyName: COMPANY_NAME, timeZone: settings.timeZone, currency: settings.currency, slaHours: settings.slaHours, closeAfterDaysWithoutFeedback: settings.closeAfterDaysWithoutFeedback },
    });
    const lines = plan.orders.reduce((sum, order) => sum + order.lines.length, 0);
    console.log(
      `  ${elapsed()}  ${plan.orders.length} orders (${lines} lines, ${plan.orders.filter((order) => order.invoice).length} invoiced, ${plan.orders.filter((order) => order.returned).length} returns), ` +
        `${plan.receipts.length} receipts, ${plan.stocktakes.length} stocktakes, ${plan.complaints.length} complaints, ${plan.feedback.length} feedback, ${plan.intel.length} market entries, ` +
        `${plan.marketFigures.length} market figures — ${api.requests} requests`,
    );
  }

  const job = findJob('monthly-analysis');
  if (!job) throw new Error('the monthly-analysis job is missing from the manifest');
  // In this process, one month after the other, as `npm run job -- monthly-analysis --month m` would.
  for (const month of plan.months) await runJobOn(state, job, { month });
  console.log(`  ${elapsed()}  monthly-analysis for ${plan.months.length} months (each head's digest sent once per month)`);
  console.log(`done in ${elapsed()}. Reports: GET ${state.apiUrl}/reports?month=${plan.months[plan.months.length - 1]}; mail: ${state.mailUrl}`);
  return 0;
}

if (isMain(import.meta.url)) {
  main()
    .then((code) => process.exit(code))
    .catch((error: unknown) => {
      console.error(`npm run demo: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      process.exit(1);
    });
}
