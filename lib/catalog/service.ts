import { auditName, type Actor } from '../platform/auth';
import type { ServiceContext } from '../platform/context';
import type { Page } from '../platform/pagination';
import { ConflictError, NotFoundError } from '../platform/errors';
import { cursorScope } from '../platform/query';
import { assertIfMatch, lostUpdateError } from '../platform/versioning';
import { allowedNext, canMove } from './lifecycle';
import type { Product, ProductCreate, ProductListQuery, ProductPatch, ProductStatusChange, Warehouse, WarehouseCreate } from './schema';
import { getProductRecord, getWarehouseRecord, insertProduct, insertWarehouse, queryProducts, queryWarehouses, replaceProduct } from './store';

export async function createProduct(context: ServiceContext, actor: Actor, input: ProductCreate): Promise<Product> {
  const now = context.clock.now().toISOString();
  const by = auditName(actor);
  const product: Product = {
    id: context.newId(),
    ...input,
    attributes: input.attributes ?? {},
    status: 'launched',
    statusChangedAt: now,
    statusChangedBy: by,
    version: 1,
    createdAt: now,
    createdBy: by,
    updatedAt: now,
    updatedBy: by,
  };
  await insertProduct(product, () => new ConflictError(`A product with SKU ${input.sku} already exists.`, { field: 'sku' }));
  return product;
}

export async function getProduct(id: string): Promise<Product> {
  const product = await getProductRecord(id);
  if (!product) throw new NotFoundError(`No product ${id}.`);
  return product;
}

export async function listProducts(query: ProductListQuery): Promise<Page<Product>> {
  return queryProducts(query, cursorScope('products', query));
}

export async function updateProduct(context: ServiceContext, actor: Actor, id: string, patch: ProductPatch, ifMatch: number | undefined): Promise<Product> {
  const current = await getProduct(id);
  assertIfMatch(ifMatch, current.version);
  const { description, ...rest } = patch;
  const next: Product = { ...current, ...rest, ...touched(context, actor, current) };
  if (description === null) delete next.description;
  else if (description !== undefined) next.description = description;
  await replaceProduct(next, current.version, () => lostUpdateError(ifMatch));
  return next;
}

export async function changeProductStatus(
  context: ServiceContext,
  actor: Actor,
  id: string,
  change: ProductStatusChange,
  ifMatch: number | undefined,
): Promise<Product> {
  const current = await getProduct(id);
  assertIfMatch(ifMatch, current.version);
  if (!canMove(current.status, change.status)) {
    const allowed = allowedNext(current.status);
    throw new ConflictError(
      `A ${current.status} product cannot become ${change.status}; ${allowed.length ? `it can become ${allowed.join(' or ')}` : 'it is at the end of its lifecycle'}.`,
      { currentStatus: current.status, allowed },
    );
  }
  const stamp = touched(context, actor, current);
  const next: Product = { ...current, ...stamp, status: change.status, statusChangedAt: stamp.updatedAt, statusChangedBy: stamp.updatedBy };
  await replaceProduct(next, current.version, () => lostUpdateError(ifMatch));
  return next;
}

export async function createWarehouse(context: ServiceContext, actor: Actor, input: WarehouseCreate): Promise<Warehouse> {
  const now = context.clock.now().toISOString();
  const by = auditName(actor);
  const warehouse: Warehouse = { id: context.newId(), ...input, version: 1, createdAt: now, createdBy: by, updatedAt: now, updatedBy: by };
  await insertWarehouse(warehouse, () => new ConflictError(`A warehouse with code ${input.code} already exists.`, { field: 'code' }));
  return warehouse;
}

export async function getWarehouse(id: string): Promise<Warehouse> {
  const warehouse = await getWarehouseRecord(id);
  if (!warehouse) throw new NotFoundError(`No warehouse ${id}.`);
  return warehouse;
}

export async function listWarehouses(query: { limit: number; cursor?: string | undefined }): Promise<Page<Warehouse>> {
  return queryWarehouses(query.limit, query.cursor, cursorScope('warehouses', query));
}

function touched(context: ServiceContext, actor: Actor, current: { version: number }) {
  return { version: current.version + 1, updatedAt: context.clock.now().toISOString(), updatedBy: auditName(actor) };
}
