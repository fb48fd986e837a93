import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useApi } from '../support/api';
import { aChannel, aCustomer, anAgreement, aPartner, aProduct, aWarehouse } from '../support/factories';
import { uniqueEmail, waitForEmailsAbout } from '../support/mail';

const harness = useApi();

/** The current month in the company time zone (Asia/Shanghai by default), as the API books it. */
function thisMonth(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).format(new Date()).slice(0, 7);
}

async function aStockedWorld(stock: number) {
  const admin = await harness.api.as('admin');
  const sales = await harness.api.as('sales');
  const region = `r-${randomUUID().slice(0, 8)}`;
  const product = await admin('POST', '/products', { body: aProduct({ listPrice: { amount: 20_000, currency: 'CNY' }, standardCost: { amount: 12_000, currency: 'CNY' } }) });
  const warehouse = await admin('POST', '/warehouses', { body: aWarehouse() });
  const productId = product.body.id as string;
  const warehouseId = warehouse.body.id as string;
  const receipt = await admin('POST', '/stock-movements', { body: { kind: 'receipt', source: 'purchase', lines: [{ productId, warehouseId, quantity: stock }] } });
  const customer = await sales('POST', '/customers', { body: aCustomer({ region }) });
  const partner = await sales('POST', '/partners', { body: aPartner({ regions: [region] }) });
  const partnerId = partner.body.id as string;
  const agreement = await sales('POST', `/partners/${partnerId}/agreements`, {
    body: anAgreement({ period: { from: '2020-01-01', to: '2035-12-31' }, regions: [region], pricing: { kind: 'discount', percent: 10 }, targets: [{ period: thisMonth(), revenue: { amount: 100_000, currency: 'CNY' } }] }),
  });
  const channel = await sales('POST', '/channels', { body: aChannel({ name: 'Distributor channel', kind: 'offline', type: 'distributor', partnerId }) });
  expect([product.status, warehouse.status, receipt.status, customer.status, partner.status, agreement.status, channel.status]).toEqual([201, 201, 201, 201, 201, 201, 201]);
  return { sales, admin, productId, warehouseId, customerId: customer.body.id as string, partnerId, channelId: channel.body.id as string, region };
}

