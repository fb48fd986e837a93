import { describe, expect, it } from 'vitest';
import {
  changeProductStatus,
  createProduct,
  createWarehouse,
  getProduct,
  getWarehouse,
  listProducts,
  listWarehouses,
  updateProduct,
} from '../../lib/catalog/service';
import type { ProductListQuery } from '../../lib/catalog/schema';
import { ConflictError, NotFoundError, PreconditionFailedError, ValidationError } from '../../lib/platform/errors';
import { aProduct, anActor, aWarehouse, fixedClock, testContext, unique } from '../support/factories';

const actor = anActor(['production'], { email: 'prod@example.com' });
const query = (overrides: Partial<ProductListQuery> = {}): ProductListQuery => ({ limit: 25, ...overrides });

describe('catalog: create a product', () => {
  it('stores it as launched, version 1, with audit fields', async () => {
    const context = testContext(fixedClock('2026-11-27T08:00:00Z'));
    const product = await createProduct(context, actor, aProduct({ name: 'Door sensor' }));
    expect(product).toMatchObject({ name: 'Door sensor', status: 'launched', version: 1, createdBy: 'prod@example.com', createdAt: '2026-11-27T08:00:00.000Z', attributes: {} });
    expect(await getProduct(product.id)).toEqual(product);
  });

  it('refuses a second product with the same SKU, whatever its case, and writes nothing', async () => {
    const sku = unique('dup');
    await createProduct(testContext(), actor, aProduct({ sku }));
    const before = await listProducts(query({ category: 'dup-check' }));
    await expect(createProduct(testContext(), actor, aProduct({ sku: sku.toLowerCase(), category: 'dup-check' }))).rejects.toThrow(ConflictError);
    expect(await listProducts(query({ category: 'dup-check' }))).toEqual(before);
  });

  it('lets exactly one of 20 concurrent creates of one SKU win', async () => {
    const sku = unique('race');
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => createProduct(testContext(), actor, aProduct({ sku }))));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
    expect(rejected).toHaveLength(19);
    for (const result of rejected) expect(result.reason).toBeInstanceOf(ConflictError);
  });
});

describe('catalog: change a product', () => {
  it('applies a patch, bumps the version and removes a description set to null', async () => {
    const created = await createProduct(testContext(), actor, aProduct({ description: 'first' }));
    const updated = await updateProduct(testContext(), actor, created.id, { name: 'Renamed', description: null }, created.version);
    expect(updated).toMatchObject({ name: 'Renamed', version: 2, sku: created.sku });
    expect(updated.description).toBeUndefined();
    expect(await getProduct(created.id)).toEqual(updated);
  });

  it('answers 412 when If-Match names an old version, and changes nothing', async () => {
    const created = await createProduct(testContext(), actor, aProduct());
    await updateProduct(testContext(), actor, created.id, { name: 'v2' }, 1);
    await expect(updateProduct(testContext(), actor, created.id, { name: 'stale' }, 1)).rejects.toThrow(PreconditionFailedError);
    expect((await getProduct(created.id)).name).toBe('v2');
  });

  it('answers 404 for a product that does not exist', async () => {
    await expect(updateProduct(testContext(), actor, '01JZZZZZZZZZZZZZZZZZZZZZZZ', { name: 'x' }, undefined)).rejects.toThrow(NotFoundError);
  });

  it('walks the lifecycle forward and refuses any other move with the allowed next status', async () => {
    const created = await createProduct(testContext(), actor, aProduct());
    const skipped = changeProductStatus(testContext(), actor, created.id, { status: 'discontinued' }, undefined);
    await expect(skipped).rejects.toThrow(ConflictError);
    await expect(skipped).rejects.toMatchObject({ extensions: { currentStatus: 'launched', allowed: ['active'] } });
    let product = created;
    for (const status of ['active', 'phasing-out', 'discontinued'] as const) {
      product = await changeProductStatus(testContext(), actor, created.id, { status }, product.version);
      expect(product.status).toBe(status);
    }
    await expect(changeProductStatus(testContext(), actor, created.id, { status: 'active' }, undefined)).rejects.toThrow(ConflictError);
    expect(product.version).toBe(4);
  });
});

describe('catalog: list products', () => {
  it('filters by status through its index and by category and owner on top', async () => {
    const category = unique('cat').toLowerCase();
    const a = await createProduct(testContext(), actor, aProduct({ category, ownerDepartment: 'rnd' }));
    const b = await createProduct(testContext(), actor, aProduct({ category, ownerDepartment: 'production' }));
    await changeProductStatus(testContext(), actor, b.id, { status: 'active' }, undefined);

    const inCategory = await listProducts(query({ category }));
    expect(inCategory.items.map((p) => p.id)).toEqual([b.id, a.id]);
    expect((await listProducts(query({ category, status: 'active' }))).items.map((p) => p.id)).toEqual([b.id]);
    expect((await listProducts(query({ category, ownerDepartment: 'rnd' }))).items.map((p) => p.id)).toEqual([a.id]);
    expect((await listProducts(query({ category, status: 'discontinued' }))).items).toEqual([]);
  });

  it('pages newest first with a cursor, never repeating or skipping a product', async () => {
    const category = unique('page').toLowerCase();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await createProduct(testContext(), actor, aProduct({ category }))).id);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listProducts(query({ category, limit: 2, cursor }));
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((p) => p.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
  });

  it('refuses a tampered cursor and a cursor from another filter', async () => {
    const category = unique('cur').toLowerCase();
    for (let i = 0; i < 3; i++) await createProduct(testContext(), actor, aProduct({ category }));
    const first = await listProducts(query({ category, limit: 1 }));
    const cursor = first.nextCursor as string;
    expect(cursor).toEqual(expect.any(String));
    await expect(listProducts(query({ category: 'other', limit: 1, cursor }))).rejects.toThrow(ValidationError);
    const [payload, signature] = cursor.split('.');
    const forged = `${Buffer.from(JSON.stringify({ k: { pk: 'X' }, s: 'products&category=' + category })).toString('base64url')}.${signature}`;
    await expect(listProducts(query({ category, limit: 1, cursor: forged }))).rejects.toThrow(ValidationError);
    await expect(listProducts(query({ category, limit: 1, cursor: `${payload}.AAAA` }))).rejects.toThrow(ValidationError);
  });
});

describe('catalog: warehouses', () => {
  it('creates a warehouse with a unique code and reads it back', async () => {
    const warehouse = await createWarehouse(testContext(), actor, aWarehouse());
    expect(await getWarehouse(warehouse.id)).toEqual(warehouse);
    await expect(createWarehouse(testContext(), actor, aWarehouse({ code: warehouse.code }))).rejects.toThrow(ConflictError);
  });

  it('lists warehouses in code order', async () => {
    const codes = ['ZB-2', 'ZA-1', 'ZC-3'].map((prefix) => `${prefix}${unique('').slice(0, 6)}`);
    for (const code of codes) await createWarehouse(testContext(), actor, aWarehouse({ code }));
    const all = await listWarehouses({ limit: 100 });
    const listed = all.items.map((w) => w.code).filter((code) => codes.includes(code));
    expect(listed).toEqual([...codes].sort());
  });

  it('answers 404 for an unknown warehouse', async () => {
    await expect(getWarehouse('01JZZZZZZZZZZZZZZZZZZZZZZZ')).rejects.toThrow(NotFoundError);
  });
});
