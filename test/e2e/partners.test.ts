import { describe, expect, it } from 'vitest';
import type { SalesFigures } from '../../lib/sales/aggregates';
import { aChannel, anAgreement, anEvaluation, aPartner, aProduct } from '../support/factories';
import { useApi } from '../support/api';

const harness = useApi();

/** 2025 is over whatever the clock says now; 2099 has not begun. */
const closedYear = anAgreement({
  period: { from: '2025-01-01', to: '2025-12-31' },
  targets: [{ period: '2025-Q4', revenue: { amount: 10_000_000, currency: 'CNY' } }],
});

/** Sales figures written the way the orders module writes them (imported once the stack has set config). */
async function recordSales(partnerId: string, month: string, delta: Partial<SalesFigures>): Promise<void> {
  const { salesDeltaAction } = await import('../../lib/sales/aggregates');
  const { transactWrite } = await import('../../lib/platform/transact');
  await transactWrite([salesDeltaAction('partner', month, partnerId, delta)], () => new Error('unexpected condition failure'));
}

async function newPartner(): Promise<string> {
  const sales = await harness.api.as('sales');
  const created = await sales('POST', '/partners', { body: aPartner() });
  expect(created.status).toBe(201);
  return created.body.id;
}

describe('api: channels', () => {
  it('creates a distributor channel for a partner and lists it by type', async () => {
    const sales = await harness.api.as('sales');
    const partnerId = await newPartner();
    const created = await sales('POST', '/channels', { body: aChannel({ kind: 'offline', type: 'distributor', partnerId, name: 'East China distribution' }) });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/channels/${created.body.id}`);
    expect(created.headers.get('etag')).toBe('"1"');
    const listed = await sales('GET', `/channels?type=distributor&partnerId=${partnerId}`);
    expect(listed.body.items.map((channel: { id: string }) => channel.id)).toEqual([created.body.id]);
    const market = await harness.api.as('market');
    expect((await market('GET', `/channels/${created.body.id}`)).body).toMatchObject({ type: 'distributor', partnerId });
  });

  it('answers 400 with JSON paths for a kind–type mismatch and a missing partner', async () => {
    const sales = await harness.api.as('sales');
    const mismatch = await sales('POST', '/channels', { body: { ...aChannel(), kind: 'online', type: 'direct-store' } });
    expect(mismatch.status).toBe(400);
    expect(mismatch.headers.get('content-type')).toBe('application/problem+json');
    expect(mismatch.body.errors).toEqual([{ path: '$.body.type', message: 'online channels are e-commerce, company-site' }]);
    const noPartner = await sales('POST', '/channels', { body: { ...aChannel(), kind: 'offline', type: 'agent' } });
    expect(noPartner.body.errors).toEqual([{ path: '$.body.partnerId', message: 'required for agent channels' }]);
    const badFilter = await sales('GET', '/channels?kind=online&type=agent');
    expect(badFilter.status).toBe(400);
    expect(badFilter.body.errors[0].path).toBe('$.query.type');
  });
});

describe('api: partners and agreements', () => {
  it('shows market a partner without its contact and keeps agreements from it', async () => {
    const partnerId = await newPartner();
    const market = await harness.api.as('market');
    const seen = await market('GET', `/partners/${partnerId}`);
    expect(seen.status).toBe(200);
    expect(seen.body).not.toHaveProperty('contact');
    expect(seen.body).toMatchObject({ id: partnerId, kind: 'distributor', regions: ['east-china', 'south-china'] });
    const listed = await market('GET', '/partners?region=south-china&limit=100');
    expect(listed.body.items.length).toBeGreaterThan(0);
    for (const partner of listed.body.items) expect(partner).not.toHaveProperty('contact');
    expect((await market('GET', `/partners/${partnerId}/agreements`)).status).toBe(403);
    expect((await market('GET', `/partners/${partnerId}/performance?period=2025-Q4`)).status).toBe(403);
    const sales = await harness.api.as('sales');
    expect((await sales('GET', `/partners/${partnerId}`)).body.contact).toMatchObject({ name: 'Zhang Min', email: 'zhang.min@example.com' });
  });

  it('signs an agreement once per Idempotency-Key, refuses an overlapping one with 409, and amends with If-Match', async () => {
    const sales = await harness.api.as('sales');
    const admin = await harness.api.as('admin');
    const partnerId = await newPartner();
    const product = await admin('POST', '/products', { body: aProduct() });
    const body = anAgreement({ pricing: { kind: 'price-list', prices: [{ productId: product.body.id, unitPrice: { amount: 95_000, currency: 'CNY' } }] } });
    const headers = { 'idempotency-key': `agreement-${partnerId}` };
    const signed = await sales('POST', `/partners/${partnerId}/agreements`, { body, headers });
    expect(signed.status).toBe(201);
    expect(signed.headers.get('location')).toBe(`/partners/${partnerId}/agreements/${signed.body.id}`);
    const replayed = await sales('POST', `/partners/${partnerId}/agreements`, { body, headers });
    expect(replayed.status).toBe(201);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(replayed.body.id).toBe(signed.body.id);

    const overlapping = await sales('POST', `/partners/${partnerId}/agreements`, { body: anAgreement({ period: { from: '2026-12-01', to: '2027-11-30' }, targets: [] }) });
    expect(overlapping.status).toBe(409);
    expect(overlapping.body.conflictingAgreement).toEqual({ id: signed.body.id, from: '2026-01-01', to: '2026-12-31' });
    expect((await sales('GET', `/partners/${partnerId}/agreements`)).body.items).toHaveLength(1);

    const path = `/partners/${partnerId}/agreements/${signed.body.id}`;
    const read = await sales('GET', path);
    expect(read.headers.get('etag')).toBe('"1"');
    const amended = await sales('PATCH', path, { body: { paymentTermsDays: 45 }, headers: { 'if-match': '"1"' } });
    expect(amended.status).toBe(200);
    expect(amended.body).toMatchObject({ paymentTermsDays: 45, version: 2 });
    const stale = await sales('PATCH', path, { body: { paymentTermsDays: 30 }, headers: { 'if-match': '"1"' } });
    expect(stale.status).toBe(412);

    const badTiers = await sales('POST', `/partners/${partnerId}/agreements`, {
      body: anAgreement({ period: { from: '2027-01-01', to: '2027-12-31' }, targets: [], rebateTiers: [{ attainmentPercent: 110, rebatePercent: 2 }, { attainmentPercent: 100, rebatePercent: 3 }] }),
    });
    expect(badTiers.status).toBe(400);
    expect(badTiers.body.errors).toEqual([{ path: '$.body.rebateTiers[1].attainmentPercent', message: 'attainment thresholds must be strictly increasing' }]);
    const unknownProduct = await sales('POST', `/partners/${partnerId}/agreements`, {
      body: anAgreement({ period: { from: '2027-01-01', to: '2027-12-31' }, targets: [], pricing: { kind: 'price-list', prices: [{ productId: '01JZZZZZZZZZZZZZZZZZZZZZZZ', unitPrice: { amount: 1, currency: 'CNY' } }] } }),
    });
    expect(unknownProduct.status).toBe(400);
    expect(unknownProduct.body.errors).toEqual([{ path: '$.body.pricing.prices[0].productId', message: 'no product 01JZZZZZZZZZZZZZZZZZZZZZZZ' }]);
    expect((await sales('GET', `/partners/${partnerId}/agreements`)).body.items).toHaveLength(1);
  });
});

describe('api: partner performance and evaluations', () => {
  it('shows the exact sales against the target and the rebate owed for a closed period', async () => {
    const sales = await harness.api.as('sales');
    const partnerId = await newPartner();
    const agreement = await sales('POST', `/partners/${partnerId}/agreements`, { body: closedYear });
    expect(agreement.status).toBe(201);
    await recordSales(partnerId, '2025-10', { revenue: 6_000_000, cost: 4_000_000, grossProfit: 2_000_000, quantity: 60, orders: 4 });
    await recordSales(partnerId, '2025-12', { revenue: 4_500_025, cost: 3_000_000, grossProfit: 1_500_025, quantity: 45, orders: 3 });

    const performance = await sales('GET', `/partners/${partnerId}/performance?period=2025-Q4`);
    expect(performance.status).toBe(200);
    expect(performance.body).toMatchObject({
      agreementId: agreement.body.id,
      closed: true,
      actual: { revenue: { amount: 10_500_025, currency: 'CNY' }, grossProfit: { amount: 3_500_025, currency: 'CNY' }, quantity: 105, orders: 7 },
      target: { amount: 10_000_000, currency: 'CNY' },
      attainmentPercent: 105,
      // 2 % of 10,500,025 is 210,000.5: rounded half-up.
      rebate: { status: 'computed', tier: { attainmentPercent: 100, rebatePercent: 2 }, amount: { amount: 210_001, currency: 'CNY' } },
    });

    const evaluation = await sales('POST', `/partners/${partnerId}/evaluations`, { body: anEvaluation({ period: '2025-Q4' }) });
    expect(evaluation.status).toBe(201);
    expect(evaluation.headers.get('location')).toBe(`/partners/${partnerId}/evaluations/${evaluation.body.id}`);
    expect(evaluation.body).toMatchObject({ score: 83, grade: 'B', performance: { actual: performance.body.actual, rebate: performance.body.rebate } });
    const management = await harness.api.as('management');
    const listed = await management('GET', `/partners/${partnerId}/evaluations`);
    expect(listed.body.items.map((item: { id: string }) => item.id)).toEqual([evaluation.body.id]);
  });

  it('refuses weights that do not sum to 100 with the path, storing nothing, and never takes a typed rebate', async () => {
    const sales = await harness.api.as('sales');
    const partnerId = await newPartner();
    const body = anEvaluation({ criteria: [{ name: 'sales', weight: 70, score: 90 }, { name: 'service', weight: 20, score: 80 }] });
    const refused = await sales('POST', `/partners/${partnerId}/evaluations`, { body });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([{ path: '$.body.criteria', message: 'the weights sum to 90; they must sum to exactly 100' }]);
    const typed = await sales('POST', `/partners/${partnerId}/evaluations`, { body: { ...anEvaluation(), rebate: { amount: 1, currency: 'CNY' } } });
    expect(typed.status).toBe(400);
    expect(typed.body.errors).toEqual([{ path: '$.body.rebate', message: 'unknown field' }]);
    expect((await sales('GET', `/partners/${partnerId}/evaluations`)).body.items).toEqual([]);
  });

  it('owes no rebate while the period is open', async () => {
    const sales = await harness.api.as('sales');
    const partnerId = await newPartner();
    await sales('POST', `/partners/${partnerId}/agreements`, {
      body: anAgreement({ period: { from: '2099-01-01', to: '2099-12-31' }, targets: [{ period: '2099-Q1', revenue: { amount: 1_000, currency: 'CNY' } }] }),
    });
    await recordSales(partnerId, '2099-01', { revenue: 5_000 });
    const performance = await sales('GET', `/partners/${partnerId}/performance?period=2099-Q1`);
    expect(performance.body).toMatchObject({ closed: false, attainmentPercent: 500, rebate: { status: 'period-open', amount: null } });
    const badPeriod = await sales('GET', `/partners/${partnerId}/performance?period=2099-Q5`);
    expect(badPeriod.status).toBe(400);
    expect(badPeriod.body.errors[0].path).toBe('$.query.period');
  });
});
