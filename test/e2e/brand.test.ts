import { describe, expect, it } from 'vitest';
import { useApi } from '../support/api';
import { aBrand, aCampaign, aChannel, aCustomer, aMaterial, aProduct, aWarehouse } from '../support/factories';

const harness = useApi();

/** The current month in the company time zone (Asia/Shanghai by default), as orders are booked. */
function thisMonth(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).format(new Date()).slice(0, 7);
}

/** The first and last day of the current company month. */
function thisMonthPeriod(): { from: string; to: string } {
  const [year, month] = thisMonth().split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return { from: `${thisMonth()}-01`, to: `${thisMonth()}-${String(last).padStart(2, '0')}` };
}

/** A product listed at 200.00 costing 120.00, with `stock` units on hand, a customer and an online channel. */
async function aStockedProduct(stock: number) {
  const admin = await harness.api.as('admin');
  const sales = await harness.api.as('sales');
  const product = await admin('POST', '/products', { body: aProduct({ listPrice: { amount: 20_000, currency: 'CNY' }, standardCost: { amount: 12_000, currency: 'CNY' } }) });
  const warehouse = await admin('POST', '/warehouses', { body: aWarehouse() });
  const productId = product.body.id as string;
  const warehouseId = warehouse.body.id as string;
  const receipt = await admin('POST', '/stock-movements', { body: { kind: 'receipt', source: 'purchase', lines: [{ productId, warehouseId, quantity: stock }] } });
  const customer = await sales('POST', '/customers', { body: aCustomer() });
  const channel = await sales('POST', '/channels', { body: aChannel() });
  expect([product.status, warehouse.status, receipt.status, customer.status, channel.status]).toEqual([201, 201, 201, 201, 201]);
  const ship = async (quantity: number) => {
    const order = await sales('POST', '/orders', { body: { customerId: customer.body.id, channelId: channel.body.id, lines: [{ productId, warehouseId, quantity }] } });
    expect(order.status).toBe(201);
    expect((await sales('POST', `/orders/${order.body.id}/confirm`)).status).toBe(200);
    expect((await sales('POST', `/orders/${order.body.id}/shipments`, { body: {} })).body.status).toBe('shipped');
  };
  return { productId, ship };
}

