import { seeded, type Random } from '../../test/support/random';

/**
 * The demo company as data: what `npm run demo` loads, decided before a single request is sent
 * so the same seed gives the same company (ids aside: the server makes those). Everything here
 * is pure; `scripts/demo.ts` turns it into timed API calls.
 *
 * Times are company-local wall-clock hours in Asia/Shanghai (UTC+8, no daylight saving), the
 * default company time zone.
 */

export const DEMO_SEED = 20_251_111;
export const SKU_PREFIX = 'DEMO-';
export const MAIL_DOMAIN = 'demo.postlaunch.test';
export const REGIONS = ['east-china', 'south-china', 'north-china', 'west-china'] as const;
export type Region = (typeof REGIONS)[number];
export const LOADED_MONTHS = 14;

const UTC_OFFSET_HOURS = 8;

/** A company-local instant: `day` may run past the month's end (Date.UTC carries it over). */
export function localInstant(month: string, day: number, hour: number, minute = 0): Date {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, monthNumber - 1, day, hour - UTC_OFFSET_HOURS, minute));
}

export function localDay(instant: Date): string {
  return new Date(instant.getTime() + UTC_OFFSET_HOURS * 3_600_000).toISOString().slice(0, 10);
}

export function daysIn(month: string): number {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, monthNumber, 0)).getUTCDate();
}

