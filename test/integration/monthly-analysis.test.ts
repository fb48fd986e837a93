import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateDepartment, updateSettings } from '../../lib/organization/service';
import { DEFAULT_SETTINGS } from '../../lib/organization/defaults';
import type { DepartmentCode } from '../../lib/organization/schema';
import { formatMoney } from '../../lib/reports/format';
import { runMonthlyAnalysis } from '../../lib/reports/job';
import type { ReportSection } from '../../lib/reports/model';
import { listReports, readSection, sectionCsv } from '../../lib/reports/service';
import { getSection } from '../../lib/reports/store';
import { confirmOrder, createOrder, shipOrder } from '../../lib/sales/orders';
import { chromiumAvailable, launchChromium, renderEmailHtml } from '../support/chromium';
import { anActor, fixedClock, testContext } from '../support/factories';
import { emailsTo, uniqueEmail } from '../support/mail';
import { aSalesWorld, seller, type SalesWorld } from '../support/sales';

/**
 * The monthly job end to end on real aggregates: the company's month decides what a report
 * holds, a re-run is byte-identical and silent, and each head's digest renders in Chromium
 * (tenfold the orders: monthly-analysis-scale.test.ts).
 */
const admin = anActor(['admin']);
const OCTOBER = '2026-10';
/** 02:00 on 1 November in Shanghai, when the schedule fires. */
const RUN_AT = '2026-10-31T18:00:00Z';
const API = 'https://api.example.com';

const HEADS: Partial<Record<DepartmentCode, string>> = {
  sales: uniqueEmail('sales-head'),
  market: uniqueEmail('market-head'),
  service: uniqueEmail('service-head'),
  production: uniqueEmail('production-head'),
  procurement: uniqueEmail('procurement-head'),
  management: uniqueEmail('management-head'),
};

let world: SalesWorld;
/** Revenue shipped on 31 October at 23:30 and on 1 November at 00:30, Shanghai time. */
const revenue = { october: 0, lastEvening: 0, firstMorning: 0 };

async function shippedOrder(at: string, quantities: number[]): Promise<{ id: string; revenue: number }> {
  const context = testContext(fixedClock(at));
  const order = await createOrder(context, seller, {
    customerId: world.customerId,
    channelId: world.channelId,
    repId: world.repId,
    lines: quantities.map((quantity, index) => ({ productId: world.products[index] as string, warehouseId: world.warehouseId, quantity, discountPercent: 0 })),
  });
  await confirmOrder(context, seller, order.id);
  await shipOrder(context, seller, order.id, {});
  return { id: order.id, revenue: order.total };
}

function figure(section: ReportSection, id: string): unknown {
  return section.figures.find((candidate) => candidate.id === id)?.value;
}

beforeAll(async () => {
  await updateSettings(testContext(), admin, { ...DEFAULT_SETTINGS, companyName: 'Lockwell', timeZone: 'Asia/Shanghai', currency: 'CNY' }, undefined);
  for (const [code, email] of Object.entries(HEADS) as Array<[DepartmentCode, string]>) {
    await updateDepartment(testContext(), admin, code, { head: { name: `Head of ${code}`, email } }, undefined);
  }
  world = await aSalesWorld({ listPrice: 10_000, standardCost: 6_000, stock: [500, 500] });
  const early = await shippedOrder('2026-10-10T02:00:00Z', [3, 2]);
  const lastEvening = await shippedOrder('2026-10-31T15:30:00Z', [1, 1]);
  const firstMorning = await shippedOrder('2026-10-31T16:30:00Z', [4, 0]);
  revenue.october = early.revenue + lastEvening.revenue;
  revenue.lastEvening = lastEvening.revenue;
  revenue.firstMorning = firstMorning.revenue;
});