async function aBrandId(): Promise<string> {
  const market = await harness.api.as('market');
  const created = await market('POST', '/brands', { body: aBrand() });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

describe('acceptance: campaign ROI through the local API', () => {
  it('a campaign with spend and KPIs returns its ROI from the real sales figures of its products in its period', async () => {
    const { productId, ship } = await aStockedProduct(20);
    await ship(2);
    await ship(1);
    const market = await harness.api.as('market');
    const created = await market('POST', '/campaigns', {
      body: aCampaign(await aBrandId(), {
        productIds: [productId],
        period: thisMonthPeriod(),
        kpis: [
          { metric: 'leads', target: 400, actual: 100 },
          { metric: 'share-of-voice', target: 20, actual: 15.5 },
        ],
      }),
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const spent = await market('PATCH', `/campaigns/${id}`, { body: { actualSpend: { amount: 10_000, currency: 'CNY' }, status: 'active' }, headers: { 'if-match': created.headers.get('etag') as string } });
    expect(spent.status).toBe(200);
    expect(spent.body.kpis).toEqual([
      { metric: 'leads', unit: 'count', target: 400, actual: 100, attainmentPercent: 25 },
      { metric: 'share-of-voice', unit: 'percent', target: 20, actual: 15.5, attainmentPercent: 77.5 },
    ]);

    const roi = await market('GET', `/campaigns/${id}/roi`);
    expect(roi.status).toBe(200);
    // 3 units at 200.00 list = 600.00 revenue, 360.00 cost, 240.00 gross profit; (240.00 − 100.00) ÷ 100.00 = 140 %.
    expect(roi.body).toMatchObject({
      campaignId: id,
      complete: false,
      spend: { amount: 10_000, currency: 'CNY' },
      sales: { firstMonth: thisMonth(), lastMonth: thisMonth(), revenue: { amount: 60_000 }, grossProfit: { amount: 24_000 }, quantity: 3 },
      attributableGrossProfit: { amount: 24_000, currency: 'CNY' },
      roiPercent: 140,
      baseline: null,
      attribution: { rule: 'all-sales-in-period' },
    });
    const uplift = await market('GET', `/campaigns/${id}/roi?baseline=true`);
    expect(uplift.body).toMatchObject({ baseline: { grossProfit: { amount: 0 }, quantity: 0 }, attributableGrossProfit: { amount: 24_000 }, roiPercent: 140, attribution: { rule: 'uplift-over-baseline' } });
    const management = await harness.api.as('management');
    expect((await management('GET', `/campaigns/${id}/roi`)).body.roiPercent).toBe(140);
  }, 60_000);
});

describe('acceptance: brand strategy versions through the local API', () => {
  it('keeps every version of the strategy; an edit with a stale If-Match is 412 and writes nothing', async () => {
    const market = await harness.api.as('market');
    const created = await market('POST', '/brands', { body: aBrand({ positioning: 'Version one.' }) });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"1"');
    const path = `/brands/${created.body.id}`;
    const second = await market('PATCH', path, { body: { positioning: 'Version two.', changeNote: 'survey results' }, headers: { 'if-match': '"1"' } });
    expect(second.status).toBe(200);
    expect(second.headers.get('etag')).toBe('"2"');
    const third = await market('PATCH', path, { body: { coreValues: ['safety first'] }, headers: { 'if-match': '"2"' } });
    expect(third.status).toBe(200);

    const stale = await market('PATCH', path, { body: { positioning: 'Lost edit.' }, headers: { 'if-match': '"2"' } });
    expect(stale.status).toBe(412);
    expect(stale.headers.get('content-type')).toBe('application/problem+json');

    const everyone = await harness.api.as('production');
    const versions = await everyone('GET', `${path}/versions`);
    expect(versions.status).toBe(200);
    expect(versions.body.items.map((version: { version: number; positioning: string }) => [version.version, version.positioning])).toEqual([
      [3, 'Version two.'],
      [2, 'Version two.'],
      [1, 'Version one.'],
    ]);
    const first = await everyone('GET', `${path}/versions/1`);
    expect(first.body).toMatchObject({ version: 1, positioning: 'Version one.', coreValues: ['safety first', 'quiet design'] });
    expect((await everyone('GET', `${path}/versions/9`)).status).toBe(404);
    expect((await everyone('GET', path)).body).toMatchObject({ version: 3, positioning: 'Version two.', coreValues: ['safety first'] });
  });

  it('answers a 300 KiB body with 413 and writes nothing', async () => {
    const market = await harness.api.as('market');
    const before = (await market('GET', '/brands?limit=100')).body.items.length;
    const huge = await market('POST', '/brands', { body: aBrand({ positioning: 'x'.repeat(300 * 1024) }) });
    expect(huge.status).toBe(413);
    expect(huge.headers.get('content-type')).toBe('application/problem+json');
    const hugeCampaign = await market('POST', '/campaigns', { body: aCampaign(await aBrandId(), { notes: 'y'.repeat(300 * 1024) }) });
    expect(hugeCampaign.status).toBe(413);
    expect((await market('GET', '/brands?limit=100')).body.items.length).toBe(before + 1);
  });
});

describe('campaigns through the local API: bad input, money by role, materials', () => {
  it('refuses a negative budget, a share over 100 % and an unknown product with 400, naming the fields, and stores nothing', async () => {
    const market = await harness.api.as('market');
    const brandId = await aBrandId();
    const negative = await market('POST', '/campaigns', { body: aCampaign(brandId, { budget: { amount: -100, currency: 'CNY' } }) });
    expect(negative.status).toBe(400);
    expect(negative.body.errors).toEqual([expect.objectContaining({ path: '$.body.budget.amount' })]);
    const share = await market('POST', '/campaigns', { body: aCampaign(brandId, { kpis: [{ metric: 'share-of-voice', target: 140 }] }) });
    expect(share.status).toBe(400);
    expect(share.body.errors).toEqual([expect.objectContaining({ path: '$.body.kpis[0].target' })]);
    const unknown = await market('POST', '/campaigns', { body: aCampaign(brandId, { productIds: ['01JZZZZZZZZZZZZZZZZZZZZZZZ'] }) });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([{ path: '$.body.productIds[0]', message: 'no product 01JZZZZZZZZZZZZZZZZZZZZZZZ' }]);
    const kind = await market('POST', '/campaigns', { body: { ...aCampaign(brandId), channel: 'billboard' } });
    expect(kind.status).toBe(400);
    expect((await market('GET', `/campaigns?brandId=${brandId}`)).body.items).toEqual([]);
  });

  it('shows a non-market role the campaign without budget or spend, and refuses it the ROI', async () => {
    const market = await harness.api.as('market');
    const brandId = await aBrandId();
    const created = await market('POST', '/campaigns', { body: aCampaign(brandId, { actualSpend: { amount: 700, currency: 'CNY' } }) });
    expect(created.body).toMatchObject({ budget: { amount: 5_000_000 }, actualSpend: { amount: 700 } });
    for (const role of ['rnd', 'sales', 'service'] as const) {
      const other = await harness.api.as(role);
      const one = await other('GET', `/campaigns/${created.body.id}`);
      expect(one.status).toBe(200);
      expect(one.body).not.toHaveProperty('budget');
      expect(one.body).not.toHaveProperty('actualSpend');
      expect(one.body).toMatchObject({ name: 'Winter launch', kpis: [{ metric: 'reach' }, { metric: 'share-of-voice' }] });
      const listed = await other('GET', `/campaigns?brandId=${brandId}`);
      expect(listed.body.items).toHaveLength(1);
      expect(listed.body.items[0]).not.toHaveProperty('budget');
      expect((await other('GET', `/campaigns/${created.body.id}/roi`)).status).toBe(403);
    }
    for (const role of ['management', 'admin'] as const) expect((await (await harness.api.as(role))('GET', `/campaigns/${created.body.id}`)).body.budget).toEqual({ amount: 5_000_000, currency: 'CNY' });
  });

  it('runs a material through review: a market user who is not the head is refused, the head approves, an illegal move is 409', async () => {
    const market = await harness.api.as('market');
    const admin = await harness.api.as('admin');
    const campaign = await market('POST', '/campaigns', { body: aCampaign(await aBrandId()) });
    const material = await market('POST', `/campaigns/${campaign.body.id}/materials`, { body: aMaterial() });
    expect(material.status).toBe(201);
    const path = `/campaigns/${campaign.body.id}/materials/${material.body.id}`;
    expect((await market('POST', `${path}/approve`)).status).toBe(403);
    expect((await market('POST', `${path}/submit`)).status).toBe(200);
    expect((await admin('PUT', '/departments/market', { body: { head: { name: 'Someone else', email: 'someone.else@example.com' } } })).status).toBe(200);
    expect((await market('POST', `${path}/approve`)).status).toBe(403);
    expect((await admin('PUT', '/departments/market', { body: { head: { name: 'Market head', email: 'market@example.com' } } })).status).toBe(200);
    const approved = await market('POST', `${path}/approve`, { headers: { 'if-match': '"2"' } });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', approvedBy: 'market@example.com', history: [{ action: 'submit' }, { action: 'approve', by: 'market@example.com' }] });
    const again = await market('POST', `${path}/submit`);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ currentStatus: 'approved', allowed: ['retire'] });
    expect((await market('POST', `${path}/retire`)).body.status).toBe('retired');
    const listed = await (await harness.api.as('production'))('GET', `/campaigns/${campaign.body.id}/materials`);
    expect(listed.body.items).toEqual([expect.objectContaining({ id: material.body.id, status: 'retired' })]);
  });
});
