import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../platform/db';
import { attributeFilter, queryPage } from '../platform/query';
import { transactWrite, type ConditionFailureMapper } from '../platform/transact';
import type { Page } from '../platform/pagination';
import type { Product, ProductListQuery, Warehouse } from './schema';
import { withoutKeys } from '../platform/items';

/**
 * Keys of the catalog's items — the only place that knows them.
 *   product        pk PRODUCT#<id>              sk PRODUCT
 *                  gsi1 PRODUCTS / <id>          (all products, by id = creation order)
 *                  gsi2 PRODUCTS#STATUS#<s> / <id>
 *   SKU guard      pk PRODUCT_SKU#<SKU upper>   sk PRODUCT_SKU   (uniqueness, same transaction)
 *   warehouse      pk WAREHOUSE#<id>            sk WAREHOUSE
 *                  gsi1 WAREHOUSES / <code>
 *   code guard     pk WAREHOUSE_CODE#<code>     sk WAREHOUSE_CODE
 */
const productKey = (id: string) => ({ pk: `PRODUCT#${id}`, sk: 'PRODUCT' });
const productIndexKeys = (product: Product) => ({
  gsi1pk: 'PRODUCTS',
  gsi1sk: product.id,
  gsi2pk: `PRODUCTS#STATUS#${product.status}`,
  gsi2sk: product.id,
});
const skuKey = (sku: string) => ({ pk: `PRODUCT_SKU#${sku.toUpperCase()}`, sk: 'PRODUCT_SKU' });
const warehouseKey = (id: string) => ({ pk: `WAREHOUSE#${id}`, sk: 'WAREHOUSE' });
const warehouseCodeKey = (code: string) => ({ pk: `WAREHOUSE_CODE#${code}`, sk: 'WAREHOUSE_CODE' });

/** Product and SKU guard in one transaction: a duplicate SKU writes nothing. */
export async function insertProduct(product: Product, onDuplicateSku: () => Error): Promise<void> {
  const failed: ConditionFailureMapper = (index) => (index === 1 ? onDuplicateSku() : new Error(`product id collision ${product.id}`));
  await transactWrite(
    [
      {
        Put: {
          TableName: tableName,
          Item: { ...productKey(product.id), ...productIndexKeys(product), type: 'Product', ...product },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Put: {
          TableName: tableName,
          Item: { ...skuKey(product.sku), type: 'ProductSku', productId: product.id, sku: product.sku },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ],
    failed,
  );
}

export async function getProductRecord(id: string): Promise<Product | undefined> {
  const result = await db.send(new GetCommand({ TableName: tableName, Key: productKey(id) }));
  return result.Item ? withoutKeys<Product>(result.Item) : undefined;
}

/** Replaces the product if it is still at `expectedVersion`; the error mapper decides 409/412. */
export async function replaceProduct(product: Product, expectedVersion: number, onLostUpdate: () => Error): Promise<void> {
  await transactWrite(
    [
      {
        Put: {
          TableName: tableName,
          Item: { ...productKey(product.id), ...productIndexKeys(product), type: 'Product', ...product },
          ConditionExpression: 'version = :expected',
          ExpressionAttributeValues: { ':expected': expectedVersion },
        },
      },
    ],
    onLostUpdate,
  );
}

/**
 * Status narrows through its own index; category and owner department are filters on top.
 * The catalog is thousands of products, not millions: see docs/access-patterns.md.
 */
export async function queryProducts(query: ProductListQuery, scope: string): Promise<Page<Product>> {
  const where = attributeFilter([
    { attribute: 'category', value: query.category },
    { attribute: 'ownerDepartment', value: query.ownerDepartment },
  ]);
  const byStatus = query.status !== undefined;
  return queryPage(
    {
      index: byStatus ? 'gsi2' : 'gsi1',
      keyCondition: byStatus ? 'gsi2pk = :pk' : 'gsi1pk = :pk',
      values: { ...where.values, ':pk': byStatus ? `PRODUCTS#STATUS#${query.status}` : 'PRODUCTS' },
      names: where.names,
      filter: where.filter,
      newestFirst: true,
      limit: query.limit,
      cursor: query.cursor,
      scope,
    },
    (item) => withoutKeys<Product>(item),
  );
}

export async function insertWarehouse(warehouse: Warehouse, onDuplicateCode: () => Error): Promise<void> {
  await transactWrite(
    [
      {
        Put: {
          TableName: tableName,
          Item: { ...warehouseKey(warehouse.id), gsi1pk: 'WAREHOUSES', gsi1sk: warehouse.code, type: 'Warehouse', ...warehouse },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Put: {
          TableName: tableName,
          Item: { ...warehouseCodeKey(warehouse.code), type: 'WarehouseCode', warehouseId: warehouse.id },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ],
    (index) => (index === 1 ? onDuplicateCode() : new Error(`warehouse id collision ${warehouse.id}`)),
  );
}

export async function getWarehouseRecord(id: string): Promise<Warehouse | undefined> {
  const result = await db.send(new GetCommand({ TableName: tableName, Key: warehouseKey(id) }));
  return result.Item ? withoutKeys<Warehouse>(result.Item) : undefined;
}

export async function queryWarehouses(limit: number, cursor: string | undefined, scope: string): Promise<Page<Warehouse>> {
  return queryPage(
    { index: 'gsi1', keyCondition: 'gsi1pk = :pk', values: { ':pk': 'WAREHOUSES' }, limit, cursor, scope },
    (item) => withoutKeys<Warehouse>(item),
  );
}
