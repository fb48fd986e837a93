import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useApi } from '../support/api';
import { aChannel, aCustomer, aProduct, aWarehouse } from '../support/factories';

const harness = useApi();

/** The month the API books "now" in (Asia/Shanghai by default). */
function thisMonth(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).format(new Date()).slice(0, 7);
}

async function aShippableOrder(quantity: number) {
  const admin = await harness.api.as('admin');
  const sales = await harness.api.as('sales');
  const product = await admin('POST', '/products', { body: aProduct({ listPrice: { amount: 10_000, currency: 'CNY' }, standardCost: { amount: 6_000, currency: 'CNY' } }) });
  const warehouse = await admin('POST', '/warehouses', { body: aWarehouse() });
  const productId = product.body.id as string;
  const warehouseId = warehouse.body.id as string;
  const receipt = await admin('POST', '/stock-movements', { body: { kind: 'receipt', source: 'purchase', lines: [{ productId, warehouseId, quantity: 10 }] } });
  const customer = await sales('POST', '/customers', { body: aCustomer() });
  const channel = await sales('POST', '/channels', { body: aChannel() });
  const order = await sales('POST', '/orders', { body: { customerId: customer.body.id, channelId: channel.body.id, lines: [{ productId, warehouseId, quantity }] } });
  expect([product.status, warehouse.status, receipt.status, customer.status, channel.status, order.status]).toEqual([201, 201, 201, 201, 201, 201]);
  const confirmed = await sales('POST', `/orders/${order.body.id}/confirm`, { headers: { 'idempotency-key': randomUUID() } });
  expect(confirmed.status).toBe(200);
  return { sales, productId, orderId: order.body.id as string };
}

async function productRevenue(sales: Awaited<ReturnType<typeof harness.api.as>>, month: string, productId: string): Promise<number | undefined> {
  const summary = await sales('GET', `/sales/summary?month=${month}&by=product`);
  expect(summary.status).toBe(200);
  return summary.body.rows.find((row: { id: string }) => row.id === productId)?.figures.revenue as number | undefined;
}

describe('local stack: the x-postlaunch-clock header', () => {
  it('books a shipment in the month of the pinned instant, in the company time zone', async () => {
    const { sales, productId, orderId } = await aShippableOrder(3);
    // 23:30 on 31 January in Shanghai is still January there (15:30 UTC).
    const shipped = await sales('POST', `/orders/${orderId}/shipments`, { body: {}, headers: { 'x-postlaunch-clock': '2025-01-31T23:30:00+08:00' } });
    expect(shipped.status).toBe(200);
    expect(await productRevenue(sales, '2025-01', productId)).toBe(30_000);
    expect(await productRevenue(sales, '2025-02', productId)).toBeUndefined();
    expect(await productRevenue(sales, thisMonth(), productId)).toBeUndefined();
  });

  it('uses the real clock when the header is absent', async () => {
    const { sales, productId, orderId } = await aShippableOrder(2);
    const shipped = await sales('POST', `/orders/${orderId}/shipments`, { body: {} });
    expect(shipped.status).toBe(200);
    expect(await productRevenue(sales, thisMonth(), productId)).toBe(20_000);
    expect(await productRevenue(sales, '2025-01', productId)).toBeUndefined();
  });

  it('refuses a malformed instant with 400 problem+json before the function runs', async () => {
    const sales = await harness.api.as('sales');
    for (const value of ['yesterday', '2025-02-30T10:00:00Z', '2025-01-31T23:30:00']) {
      const refused = await sales('GET', '/customers', { headers: { 'x-postlaunch-clock': value } });
      expect(refused.status, value).toBe(400);
      expect(refused.headers.get('content-type')).toBe('application/problem+json');
      expect(refused.body).toMatchObject({ status: 400, title: 'Bad request' });
    }
  });
});
