import { describe, expect, it } from 'vitest';
import { aProduct, aWarehouse } from '../support/factories';
import { useApi } from '../support/api';

const harness = useApi();

async function aLevel() {
  const admin = await harness.api.as('admin');
  const [product, warehouse] = await Promise.all([admin('POST', '/products', { body: aProduct() }), admin('POST', '/warehouses', { body: aWarehouse() })]);
  return { productId: product.body.id as string, warehouseId: warehouse.body.id as string };
}

describe('api: stock movements', () => {
  it('records one movement for ten concurrent requests with the same Idempotency-Key', async () => {
    const production = await harness.api.as('production');
    const level = await aLevel();
    const body = { kind: 'receipt', source: 'purchase', reference: 'PO-1', lines: [{ ...level, quantity: 5 }] };
    const headers = { 'idempotency-key': `receipt-${level.productId}` };
    const responses = await Promise.all(Array.from({ length: 10 }, () => production('POST', '/stock-movements', { body, headers })));
    const created = responses.filter((response) => response.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    // The others either replayed the first response or were told it is still in progress.
    for (const response of responses) expect([201, 409]).toContain(response.status);
    expect(new Set(created.map((response) => response.body.id)).size).toBe(1);
    const ledger = await production('GET', `/stock-movements?productId=${level.productId}&warehouseId=${level.warehouseId}`);
    expect(ledger.body.items).toHaveLength(1);
    const stock = await production('GET', `/stock/${level.productId}/${level.warehouseId}`);
    expect(stock.body.onHand).toBe(5);
  });

  it('answers a shortfall with 409 and the quantity available, writing nothing', async () => {
    const production = await harness.api.as('production');
    const level = await aLevel();
    await production('POST', '/stock-movements', { body: { kind: 'receipt', source: 'production', lines: [{ ...level, quantity: 3 }] } });
    const short = await production('POST', '/stock-movements', { body: { kind: 'issue', purpose: 'sale', reference: 'SO-1', lines: [{ ...level, quantity: 4 }] } });
    expect(short.status).toBe(409);
    expect(short.body.available).toBe(3);
    expect(short.body.shortages).toEqual([{ line: 0, ...level, requested: 4, available: 3 }]);
    const ledger = await production('GET', `/stock-movements?productId=${level.productId}`);
    expect(ledger.body.items).toHaveLength(1);
  });

  it('lets procurement record receipts only', async () => {
    const procurement = await harness.api.as('procurement');
    const level = await aLevel();
    expect((await procurement('POST', '/stock-movements', { body: { kind: 'receipt', source: 'purchase', lines: [{ ...level, quantity: 2 }] } })).status).toBe(201);
    const issue = await procurement('POST', '/stock-movements', { body: { kind: 'issue', purpose: 'scrap', lines: [{ ...level, quantity: 1 }] } });
    expect(issue.status).toBe(403);
  });

  it('validates thresholds (safety ≤ minimum ≤ maximum) and honours If-Match', async () => {
    const production = await harness.api.as('production');
    const level = await aLevel();
    const path = `/stock/${level.productId}/${level.warehouseId}/thresholds`;
    const bad = await production('PUT', path, { body: { safety: 5, minimum: 3, maximum: 10, reorderQuantity: 5, leadTimeDays: 2 } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('$.body.safety');
    const set = await production('PUT', path, { body: { safety: 2, minimum: 3, maximum: 10, reorderQuantity: 5, leadTimeDays: 2 }, headers: { 'if-match': '"0"' } });
    expect(set.status).toBe(200);
    expect(set.headers.get('etag')).toBe('"1"');
    const stale = await production('PUT', path, { body: { safety: 1, minimum: 3, maximum: 10, reorderQuantity: 5, leadTimeDays: 2 }, headers: { 'if-match': '"0"' } });
    expect(stale.status).toBe(412);
    const below = await production('GET', `/stock?below=minimum&warehouseId=${level.warehouseId}`);
    expect(below.body.items.map((item: { productId: string }) => item.productId)).toEqual([level.productId]);
  });

  it('requires a product or warehouse filter on the ledger list', async () => {
    const market = await harness.api.as('market');
    const response = await market('GET', '/stock-movements');
    expect(response.status).toBe(400);
  });
});
