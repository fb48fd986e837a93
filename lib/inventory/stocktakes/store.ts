import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../../platform/db';
import type { Page } from '../../platform/pagination';
import { queryAll, queryPage } from '../../platform/query';
import { batchGetItems } from '../../platform/batch';
import { isConditionFailure, oldItemOf } from '../../platform/transact';
import type { Stocktake, StocktakeListQuery } from './schema';

/**
 * Keys of stocktakes — the only place that knows them. A stocktake is one item holding its
 * lines (at most MAX_STOCKTAKE_LINES, ~200 bytes each): counts and status changes are one put
 * conditional on `version`.
 *   stocktake   pk STOCKTAKE#<id>  sk STOCKTAKE
 *               gsi1 STOCKTAKES_W#<warehouseId> / <id>   (a warehouse's stocktakes, newest first)
 *               gsi2 STOCKTAKES_S#<status> / <id>        (by status, newest first)
 *               gsi3 STOCKTAKES_CLOSED / <closedAt>#<id>  (keys only; once closed: a month's closes)
 */
type Item = Record<string, unknown>;

/** What the item holds beyond the view. */
export interface StocktakeRecord extends Stocktake {
  /** Chosen at open, one per chunk of lines: a close (or its retry) can never write one twice. */
  closeMovementIds: string[];
  /** When the current close attempt claimed the stocktake (a lease: a stale one may be taken over). */
  closingAt: string | null;
}

const key = (id: string) => ({ pk: `STOCKTAKE#${id}`, sk: 'STOCKTAKE' });
const INTERNAL = new Set(['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', 'type']);

function toRecord(item: Item): StocktakeRecord {
  return Object.fromEntries(Object.entries(item).filter(([name]) => !INTERNAL.has(name))) as unknown as StocktakeRecord;
}

export function toStocktakeView(record: StocktakeRecord): Stocktake {
  const { closeMovementIds: _movements, closingAt: _closing, ...view } = record;
  return view;
}

function toItem(record: StocktakeRecord): Item {
  return {
    ...key(record.id),
    gsi1pk: `STOCKTAKES_W#${record.warehouseId}`,
    gsi1sk: record.id,
    gsi2pk: `STOCKTAKES_S#${record.status}`,
    gsi2sk: record.id,
    ...(record.status === 'closed' && record.closedAt ? { gsi3pk: CLOSED_INDEX, gsi3sk: `${record.closedAt}#${record.id}` } : {}),
    type: 'Stocktake',
    ...record,
  };
}

const CLOSED_INDEX = 'STOCKTAKES_CLOSED';

/**
 * Stocktakes closed at or after `from` and before `to` (ISO instants), oldest first: the keys
 * from gsi3, then one read each (a few stocktakes a month, whatever the number of movements).
 */
export async function stocktakesClosedBetween(from: string, to: string): Promise<StocktakeRecord[]> {
  // `<to>#<id>` sorts after `<to>`: a close at exactly `to` belongs to the next period.
  const keys = await queryAll({
    IndexName: 'gsi3',
    KeyConditionExpression: 'gsi3pk = :pk AND gsi3sk BETWEEN :from AND :to',
    ExpressionAttributeValues: { ':pk': CLOSED_INDEX, ':from': from, ':to': to },
  });
  const items = await batchGetItems(keys.map((key) => ({ pk: String(key.pk), sk: String(key.sk) })));
  return items.map(toRecord);
}

export async function insertStocktake(record: StocktakeRecord): Promise<void> {
  await db.send(new PutCommand({ TableName: tableName, Item: toItem(record), ConditionExpression: 'attribute_not_exists(pk)' }));
}

export async function getStocktakeRecord(id: string): Promise<StocktakeRecord | undefined> {
  const result = await db.send(new GetCommand({ TableName: tableName, Key: key(id), ConsistentRead: true }));
  return result.Item ? toRecord(result.Item) : undefined;
}

/**
 * Replaces the stocktake if it is still at `expectedVersion` (every change bumps the version,
 * so this also pins the status as read). On a lost race, `onConflict` gets the item as it is now.
 */
export async function replaceStocktake(record: StocktakeRecord, expectedVersion: number, onConflict: (current: StocktakeRecord | undefined) => Error): Promise<void> {
  try {
    await db.send(
      new PutCommand({
        TableName: tableName,
        Item: toItem(record),
        ConditionExpression: 'version = :version',
        ExpressionAttributeValues: { ':version': expectedVersion },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const old = oldItemOf(error);
    throw onConflict(old ? toRecord(old) : undefined);
  }
}

/** By warehouse (status as a filter: a warehouse has a few stocktakes a year) or by status. */
export async function queryStocktakes(query: StocktakeListQuery, scope: string): Promise<Page<Stocktake>> {
  const view = (item: Item) => toStocktakeView(toRecord(item));
  const page = { newestFirst: true, limit: query.limit, cursor: query.cursor, scope };
  if (query.warehouseId) {
    return queryPage(
      {
        ...page,
        index: 'gsi1',
        keyCondition: 'gsi1pk = :pk',
        values: { ':pk': `STOCKTAKES_W#${query.warehouseId}`, ...(query.status ? { ':status': query.status } : {}) },
        ...(query.status ? { filter: '#status = :status', names: { '#status': 'status' } } : {}),
      },
      view,
    );
  }
  return queryPage({ ...page, index: 'gsi2', keyCondition: 'gsi2pk = :pk', values: { ':pk': `STOCKTAKES_S#${query.status as string}` } }, view);
}
