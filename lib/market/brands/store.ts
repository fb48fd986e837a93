import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../../platform/db';
import { withoutKeys } from '../../platform/items';
import type { Page } from '../../platform/pagination';
import { queryPage } from '../../platform/query';
import { transactWrite, type TransactItems } from '../../platform/transact';
import type { Brand } from './schema';

/**
 * Keys of the brand items — the only place that knows them.
 *   brand (current)   pk BRAND#<id>   sk BRAND
 *                     gsi1 BRANDS / <id>                     (all brands, creation order)
 *   brand version     pk BRAND#<id>   sk VERSION#<version, 9 digits>
 *                     an immutable copy of the document at that version, put with
 *                     `attribute_not_exists` in the same transaction that makes it current,
 *                     so every version that was ever current exists, and none is rewritten
 */
const brandKey = (id: string) => ({ pk: `BRAND#${id}`, sk: 'BRAND' });
const VERSION_PREFIX = 'VERSION#';
const versionKey = (id: string, version: number) => ({ pk: `BRAND#${id}`, sk: `${VERSION_PREFIX}${String(version).padStart(9, '0')}` });

function currentPut(brand: Brand, expectedVersion: number | undefined): TransactItems[number] {
  const Item = { ...brandKey(brand.id), gsi1pk: 'BRANDS', gsi1sk: brand.id, type: 'Brand', ...brand };
  return expectedVersion === undefined
    ? { Put: { TableName: tableName, Item, ConditionExpression: 'attribute_not_exists(pk)' } }
    : { Put: { TableName: tableName, Item, ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': expectedVersion } } };
}

function versionPut(brand: Brand): TransactItems[number] {
  return {
    Put: {
      TableName: tableName,
      Item: { ...versionKey(brand.id, brand.version), type: 'BrandVersion', ...brand },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

export async function insertBrand(brand: Brand): Promise<void> {
  await transactWrite([currentPut(brand, undefined), versionPut(brand)], () => new Error(`brand id collision ${brand.id}`));
}

/**
 * The new current document and its immutable copy, in one transaction conditional on the
 * version the change was made from: of two edits of the same version, exactly one commits.
 */
export async function replaceBrand(brand: Brand, expectedVersion: number, onLostUpdate: () => Error): Promise<void> {
  await transactWrite([currentPut(brand, expectedVersion), versionPut(brand)], () => onLostUpdate());
}

export async function getBrandRecord(id: string): Promise<Brand | undefined> {
  const result = await db.send(new GetCommand({ TableName: tableName, Key: brandKey(id) }));
  return result.Item ? withoutKeys<Brand>(result.Item) : undefined;
}

export async function getBrandVersionRecord(id: string, version: number): Promise<Brand | undefined> {
  const result = await db.send(new GetCommand({ TableName: tableName, Key: versionKey(id, version) }));
  return result.Item ? withoutKeys<Brand>(result.Item) : undefined;
}

export function queryBrands(limit: number, cursor: string | undefined, scope: string): Promise<Page<Brand>> {
  return queryPage(
    { index: 'gsi1', keyCondition: 'gsi1pk = :pk', values: { ':pk': 'BRANDS' }, newestFirst: true, limit, cursor, scope },
    (item) => withoutKeys<Brand>(item),
  );
}

/** A brand's versions, newest first (the zero-padded version sorts numerically). */
export function queryBrandVersions(id: string, limit: number, cursor: string | undefined, scope: string): Promise<Page<Brand>> {
  return queryPage(
    {
      keyCondition: 'pk = :pk AND begins_with(sk, :prefix)',
      values: { ':pk': `BRAND#${id}`, ':prefix': VERSION_PREFIX },
      newestFirst: true,
      limit,
      cursor,
      scope,
    },
    (item) => withoutKeys<Brand>(item),
  );
}
