import { describe, expect, it } from 'vitest';
import { aProduct, aWarehouse } from '../support/factories';
import { useApi } from '../support/api';

const harness = useApi();


const createProduct = async (overrides = {}) => {
  const admin = await harness.api.as('admin');
  return admin('POST', '/products', { body: aProduct(overrides) });
};

describe('api: bad input changes nothing', () => {
  it('answers 400 problem+json naming an unknown field, and creates nothing', async () => {
    const production = await harness.api.as('production');
    const product = aProduct();
    const response = await production('POST', '/products', { body: { ...product, colour: 'red' } });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.body.errors).toContainEqual({ path: '$.body.colour', message: 'unknown field' });
    expect(response.body.requestId).toBe(response.headers.get('x-request-id'));
    const retry = await production('POST', '/products', { body: product });
    expect(retry.status).toBe(201);
  });

  it('answers 400 for malformed JSON and 413 for a body over 256 KiB', async () => {
    const production = await harness.api.as('production');
    const malformed = await production('POST', '/products', { rawBody: '{"sku":' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors).toEqual([{ path: '$.body', message: 'malformed JSON' }]);
    const sku = `BIG-${Date.now()}`;
    const huge = await production('POST', '/products', { body: aProduct({ sku, description: 'x'.repeat(300 * 1024) }) });
    expect(huge.status).toBe(413);
    const list = await production('GET', `/products?category=${encodeURIComponent('smart-lock')}&limit=100`);
    expect(list.body.items.some((item: { sku: string }) => item.sku === sku)).toBe(false);
  });

  it('names invalid fields by JSON path and refuses unknown query parameters', async () => {
    const production = await harness.api.as('production');
    const response = await production('POST', '/products', { body: aProduct({ listPrice: { amount: -1, currency: 'XXX' } }) });
    expect(response.status).toBe(400);
    expect(response.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['$.body.listPrice.amount', '$.body.listPrice.currency']);
    const query = await production('GET', '/products?colour=red');
    expect(query.status).toBe(400);
    expect(query.body.errors).toContainEqual({ path: '$.query.colour', message: 'unknown field' });
    const limit = await production('GET', '/products?limit=101');
    expect(limit.status).toBe(400);
  });

  it('answers 404 problem+json for an unknown product and a malformed id', async () => {
    const market = await harness.api.as('market');
    expect((await market('GET', '/products/01JZZZZZZZZZZZZZZZZZZZZZZZ')).status).toBe(404);
    const malformed = await market('GET', '/products/not-an-id');
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors[0].path).toBe('$.params.id');
  });
});

describe('api: versions, ETag and If-Match', () => {
  it('returns the version as ETag and refuses a stale If-Match with 412, changing nothing', async () => {
    const created = await createProduct();
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.headers.get('location')).toBe(`/products/${created.body.id}`);
    const production = await harness.api.as('production');
    const path = `/products/${created.body.id}`;
    const first = await production('PATCH', path, { body: { name: 'v2' }, headers: { 'if-match': '"1"' } });
    expect(first.status).toBe(200);
    expect(first.headers.get('etag')).toBe('"2"');
    const stale = await production('PATCH', path, { body: { name: 'stale' }, headers: { 'if-match': '"1"' } });
    expect(stale.status).toBe(412);
    expect(stale.headers.get('content-type')).toBe('application/problem+json');
    const read = await production('GET', path);
    expect(read.body.name).toBe('v2');
    expect(read.headers.get('etag')).toBe('"2"');
  });

  it('refuses an illegal lifecycle move with 409', async () => {
    const created = await createProduct();
    const production = await harness.api.as('production');
    const response = await production('POST', `/products/${created.body.id}/status`, { body: { status: 'discontinued' } });
    expect(response.status).toBe(409);
    expect(response.body.allowed).toEqual(['active']);
  });
});

describe('api: Idempotency-Key on creates', () => {
  it('replays the first response for the same key and body, and creates once', async () => {
    const production = await harness.api.as('production');
    const body = aWarehouse();
    const headers = { 'idempotency-key': `wh-${Date.now()}` };
    const first = await production('POST', '/warehouses', { body, headers });
    const second = await production('POST', '/warehouses', { body, headers });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    const list = await production('GET', '/warehouses?limit=100');
    expect(list.body.items.filter((w: { code: string }) => w.code === body.code)).toHaveLength(1);
  });

  it('answers 422 when the key is reused with another body', async () => {
    const production = await harness.api.as('production');
    const headers = { 'idempotency-key': `p-${Date.now()}` };
    expect((await production('POST', '/products', { body: aProduct(), headers })).status).toBe(201);
    const reused = await production('POST', '/products', { body: aProduct(), headers });
    expect(reused.status).toBe(422);
  });

  it('scopes keys to the caller: another user with the same key creates their own', async () => {
    const headers = { 'idempotency-key': `shared-${Date.now()}` };
    const production = await harness.api.as('production');
    const admin = await harness.api.as('admin');
    const a = await production('POST', '/warehouses', { body: aWarehouse(), headers });
    const b = await admin('POST', '/warehouses', { body: aWarehouse(), headers });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body.id).not.toBe(a.body.id);
  });

  it('does not store a failure: a retry with the key runs again', async () => {
    const production = await harness.api.as('production');
    const headers = { 'idempotency-key': `retry-${Date.now()}` };
    const taken = await createProduct();
    const body = aProduct({ sku: taken.body.sku });
    const first = await production('POST', '/products', { body, headers });
    const retry = await production('POST', '/products', { body, headers });
    expect(first.status).toBe(409);
    expect(retry.status).toBe(409);
    // The duplicate-SKU rule answered again, not a stuck "still being processed" claim.
    expect(retry.body.detail).toContain('already exists');
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
  });
});

describe('api: one SKU, twenty concurrent creates', () => {
  it('creates exactly one and answers 409 to the other nineteen', async () => {
    const production = await harness.api.as('production');
    const body = aProduct();
    const responses = await Promise.all(Array.from({ length: 20 }, () => production('POST', '/products', { body })));
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(19);
  });
});

describe('api: headers on every response', () => {
  it('sets security headers and CORS for an allowed origin only', async () => {
    const market = await harness.api.as('market');
    const allowed = await market('GET', '/departments', { headers: { origin: 'https://app.example.com' } });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(allowed.headers.get('strict-transport-security')).toContain('max-age');
    expect(allowed.headers.get('x-content-type-options')).toBe('nosniff');
    const other = await market('GET', '/departments', { headers: { origin: 'https://evil.example.com' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});
