import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { decodeCursor, encodeCursor } from './cursor';
import type { Page } from './pagination';
import { db, tableName } from './db';
import { tableDefinition, type IndexName } from './table-definition';

type Item = Record<string, unknown>;

export interface PageQuery {
  index?: IndexName;
  keyCondition: string;
  names?: Record<string, string>;
  values: Record<string, unknown>;
  filter?: string;
  /** Newest first for ULID sort keys. */
  newestFirst?: boolean;
  limit: number;
  cursor: string | undefined;
  /** What the cursor is bound to: the route and its filters. */
  scope: string;
}

/**
 * Every page of one key-condition query, for the reads whose size the data bounds (a month's
 * aggregates, a level's ledger, the levels): no cursor crosses a request.
 */
export async function queryAll(input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const result = await db.send(new QueryCommand({ ...input, TableName: tableName, ExclusiveStartKey: start }));
    items.push(...(result.Items ?? []));
    start = result.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Bounds the work of one request when a filter matches few items. */
const MAX_READS_PER_PAGE = 8;
const READ_BATCH = 100;

/**
 * One page of a key-condition query (never a Scan). With a filter, DynamoDB may return fewer
 * matches than asked per read, so it reads on until the page is full, the data ends, or the
 * read budget is spent (then the page is short but the cursor still moves on). The cursor is
 * the key of the last item returned, so no matched item is skipped or repeated.
 */
export async function queryPage<T>(query: PageQuery, toView: (item: Item) => T): Promise<Page<T>> {
  const keyAttributes = keyAttributesOf(query.index);
  let startKey = await decodeCursor(query.cursor, query.scope);
  const items: Item[] = [];
  for (let reads = 0; reads < MAX_READS_PER_PAGE; reads++) {
    const input: QueryCommandInput = {
      TableName: tableName,
      IndexName: query.index,
      KeyConditionExpression: query.keyCondition,
      FilterExpression: query.filter,
      ExpressionAttributeNames: query.names,
      ExpressionAttributeValues: query.values,
      ScanIndexForward: !query.newestFirst,
      ExclusiveStartKey: startKey,
      Limit: query.filter ? READ_BATCH : query.limit - items.length,
    };
    const result = await db.send(new QueryCommand(input));
    for (const item of result.Items ?? []) {
      items.push(item);
      if (items.length === query.limit) {
        const more = result.LastEvaluatedKey !== undefined || item !== result.Items?.at(-1);
        return { items: items.map(toView), nextCursor: more ? await encodeCursor(pick(item, keyAttributes), query.scope) : null };
      }
    }
    startKey = result.LastEvaluatedKey;
    if (!startKey) return { items: items.map(toView), nextCursor: null };
  }
  return { items: items.map(toView), nextCursor: await encodeCursor(startKey, query.scope) };
}

function keyAttributesOf(index: IndexName | undefined): string[] {
  const base = [tableDefinition.partitionKey, tableDefinition.sortKey];
  if (!index) return base;
  const definition = tableDefinition.globalSecondaryIndexes.find((candidate) => candidate.indexName === index);
  return definition ? [...base, definition.partitionKey, definition.sortKey] : base;
}

function pick(item: Item, keys: string[]): Item {
  return Object.fromEntries(keys.map((key) => [key, item[key]]));
}

/** A stable scope string for a cursor: the list's name and its filters. */
export function cursorScope(list: string, filters: Record<string, unknown>): string {
  const parts = Object.entries(filters)
    .filter(([key, value]) => value !== undefined && key !== 'cursor' && key !== 'limit')
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => `${key}=${String(value)}`);
  return [list, ...parts].join('&');
}

export interface AttributeCondition {
  attribute: string;
  /** Conditions whose value is undefined are left out: a list's optional filters map one to one. */
  value: unknown;
  test?: 'equals' | 'contains';
}

/**
 * The filter expression (with its names and values) for a list's optional filters applied on
 * top of an index's key condition. Names and values are numbered, so they never clash with the
 * key condition's `:pk`.
 */
export function attributeFilter(conditions: readonly AttributeCondition[]): { filter?: string; names?: Record<string, string>; values: Record<string, unknown> } {
  const given = conditions.filter((condition) => condition.value !== undefined);
  if (!given.length) return { values: {} };
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const parts = given.map((condition, index) => {
    names[`#f${index}`] = condition.attribute;
    values[`:f${index}`] = condition.value;
    return condition.test === 'contains' ? `contains(#f${index}, :f${index})` : `#f${index} = :f${index}`;
  });
  return { filter: parts.join(' AND '), names, values };
}