describe('acceptance: orders through the local API', () => {
  it('confirms and ships two orders: stock, the sales summary and the partner’s performance show the exact totals; a return follows through', async () => {
    const world = await aStockedWorld(50);
    const { sales } = world;
    const order = (quantity: number) => sales('POST', '/orders', { body: { customerId: world.customerId, channelId: world.channelId, lines: [{ productId: world.productId, warehouseId: world.warehouseId, quantity }] } });
    const first = await order(3);
    const second = await order(2);
    expect([first.status, second.status]).toEqual([201, 201]);
    // 10 % off the 200.00 list price, from the partner's agreement.
    expect(first.body).toMatchObject({ status: 'draft', partnerId: world.partnerId, lines: [{ unitPrice: 18_000, priceSource: 'agreement', netAmount: 54_000 }] });

    for (const created of [first, second]) {
      const confirmed = await sales('POST', `/orders/${created.body.id}/confirm`, { headers: { 'idempotency-key': randomUUID() } });
      expect(confirmed.status).toBe(200);
      const shipped = await sales('POST', `/orders/${created.body.id}/shipments`, { body: {}, headers: { 'idempotency-key': randomUUID() } });
      expect(shipped.body.status).toBe('shipped');
    }
    const stock = await sales('GET', `/stock/${world.productId}/${world.warehouseId}`);
    expect(stock.body).toMatchObject({ onHand: 45, reserved: 0, available: 45 });

    const month = thisMonth();
    const byPartner = await sales('GET', `/sales/summary?month=${month}&by=partner`);
    expect(byPartner.status).toBe(200);
    const row = byPartner.body.rows.find((candidate: { id: string }) => candidate.id === world.partnerId);
    expect(row.figures).toEqual({ revenue: 90_000, cost: 60_000, grossProfit: 30_000, quantity: 5, orders: 2, newCustomers: 1, repeatCustomers: 0 });
    const performance = await sales('GET', `/partners/${world.partnerId}/performance?period=${month}`);
    expect(performance.status).toBe(200);
    // Target 1,000.00 for the month: 900.00 shipped is 90 % of it.
    expect(performance.body).toMatchObject({ actual: { revenue: { amount: 90_000 }, grossProfit: { amount: 30_000 }, quantity: 5, orders: 2 }, attainmentPercent: 90 });

    const returned = await sales('POST', `/orders/${second.body.id}/returns`, { body: { reason: 'wrong colour', lines: [{ line: 0, quantity: 2 }] }, headers: { 'idempotency-key': randomUUID() } });
    expect(returned.status).toBe(200);
    const after = await sales('GET', `/sales/summary?month=${month}&by=partner`);
    expect(after.body.rows.find((candidate: { id: string }) => candidate.id === world.partnerId).figures).toMatchObject({ revenue: 54_000, cost: 36_000, quantity: 3 });
    expect((await sales('GET', `/stock/${world.productId}/${world.warehouseId}`)).body).toMatchObject({ onHand: 47 });
    const performanceAfter = await sales('GET', `/partners/${world.partnerId}/performance?period=${month}`);
    expect(performanceAfter.body).toMatchObject({ actual: { revenue: { amount: 54_000 }, quantity: 3, orders: 2 }, attainmentPercent: 54 });
  }, 60_000);

  it('a confirm retried with its Idempotency-Key after a lost response reserves once; a shipment retried books revenue once', async () => {
    const world = await aStockedWorld(10);
    const created = await world.sales('POST', '/orders', { body: { customerId: world.customerId, channelId: world.channelId, lines: [{ productId: world.productId, warehouseId: world.warehouseId, quantity: 4 }] } });
    const token = await harness.api.tokenFor('sales');
    // The client gives up before the answer arrives; the server carries on.
    const lostOnce = async (path: string, key: string, body?: unknown) => {
      const aborted = new AbortController();
      const request = fetch(`${harness.stack.apiUrl}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'idempotency-key': key, 'content-type': 'application/json' },
        body: JSON.stringify(body ?? {}),
        signal: aborted.signal,
      }).catch((error: unknown) => error);
      aborted.abort();
      await request;
      for (;;) {
        const retried = await world.sales('POST', path, { body: body ?? {}, headers: { 'idempotency-key': key } });
        if (retried.status !== 409 || !String(retried.body.detail).includes('still being processed')) return retried;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const confirmKey = randomUUID();
    const confirmed = await lostOnce(`/orders/${created.body.id}/confirm`, confirmKey);
    expect(confirmed.status).toBe(200);
    const again = await world.sales('POST', `/orders/${created.body.id}/confirm`, { headers: { 'idempotency-key': confirmKey } });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect((await world.sales('GET', `/stock/${world.productId}/${world.warehouseId}`)).body).toMatchObject({ reserved: 4, available: 6 });

    const shipKey = randomUUID();
    expect((await lostOnce(`/orders/${created.body.id}/shipments`, shipKey, {})).status).toBe(200);
    expect((await world.sales('POST', `/orders/${created.body.id}/shipments`, { body: {}, headers: { 'idempotency-key': shipKey } })).status).toBe(200);
    expect((await world.sales('GET', `/stock/${world.productId}/${world.warehouseId}`)).body).toMatchObject({ onHand: 6, reserved: 0 });
    const summary = await world.sales('GET', `/sales/summary?month=${thisMonth()}&by=region`);
    expect(summary.body.rows.find((row: { id: string }) => row.id === world.region).figures).toMatchObject({ quantity: 4, revenue: 72_000, orders: 1 });
  }, 60_000);

  it('a confirm that takes available stock below its minimum sends the inventory alert email', async () => {
    const world = await aStockedWorld(12);
    const productionHead = uniqueEmail('production-head');
    expect((await world.admin('PUT', '/departments/production', { body: { head: { name: 'Zhang Min', email: productionHead } } })).status).toBe(200);
    const thresholds = await world.admin('PUT', `/stock/${world.productId}/${world.warehouseId}/thresholds`, { body: { safety: 2, minimum: 10, maximum: 100, reorderQuantity: 40, leadTimeDays: 7 } });
    expect(thresholds.status).toBe(200);
    const created = await world.sales('POST', '/orders', { body: { customerId: world.customerId, channelId: world.channelId, lines: [{ productId: world.productId, warehouseId: world.warehouseId, quantity: 5 }] } });
    expect((await world.sales('POST', `/orders/${created.body.id}/confirm`)).status).toBe(200);
    const alerts = await waitForEmailsAbout(productionHead, 'Below minimum', 1);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.subject).toContain('(7 available, minimum 10)');
  }, 30_000);

  it('a market user reads the figures but not the orders', async () => {
    const market = await harness.api.as('market');
    expect((await market('GET', `/sales/summary?month=${thisMonth()}&by=product`)).status).toBe(200);
    expect((await market('GET', '/orders?status=confirmed')).status).toBe(403);
    expect((await market('GET', '/invoices')).status).toBe(403);
  });
});
