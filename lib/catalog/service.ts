import { createdStamp, updatedStamp } from '../platform/audit';
import type { Actor } from '../platform/auth';
import type { ServiceContext } from '../platform/context';
import type { Page } from '../platform/pagination';
import { ConflictError, NotFoundError } from '../platform/errors';
import { cursorScope } from '../platform/query';
import { assertIfMatch, lostUpdateError } from '../platform/versioning';
import { allowedNext, canMove } from './lifecycle';
import type { Product, ProductCreate, ProductListQuery, ProductPatch, ProductStatusChange, Warehouse, WarehouseCreate } from './schema';
import { getProductRecord, getWarehouseRecord, insertProduct, insertWarehouse, queryProducts, queryWarehouses, replaceProduct } from './store';

export async function createProduct(context: ServiceContext, actor: Actor, input: ProductCreate): Promise<Product> {
  const stamp = createdStamp(context, actor);
  const product: Product = {
    id: context.newId(),
    ...input,
    attributes: input.attributes ?? {},
    status: 'launched',
    statusChangedAt: stamp.createdAt,
    statusChangedBy: stamp.createdBy,
    ...stamp,
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
  const next: Product = { ...current, ...rest, ...updatedStamp(context, actor, current) };
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
  const stamp = updatedStamp(context, actor, current);
  const next: Product = { ...current, ...stamp, status: change.status, statusChangedAt: stamp.updatedAt, statusChangedBy: stamp.updatedBy };
  await replaceProduct(next, current.version, () => lostUpdateError(ifMatch));
  return next;
}

export async function createWarehouse(context: ServiceContext, actor: Actor, input: WarehouseCreate): Promise<Warehouse> {
  const warehouse: Warehouse = { id: context.newId(), ...input, ...createdStamp(context, actor) };
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
