import { listProducts } from '../catalog/service';
import { getSettings } from '../organization/service';
import type { ServiceContext } from '../platform/context';
import { db } from '../platform/db';
import { ValidationError } from '../platform/errors';
import { meterReads } from '../platform/read-meter';
import { localMonth } from '../platform/time';
import { deliverDigests, type DigestDelivery } from './delivery';
import type { ReportInput, ReportProduct, ReportSection, SectionName } from './model';
import { shiftMonth } from './numbers';
import { buildRecommendationsSection } from './recommendations';
import { buildAfterSalesSection } from './sections/after-sales';
import { buildInventorySection } from './sections/inventory';
import { buildMarketTrendsSection } from './sections/market-trends';
import { buildSalesSection } from './sections/sales';
import { saveMonthIndex, saveSection } from './store';

export interface MonthlyRunOptions {
  /** yyyy-mm; default: the month just ended in the company time zone. */
  month?: string;
  /** Send the digests again, even to heads who already received this month's. */
  resend?: boolean;
}

export interface MonthlyRunResult {
  month: string;
  sections: Array<{ section: SectionName; changed: boolean; sha256: string }>;
  digests: DigestDelivery;
  /** What building the sections read: items returned and commands by name (never a Scan). */
  reads: { itemsRead: number; commands: Record<string, number> };
  ms: number;
}

/**
 * The monthly analysis: builds every section of `month` from aggregates, stores each one only
 * if its bytes changed, and sends each head their digest once (again only with `resend`).
 * Safe to run any number of times for any month that has ended.
 */
export async function runMonthlyAnalysis(context: ServiceContext, apiBaseUrl: string, options: MonthlyRunOptions = {}): Promise<MonthlyRunResult> {
  const now = context.clock.now();
  const settings = await getSettings();
  const current = localMonth(now, settings.timeZone);
  const month = options.month ?? shiftMonth(current, 1);
  if (month >= current) {
    throw new ValidationError(`${month} has not ended yet in ${settings.timeZone}: a report covers a whole month`, [{ path: '$.month', message: `a month before ${current}` }]);
  }
  const started = performance.now();
  const meter = meterReads(db);
  let sections: ReportSection[];
  try {
    const input: ReportInput = { month, timeZone: settings.timeZone, currency: settings.currency, products: await allProducts() };
    sections = await buildSections(input);
  } finally {
    meter.stop();
  }
  const reads = { itemsRead: meter.itemsRead, commands: meter.commands };
  const ms = Math.round(performance.now() - started);

  const builtAt = now.toISOString();
  const saved = [];
  for (const section of sections) {
    const { changed, stored } = await saveSection(section, builtAt);
    saved.push({ section: section.section, changed, sha256: stored.sha256 });
  }
  await saveMonthIndex(month);
  const digests = await deliverDigests(context, { month, sections, companyName: settings.companyName, apiBaseUrl, resend: options.resend ?? false });
  return { month, sections: saved, digests, reads, ms };
}

/** The four sections read their aggregates side by side; the recommendations read those four. */
export async function buildSections(input: ReportInput): Promise<ReportSection[]> {
  const [market, sales, afterSales, inventory] = await Promise.all([
    buildMarketTrendsSection(input),
    buildSalesSection(input),
    buildAfterSalesSection(input),
    buildInventorySection(input),
  ]);
  return [market, sales, afterSales, inventory, buildRecommendationsSection(input, { market, sales, afterSales, inventory })];
}

/** The catalog, by SKU: products are the report's rows (tens to hundreds). */
async function allProducts(): Promise<ReportProduct[]> {
  const products: ReportProduct[] = [];
  let cursor: string | undefined;
  do {
    const page = await listProducts({ limit: 100, cursor });
    for (const product of page.items) {
      products.push({
        id: product.id,
        sku: product.sku,
        name: product.name,
        category: product.category,
        ownerDepartment: product.ownerDepartment,
        ...(product.standardCost ? { standardCost: product.standardCost.amount } : {}),
      });
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return products.sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
}