describe('the monthly analysis', () => {
  it('books by the company’s month: 23:30 on 31 October in Shanghai is October, 00:30 on 1 November is not', async () => {
    const result = await runMonthlyAnalysis(testContext(fixedClock(RUN_AT)), API, {});
    expect(result.month).toBe(OCTOBER);
    const sales = JSON.parse((await getSection(OCTOBER, 'sales'))?.body ?? '{}') as ReportSection;
    expect(figure(sales, 'revenue')).toBe(revenue.october);
    expect(revenue.firstMorning).toBeGreaterThan(0);
  });

  it('refuses a month that has not ended in the company time zone', async () => {
    await expect(runMonthlyAnalysis(testContext(fixedClock('2026-10-31T15:00:00Z')), API, { month: OCTOBER })).rejects.toMatchObject({ status: 400 });
  });

  it('sends each head one digest; a re-run is byte-identical and sends nothing; --resend sends once more', async () => {
    for (const email of Object.values(HEADS)) expect(await emailsTo(email as string), email).toHaveLength(1);
    const before = await Promise.all((['market-trends', 'sales', 'after-sales', 'inventory', 'recommendations'] as const).map((section) => getSection(OCTOBER, section)));

    const again = await runMonthlyAnalysis(testContext(fixedClock('2026-11-02T09:00:00Z')), API, { month: OCTOBER });
    expect(again.sections.map((section) => section.changed)).toEqual([false, false, false, false, false]);
    expect(again.digests.sent).toEqual([]);
    expect(again.digests.alreadySent).toHaveLength(Object.keys(HEADS).length);
    const after = await Promise.all(before.map((stored) => getSection(OCTOBER, stored?.section ?? 'sales')));
    expect(after).toEqual(before);
    for (const email of Object.values(HEADS)) expect(await emailsTo(email as string)).toHaveLength(1);

    const resent = await runMonthlyAnalysis(testContext(fixedClock('2026-11-02T09:05:00Z')), API, { month: OCTOBER, resend: true });
    expect(resent.digests.sent).toHaveLength(Object.keys(HEADS).length);
    for (const email of Object.values(HEADS)) expect(await emailsTo(email as string)).toHaveLength(2);
  });

  it('gives each head only their sections, with the figures and a link to the full report', async () => {
    const [salesMail] = await emailsTo(HEADS.sales as string);
    expect(salesMail?.subject).toBe('[postlaunch] Sales, October 2026');
    expect(salesMail?.body.text).toContain(formatMoney(revenue.october, 'CNY'));
    expect(salesMail?.body.text).toContain(`${API}/reports/${OCTOBER}/sales`);
    expect(salesMail?.body.text).not.toContain('Inventory');
    const [inventoryMail] = await emailsTo(HEADS.procurement as string);
    expect(inventoryMail?.subject).toBe('[postlaunch] Inventory, October 2026');
    const [summary] = await emailsTo(HEADS.management as string);
    expect(summary?.subject).toBe('[postlaunch] Monthly summary, October 2026');
    for (const title of ['Market trends', 'Sales', 'After-sales service', 'Inventory', 'Recommendations']) expect(summary?.body.text).toContain(title);
  });

  it('serves the report through the reads the API uses: the month’s sections by role, JSON and CSV', async () => {
    const [month] = (await listReports(anActor(['sales']), { month: OCTOBER, limit: 25 })).items;
    expect(month?.sections.map((section) => section.section).sort()).toEqual(['market-trends', 'sales']);
    const [all] = (await listReports(anActor(['management']), { month: OCTOBER, limit: 25 })).items;
    expect(all?.sections).toHaveLength(5);

    const sales = await readSection(OCTOBER, 'sales');
    const { csv, filename } = sectionCsv(sales, sales.tables[0]?.id);
    expect(filename).toBe(`sales-${OCTOBER}-${sales.tables[0]?.id}.csv`);
    const lines = csv.trimEnd().split('\r\n');
    expect(lines).toHaveLength((sales.tables[0]?.rows.length ?? 0) + 1);
    expect(() => sectionCsv(sales, 'no-such-table')).toThrow(/no table/);
  });
});

describe('digests in a browser', () => {
  let browser: Browser | undefined;
  beforeAll(async () => {
    if (!chromiumAvailable()) throw new Error('Chromium is missing: `npm test` installs it (scripts/ensure-chromium.mjs)');
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('renders every head’s digest in headless Chromium: not blank, no scripts or images, key figures in the DOM', { timeout: 120_000 }, async () => {
    const sales = await readSection(OCTOBER, 'sales');
    const inventory = await readSection(OCTOBER, 'inventory');
    const keyFigures: Partial<Record<DepartmentCode, string[]>> = {
      sales: [formatMoney(revenue.october, 'CNY'), 'Sales, October 2026'],
      management: [formatMoney(revenue.october, 'CNY'), 'Recommendations'],
      production: ['Inventory, October 2026', ...inventory.tables.slice(0, 1).map((table) => table.title)],
      procurement: ['Inventory, October 2026'],
      service: ['After-sales service, October 2026'],
      market: ['Market trends, October 2026'],
    };
    expect(sales.currency).toBe('CNY');
    for (const [code, email] of Object.entries(HEADS) as Array<[DepartmentCode, string]>) {
      const [mail] = await emailsTo(email);
      const rendered = await renderEmailHtml(browser as Browser, mail?.body.html ?? '');
      expect(rendered.ink, `${code}: the screenshot is blank`).toBeGreaterThan(0.005);
      expect([rendered.scripts, rendered.images]).toEqual([0, 0]);
      for (const expected of keyFigures[code] ?? []) expect(rendered.text, `${code} digest`).toContain(expected);
    }
  });
});