export function addMonths(month: string, delta: number): string {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  const index = year * 12 + (monthNumber - 1) + delta;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The 14 months ending with the month before `now`'s (company-local). */
export function loadedMonths(now: Date): string[] {
  const current = localDay(now).slice(0, 7);
  return Array.from({ length: LOADED_MONTHS }, (_, index) => addMonths(current, index - LOADED_MONTHS));
}

// ---- catalog -------------------------------------------------------------------------------

export interface DemoProduct {
  sku: string;
  name: string;
  category: 'smart-lock' | 'door-viewer' | 'hub' | 'accessory';
  price: number;
  cost: number;
  /** Relative share of order lines. */
  popularity: number;
  warrantyMonths: number;
  ownerDepartment: 'rnd' | 'production';
  /** Lots with an expiry date (batteries). */
  expiresAfterMonths?: number;
}

const product = (sku: string, name: string, category: DemoProduct['category'], price: number, popularity: number, extra: Partial<DemoProduct> = {}): DemoProduct => ({
  sku: `${SKU_PREFIX}${sku}`,
  name,
  category,
  price: price * 100,
  // Standard cost at 55–62 % of list: believable margins, different per product.
  cost: Math.round(price * 100 * (0.55 + (sku.length % 4) * 0.02)),
  popularity,
  warrantyMonths: category === 'accessory' ? 6 : 24,
  ownerDepartment: category === 'accessory' ? 'production' : 'rnd',
  ...extra,
});

export const PRODUCTS: readonly DemoProduct[] = [
  product('LK-S1', 'Smart lock S1', 'smart-lock', 899, 9),
  product('LK-S2', 'Smart lock S2', 'smart-lock', 1299, 12),
  product('LK-S3P', 'Smart lock S3 Pro', 'smart-lock', 1999, 7),
  product('LK-F1', 'Face-ID lock F1', 'smart-lock', 2599, 5),
  product('LK-G1', 'Gate lock G1', 'smart-lock', 1599, 3),
  product('LK-M1', 'Mini lock M1', 'smart-lock', 599, 6),
  product('VW-1', 'Door viewer V1', 'door-viewer', 399, 5),
  product('VW-2', 'Door viewer V2', 'door-viewer', 599, 7),
  product('VW-3P', 'Door viewer V3 Pro', 'door-viewer', 899, 4),
  product('VW-R', 'Ring viewer R', 'door-viewer', 499, 3),
  product('VW-K', 'Kids viewer K', 'door-viewer', 299, 2),
  product('HB-1', 'Home hub H1', 'hub', 299, 5),
  product('HB-2', 'Home hub H2', 'hub', 499, 4),
  product('HB-Z', 'Zigbee bridge Z', 'hub', 199, 3),
  product('HB-P', 'Hub Pro', 'hub', 899, 2),
  product('AC-BAT', 'Battery pack', 'accessory', 49, 8, { expiresAfterMonths: 8 }),
  product('AC-KEY', 'Key cards (5-pack)', 'accessory', 39, 6),
  product('AC-MNT', 'Mounting kit', 'accessory', 79, 4),
  product('AC-CHG', 'Emergency charger', 'accessory', 99, 3),
  product('AC-CVR', 'Rain cover', 'accessory', 59, 2),
];

export const CATEGORIES = ['smart-lock', 'door-viewer', 'hub', 'accessory'] as const;

export interface DemoWarehouse {
  code: string;
  name: string;
  city: string;
  serves: readonly Region[];
}

export const WAREHOUSES: readonly DemoWarehouse[] = [
  { code: 'DEMO-SH', name: 'Shanghai central', city: 'Shanghai', serves: ['east-china', 'north-china'] },
  { code: 'DEMO-SZ', name: 'Shenzhen south', city: 'Shenzhen', serves: ['south-china'] },
  { code: 'DEMO-CD', name: 'Chengdu west', city: 'Chengdu', serves: ['west-china'] },
];

export function warehouseFor(region: Region): number {
  return WAREHOUSES.findIndex((warehouse) => warehouse.serves.includes(region));
}

// ---- people ---------------------------------------------------------------------------------

export const DEPARTMENT_HEADS: ReadonlyArray<{ code: string; name: string }> = [
  { code: 'market', name: 'Lin Yue' },
  { code: 'sales', name: 'Zhao Lei' },
  { code: 'rnd', name: 'Qian Hao' },
  { code: 'production', name: 'Zhang Min' },
  { code: 'procurement', name: 'Sun Jing' },
  { code: 'service', name: 'Zhou Ping' },
  { code: 'management', name: 'Wu Qiang' },
  { code: 'admin', name: 'Zheng Hui' },
];

export const headEmail = (code: string) => `${code}-head@${MAIL_DOMAIN}`;

export interface DemoRep {
  userId: string;
  name: string;
  region: Region;
  /** Monthly revenue target, minor units. */
  monthlyTarget: number;
}

export const REPS: readonly DemoRep[] = [
  { userId: 'demo-rep-1', name: 'Li Wei', region: 'east-china', monthlyTarget: 16_000_000 },
  { userId: 'demo-rep-2', name: 'Chen Jing', region: 'east-china', monthlyTarget: 14_000_000 },
  { userId: 'demo-rep-3', name: 'Huang Tao', region: 'south-china', monthlyTarget: 13_000_000 },
  { userId: 'demo-rep-4', name: 'He Na', region: 'south-china', monthlyTarget: 12_000_000 },
  { userId: 'demo-rep-5', name: 'Ma Jun', region: 'north-china', monthlyTarget: 9_000_000 },
  { userId: 'demo-rep-6', name: 'Guo Fang', region: 'north-china', monthlyTarget: 8_000_000 },
  { userId: 'demo-rep-7', name: 'Luo Bin', region: 'west-china', monthlyTarget: 7_000_000 },
  { userId: 'demo-rep-8', name: 'Tang Xue', region: 'west-china', monthlyTarget: 6_000_000 },
];

export interface DemoPartner {
  name: string;
  kind: 'distributor' | 'agent';
  regions: Region[];
  discountPercent: number;
  monthlyTarget: number;
  contact: string;
}

export const PARTNERS: readonly DemoPartner[] = [
  { name: 'Yangtze Home Distribution', kind: 'distributor', regions: ['east-china'], discountPercent: 18, monthlyTarget: 6_000_000, contact: 'Xu Ming' },
  { name: 'Pearl River Security Supply', kind: 'distributor', regions: ['south-china'], discountPercent: 17, monthlyTarget: 5_000_000, contact: 'Liang Qi' },
  { name: 'Northern Gate Trading', kind: 'distributor', regions: ['north-china'], discountPercent: 15, monthlyTarget: 3_000_000, contact: 'Han Lu' },
  { name: 'Sichuan Smart Living', kind: 'agent', regions: ['west-china'], discountPercent: 12, monthlyTarget: 2_000_000, contact: 'Deng Yu' },
  { name: 'Coastal Installers Union', kind: 'agent', regions: ['east-china', 'south-china'], discountPercent: 10, monthlyTarget: 2_500_000, contact: 'Feng Rui' },
];

export interface DemoChannel {
  name: string;
  kind: 'online' | 'offline';
  type: 'e-commerce' | 'company-site' | 'distributor' | 'agent' | 'direct-store';
  /** Index into PARTNERS. */
  partner?: number;
}

export const CHANNELS: readonly DemoChannel[] = [
  { name: 'Tmall flagship store', kind: 'online', type: 'e-commerce' },
  { name: 'JD.com store', kind: 'online', type: 'e-commerce' },
  { name: 'Company web shop', kind: 'online', type: 'company-site' },
  { name: 'Shanghai showroom', kind: 'offline', type: 'direct-store' },
  ...PARTNERS.map((partner, index): DemoChannel => ({ name: `${partner.name} channel`, kind: 'offline', type: partner.kind, partner: index })),
];

export interface DemoCustomer {
  type: 'business' | 'consumer';
  name: string;
  region: Region;
  segment: 'enterprise' | 'smb' | 'retail';
  rep: number;
  consentToEmail: boolean;
}

const SURNAMES = ['Wang', 'Li', 'Zhang', 'Liu', 'Chen', 'Yang', 'Zhao', 'Huang', 'Zhou', 'Wu', 'Xu', 'Sun', 'Hu', 'Zhu', 'Gao', 'Lin', 'He', 'Guo', 'Ma', 'Luo'];
const GIVEN = ['Wei', 'Fang', 'Na', 'Min', 'Jing', 'Lei', 'Jun', 'Yang', 'Yan', 'Tao', 'Ming', 'Chao', 'Xia', 'Ping', 'Gang', 'Hua', 'Bo', 'Yu', 'Lan', 'Kai'];
const FIRMS = ['Harbor', 'Jade', 'Summit', 'Lotus', 'Golden', 'Bright', 'Cedar', 'Phoenix', 'Silver', 'Evergreen', 'Crane', 'Orchid', 'Maple', 'Pine', 'River', 'Star'];
const TRADES = ['Property Management', 'Hotels', 'Apartments', 'Builders', 'Realty', 'Facilities', 'Office Parks', 'Home Services'];
const CITIES: Record<Region, readonly string[]> = {
  'east-china': ['Shanghai', 'Hangzhou', 'Nanjing', 'Suzhou'],
  'south-china': ['Shenzhen', 'Guangzhou', 'Xiamen'],
  'north-china': ['Beijing', 'Tianjin', 'Qingdao'],
  'west-china': ['Chengdu', 'Chongqing', 'Xi’an'],
};

// ---- what happens -----------------------------------------------------------------------------

export interface DemoLine {
  product: number;
  quantity: number;
}

export interface DemoOrder {
  key: string;
  month: string;
  customer: number;
  channel: number;
  lines: DemoLine[];
  discountPercent: number;
  placedAt: Date;
  shippedAt: Date;
  invoice?: { at: Date; paidAt?: Date };
  returned?: { at: Date; line: number; quantity: number; reason: string };
}

export interface DemoComplaint {
  key: string;
  receivedAt: Date;
  product: number;
  customer: number;
  priority: 'low' | 'normal' | 'high' | 'urgent';
  category: 'quality' | 'delivery' | 'usage' | 'price' | 'attitude' | 'other';
  channel: 'hotline' | 'online-form' | 'email' | 'visit' | 'partner';
  /** Hours after receipt, in demo time. */
  acknowledgeAfterHours: number;
  resolveAfterHours?: number;
  department: 'production' | 'rnd' | 'sales' | 'service' | 'procurement';
  rootCause: 'design' | 'material' | 'manufacturing' | 'logistics' | 'usage' | 'service' | 'documentation' | 'other';
  measure: { kind: 'fix' | 'replace' } | { kind: 'refund' | 'compensation'; amount: number };
  satisfaction?: number;
}

export interface DemoReceipt {
  month: string;
  warehouse: number;
  lines: Array<{ product: number; quantity: number; lot: string; expiresOn?: string }>;
}

export interface DemoStocktake {
  month: string;
  warehouse: number;
  /** Count differences per product index (found + / missing −); others count exactly. */
  variances: Map<number, number>;
}

export interface DemoIntel {
  month: string;
  day: number;
  kind: 'competitor-move' | 'price-change' | 'product-launch' | 'regulation' | 'industry-report' | 'customer-research' | 'trend' | 'sales-field-report';
  title: string;
  summary: string;
  importance: 1 | 2 | 3;
  sentiment: 'threat' | 'opportunity' | 'neutral';
  competitor?: number;
  product?: number;
  priceAmount?: number;
  region?: Region;
}

export interface DemoFeedback {
  at: Date;
  customer: number;
  product: number;
  kind: 'defect' | 'suggestion' | 'praise' | 'price' | 'other';
  channel: 'phone' | 'email' | 'web' | 'survey' | 'social-media' | 'store' | 'partner';
  text: string;
}

export interface Thresholds {
  safety: number;
  minimum: number;
  maximum: number;
  reorderQuantity: number;
  leadTimeDays: number;
}

export interface DemoPlan {
  months: string[];
  customers: DemoCustomer[];
  /** Per product × warehouse (`product * WAREHOUSES.length + warehouse`). */
  thresholds: Thresholds[];
  receipts: DemoReceipt[];
  orders: DemoOrder[];
  complaints: DemoComplaint[];
  stocktakes: DemoStocktake[];
  intel: DemoIntel[];
  feedback: DemoFeedback[];
  marketFigures: Array<{ category: string; month: string; marketSize: number; sharePercent: number }>;
}

/** The demo sets these (the defaults) so its planned breaches are breaches. */
export const SLA_HOURS = {
  urgent: { firstResponseHours: 1, resolutionHours: 8 },
  high: { firstResponseHours: 4, resolutionHours: 24 },
  normal: { firstResponseHours: 8, resolutionHours: 72 },
  low: { firstResponseHours: 24, resolutionHours: 120 },
} as const;

export const COMPETITORS = [
  { name: 'Lockly Asia', strengths: ['Fingerprint speed', 'Retail presence'], weaknesses: ['Thin after-sales network'] },
  { name: 'Aqara Home', strengths: ['Ecosystem', 'Low prices'], weaknesses: ['Few business customers'] },
  { name: 'Dessmann', strengths: ['Brand trust', 'Installers'], weaknesses: ['Slow launches'] },
  { name: 'Xiaomi Smart', strengths: ['Price', 'Reach online'], weaknesses: ['Generic design'] },
  { name: 'Kaadas', strengths: ['Wide range'], weaknesses: ['Mixed quality reviews'] },
] as const;

/** Singles' Day in November, 618 in June, the Chinese New Year lull in February. */
const SEASON: Record<number, number> = { 1: 0.85, 2: 0.55, 3: 0.9, 4: 1, 5: 1.05, 6: 1.35, 7: 0.9, 8: 0.9, 9: 1, 10: 1.1, 11: 1.9, 12: 1.2 };
const BASE_ORDERS_PER_MONTH = 38;

function weighted<T>(random: Random, items: readonly T[], weight: (item: T) => number): number {
  const total = items.reduce((sum, item) => sum + weight(item), 0);
  let point = random() * total;
  for (let index = 0; index < items.length; index++) {
    point -= weight(items[index] as T);
    if (point < 0) return index;
  }
  return items.length - 1;
}

export function planCompany(now: Date, seed = DEMO_SEED): DemoPlan {
  const random = seeded(seed);
  const months = loadedMonths(now);
  const lastMonth = months[months.length - 1] as string;
  const end = localInstant(lastMonth, daysIn(lastMonth) + 1, 0);

  const customers: DemoCustomer[] = Array.from({ length: 200 }, (_, index) => {
    const region = REGIONS[weighted(random, [35, 30, 20, 15], (weight) => weight)] as Region;
    const business = random() < 0.6;
    const segment = business ? (random() < 0.25 ? 'enterprise' : 'smb') : 'retail';
    const reps = REPS.map((rep, repIndex) => ({ rep, repIndex })).filter(({ rep }) => rep.region === region);
    const rep = (reps[index % reps.length] as { repIndex: number }).repIndex;
    const city = random.pick(CITIES[region]);
    const name = business ? `${city} ${random.pick(FIRMS)} ${random.pick(TRADES)} ${index + 1}` : `${random.pick(SURNAMES)} ${random.pick(GIVEN)} (${city})`;
    return { type: business ? 'business' : 'consumer', name, region, segment, rep, consentToEmail: random() < 0.1 };
  });

  const orders: DemoOrder[] = [];
  months.forEach((month, monthIndex) => {
    const monthNumber = Number(month.slice(5));
    const count = Math.round(BASE_ORDERS_PER_MONTH * (SEASON[monthNumber] ?? 1) * (1 + monthIndex * 0.02));
    for (let index = 0; index < count; index++) {
      const customer = random.int(0, customers.length - 1);
      const buyer = customers[customer] as DemoCustomer;
      const partners = PARTNERS.map((partner, partnerIndex) => ({ partner, partnerIndex })).filter(({ partner }) => partner.regions.includes(buyer.region));
      let channel: number;
      if (buyer.type === 'consumer') channel = random.int(0, 3);
      else if (random() < 0.55 && partners.length) {
        const { partnerIndex } = random.pick(partners);
        channel = CHANNELS.findIndex((candidate) => candidate.partner === partnerIndex);
      }
      else channel = random() < 0.5 ? 2 : 3;
      const lineCount = buyer.type === 'consumer' ? random.int(1, 2) : random.int(1, 3);
      const lines: DemoLine[] = [];
      for (let line = 0; line < lineCount; line++) {
        const productIndex = weighted(random, PRODUCTS, (candidate) => candidate.popularity);
        if (lines.some((existing) => existing.product === productIndex)) continue;
        const accessory = (PRODUCTS[productIndex] as DemoProduct).category === 'accessory' ? 3 : 1;
        const quantity = buyer.segment === 'enterprise' ? random.int(8, 30) : buyer.segment === 'smb' ? random.int(2, 8) : random.int(1, 2);
        lines.push({ product: productIndex, quantity: quantity * accessory });
      }
      // Singles' Day and 618 pull orders to the festival days.
      const festival = (monthNumber === 11 || monthNumber === 6) && random() < 0.5;
      const day = festival ? random.int(monthNumber === 11 ? 9 : 16, monthNumber === 11 ? 12 : 19) : random.int(1, 24);
      const placedAt = localInstant(month, day, random.int(9, 20), random.int(0, 59));
      const shippedAt = localInstant(month, day + random.int(1, 2), random.int(9, 17), random.int(0, 59));
      const order: DemoOrder = {
        key: `order-${month}-${index}`,
        month,
        customer,
        channel,
        lines,
        discountPercent: buyer.segment === 'enterprise' ? random.int(3, 8) : 0,
        placedAt,
        shippedAt,
      };
      if (buyer.type === 'business' || random() < 0.3) {
        const paidAt = random() < 0.85 ? new Date(shippedAt.getTime() + random.int(5, 45) * 86_400_000) : undefined;
        order.invoice = { at: new Date(shippedAt.getTime() + 3_600_000), paidAt: paidAt && paidAt < end ? paidAt : undefined };
      }
      if (random() < 0.04) {
        const at = new Date(shippedAt.getTime() + random.int(3, 12) * 86_400_000);
        const line = random.int(0, lines.length - 1);
        if (at < end) order.returned = { at, line, quantity: Math.max(1, Math.floor((lines[line] as DemoLine).quantity / 2)), reason: random.pick(['Wrong model ordered', 'Arrived damaged', 'Customer changed their mind']) };
      }
      orders.push(order);
    }
  });

  // Stock: thresholds from the average monthly demand of each level; receipts at the start of
  // each month bring it to that month's demand plus the minimum and a little more, except a few
  // planned tight months (stock-outs) and one over-order (overstock).
  const levels = PRODUCTS.length * WAREHOUSES.length;
  const demand = months.map(() => new Array<number>(levels).fill(0));
  const returnsIn = months.map(() => new Array<number>(levels).fill(0));
  for (const order of orders) {
    const monthIndex = months.indexOf(order.month);
    const warehouse = warehouseFor((customers[order.customer] as DemoCustomer).region);
    const monthDemand = demand[monthIndex] as number[];
    for (const line of order.lines) {
      const level = line.product * WAREHOUSES.length + warehouse;
      monthDemand[level] = (monthDemand[level] ?? 0) + line.quantity;
    }
    if (order.returned) {
      const returnMonth = months.indexOf(localDay(order.returned.at).slice(0, 7));
      const line = order.lines[order.returned.line] as DemoLine;
      const monthReturns = returnsIn[returnMonth];
      const level = line.product * WAREHOUSES.length + warehouse;
      if (monthReturns) monthReturns[level] = (monthReturns[level] ?? 0) + order.returned.quantity;
    }
  }
  const thresholds: Thresholds[] = Array.from({ length: levels }, (_, level) => {
    const average = Math.max(4, Math.ceil(demand.reduce((sum, month) => sum + (month[level] as number), 0) / months.length));
    const minimum = Math.ceil(average * 0.3);
    // Above the largest month-start receipt (demand + minimum + margin, rounded up to 10): only
    // the planned over-order goes over it, not every busy month.
    const peak = Math.max(...demand.map((month) => month[level] as number)) + minimum + Math.ceil(average * 0.2) + 13;
    return { safety: Math.ceil(average * 0.1), minimum, maximum: Math.max(Math.ceil(average * 3), Math.ceil(peak * 1.2)), reorderQuantity: Math.ceil(average), leadTimeDays: 14 + (level % 3) * 7 };
  });
  const tight = new Set([`${months[2]}:${1 * 3 + 0}`, `${months[2]}:${3 * 3 + 1}`, `${months[9]}:${7 * 3 + 0}`, `${months[12]}:${0 * 3 + 0}`]);
  const overOrder = `${months[7]}:${19 * 3 + 0}`;

  const stocktakes: DemoStocktake[] = [3, 6, 9, 12].map((monthIndex, index) => {
    const variances = new Map<number, number>();
    while (variances.size < 4) variances.set(random.int(0, PRODUCTS.length - 1), random.pick([-3, -2, -1, -1, 1, 2]));
    return { month: months[monthIndex] as string, warehouse: index % WAREHOUSES.length, variances };
  });

  const receipts: DemoReceipt[] = [];
  const stock = new Array<number>(levels).fill(0);
  months.forEach((month, monthIndex) => {
    for (let warehouse = 0; warehouse < WAREHOUSES.length; warehouse++) {
      const lines: DemoReceipt['lines'] = [];
      PRODUCTS.forEach((item, productIndex) => {
        const level = productIndex * WAREHOUSES.length + warehouse;
        const needed = (demand[monthIndex] as number[])[level] as number;
        const limits = thresholds[level] as Thresholds;
        let target = needed + limits.minimum + Math.ceil(limits.reorderQuantity * 0.2) + 3;
        if (tight.has(`${month}:${level}`)) target = needed;
        if (overOrder === `${month}:${level}`) target = limits.maximum * 3;
        const quantity = target - (stock[level] as number);
        if (quantity > 0) {
          const rounded = tight.has(`${month}:${level}`) ? quantity : Math.ceil(quantity / 10) * 10;
          lines.push({ product: productIndex, quantity: rounded, lot: `L${month.replace('-', '')}-${warehouse + 1}`, expiresOn: item.expiresAfterMonths ? `${addMonths(month, item.expiresAfterMonths)}-15` : undefined });
          stock[level] = (stock[level] as number) + rounded;
        }
      });
      if (lines.length) receipts.push({ month, warehouse, lines });
    }
    for (let level = 0; level < levels; level++) stock[level] = (stock[level] as number) - ((demand[monthIndex] as number[])[level] as number) + ((returnsIn[monthIndex] as number[])[level] as number);
    for (const stocktake of stocktakes.filter((candidate) => candidate.month === month)) {
      for (const [productIndex, variance] of stocktake.variances) {
        const level = productIndex * WAREHOUSES.length + stocktake.warehouse;
        // Never count below zero (a tight level may be empty by then).
        const applied = Math.max(variance, -(stock[level] as number));
        stocktake.variances.set(productIndex, applied);
        stock[level] = (stock[level] as number) + applied;
      }
      for (const [productIndex, variance] of [...stocktake.variances]) if (variance === 0) stocktake.variances.delete(productIndex);
    }
  });

  // Complaints: ~150, following units sold, with a quality problem on the V2 viewer in months
  // 10–12 (its complaint rate rises); most answered well within the SLA, some not.
  const complaints: DemoComplaint[] = [];
  const viewer = PRODUCTS.findIndex((item) => item.sku === `${SKU_PREFIX}VW-2`);
  months.forEach((month, monthIndex) => {
    const spike = monthIndex >= 9 && monthIndex <= 11;
    const count = 9 + random.int(0, 3) + (spike ? 6 : 0);
    for (let index = 0; index < count; index++) {
      const product = spike && index < 7 ? viewer : weighted(random, PRODUCTS, (item) => item.popularity);
      const category = spike && index < 7 ? 'quality' : (['quality', 'quality', 'quality', 'delivery', 'usage', 'usage', 'price', 'attitude', 'other'] as const)[random.int(0, 8)] as DemoComplaint['category'];
      const priority = (['urgent', 'high', 'high', 'normal', 'normal', 'normal', 'normal', 'low'] as const)[random.int(0, 7)] as DemoComplaint['priority'];
      const receivedAt = localInstant(month, random.int(1, daysIn(month) - 3), random.int(8, 19), random.int(0, 59));
      const lateAnswer = random() < 0.12;
      const lateResolution = random() < 0.15;
      const slaResolution = SLA_HOURS[priority].resolutionHours;
      const slaFirst = SLA_HOURS[priority].firstResponseHours;
      const acknowledgeAfterHours = lateAnswer ? slaFirst * (1.5 + random()) : slaFirst * (0.1 + random() * 0.5);
      let resolveAfterHours: number | undefined = lateResolution ? slaResolution * (1.3 + random() * 1.5) : Math.max(acknowledgeAfterHours + 0.5, slaResolution * (0.3 + random() * 0.6));
      if (receivedAt.getTime() + resolveAfterHours * 3_600_000 >= end.getTime()) resolveAfterHours = undefined;
      const department = category === 'quality' ? random.pick(['production', 'rnd'] as const) : category === 'delivery' ? 'procurement' : category === 'price' ? 'sales' : 'service';
      const rootCause = category === 'quality' ? random.pick(['design', 'material', 'manufacturing'] as const) : category === 'delivery' ? 'logistics' : category === 'usage' ? random.pick(['usage', 'documentation'] as const) : category === 'attitude' ? 'service' : 'other';
      const price = (PRODUCTS[product] as DemoProduct).price;
      const measure: DemoComplaint['measure'] =
        category === 'quality' ? (random() < 0.5 ? { kind: 'replace' } : { kind: 'refund', amount: price }) : category === 'delivery' || category === 'attitude' ? { kind: 'compensation', amount: random.pick([5_000, 10_000, 20_000]) } : { kind: 'fix' };
      complaints.push({
        key: `complaint-${month}-${index}`,
        receivedAt,
        product,
        customer: random.int(0, customers.length - 1),
        priority,
        category,
        channel: random.pick(['hotline', 'hotline', 'online-form', 'email', 'partner'] as const),
        acknowledgeAfterHours,
        resolveAfterHours,
        department,
        rootCause,
        measure,
        satisfaction: resolveAfterHours === undefined || random() < 0.3 ? undefined : lateResolution ? random.int(1, 3) : random.int(3, 5),
      });
    }
  });

  const intelKinds: DemoIntel['kind'][] = ['competitor-move', 'price-change', 'product-launch', 'industry-report', 'trend', 'regulation', 'customer-research', 'sales-field-report'];
  const intel: DemoIntel[] = Array.from({ length: 60 }, (_, index) => {
    const kind = intelKinds[index % 2 === 0 ? index % 4 === 0 ? 0 : 1 : random.int(2, intelKinds.length - 1)] as DemoIntel['kind'];
    const month = months[Math.floor((index * months.length) / 60)] as string;
    const competitor = random.int(0, COMPETITORS.length - 1);
    const rival = (COMPETITORS[competitor] as (typeof COMPETITORS)[number]).name;
    const product = weighted(random, PRODUCTS, (item) => item.popularity);
    const ours = PRODUCTS[product] as DemoProduct;
    const base = { month, day: random.int(1, daysIn(month) - 1), importance: (random() < 0.2 ? 3 : random() < 0.5 ? 2 : 1) as 1 | 2 | 3, region: random.pick(REGIONS) };
    switch (kind) {
      case 'competitor-move':
        return { ...base, kind, competitor, product, sentiment: 'threat', title: `${rival} expands ${ours.category} range`, summary: `${rival} added models that compete with our ${ours.name} in ${base.region}.` };
      case 'price-change': {
        const cut = random.int(5, 20);
        return { ...base, kind, competitor, product, sentiment: 'threat', priceAmount: Math.round((ours.price * (100 - cut)) / 100), title: `${rival} cuts prices ${cut} %`, summary: `${rival} now sells its ${ours.category} rival to our ${ours.name} ${cut} % cheaper online.` };
      }
      case 'product-launch':
        return { ...base, kind, competitor, sentiment: 'neutral', title: `${rival} launches a new ${ours.category}`, summary: `Launch event in ${base.region}; shipping next quarter.` };
      case 'industry-report':
        return { ...base, kind, sentiment: 'opportunity', title: `Smart home security report ${month}`, summary: 'Analysts see double-digit growth for keyless entry in new housing estates.' };
      case 'trend':
        return { ...base, kind, sentiment: 'opportunity', title: 'Rental apartments go keyless', summary: 'Landlords prefer locks with temporary codes for tenants and cleaners.' };
      case 'regulation':
        return { ...base, kind, sentiment: 'neutral', title: 'New electronic lock safety standard', summary: 'A draft standard on anti-tamper tests; comments close next quarter.' };
      case 'customer-research':
        return { ...base, kind, product, sentiment: 'opportunity', title: `What buyers of ${ours.name} value`, summary: 'Survey: battery life and app reliability matter more than design.' };
      default:
        return { ...base, kind, product, sentiment: random.pick(['threat', 'opportunity'] as const), title: `Field report: ${ours.name} in ${base.region}`, summary: 'Installers ask for longer warranty and faster spare parts.' };
    }
  });

  const feedbackTexts: Record<DemoFeedback['kind'], string> = {
    defect: 'The keypad backlight stays on after locking.',
    suggestion: 'Please add temporary codes that expire automatically.',
    praise: 'Installation took ten minutes; the app is easy.',
    price: 'Cheaper bundles for whole apartment blocks would help.',
    other: 'Asked whether the product works with the building intercom.',
  };
  const feedback: DemoFeedback[] = months.flatMap((month) =>
    Array.from({ length: random.int(6, 10) }, () => {
      const kind = random.pick(['defect', 'suggestion', 'suggestion', 'praise', 'praise', 'price', 'other'] as const);
      return {
        at: localInstant(month, random.int(1, daysIn(month) - 1), random.int(9, 20)),
        customer: random.int(0, customers.length - 1),
        product: weighted(random, PRODUCTS, (item) => item.popularity),
        kind,
        channel: random.pick(['phone', 'email', 'web', 'survey', 'social-media', 'store', 'partner'] as const),
        text: feedbackTexts[kind],
      };
    }),
  );

  // Our revenue per category per month at list price, against a market about 12× larger.
  const marketFigures = months.flatMap((month, monthIndex) =>
    CATEGORIES.map((category) => {
      const ours = orders
        .filter((order) => order.month === month)
        .flatMap((order) => order.lines)
        .filter((line) => (PRODUCTS[line.product] as DemoProduct).category === category)
        .reduce((sum, line) => sum + line.quantity * (PRODUCTS[line.product] as DemoProduct).price, 0);
      const marketSize = Math.max(1_000_000, Math.round((ours * (11 + random() * 2) * (1 + monthIndex * 0.005)) / 10_000) * 10_000);
      return { category, month, marketSize, sharePercent: Math.round((ours / marketSize) * 10_000) / 100 };
    }),
  );

  return { months, customers, thresholds, receipts, orders, complaints, stocktakes, intel, feedback, marketFigures };
}
