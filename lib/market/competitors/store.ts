import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../../platform/db';
import { withoutKeys } from '../../platform/items';
import type { Page } from '../../platform/pagination';
import { queryPage } from '../../platform/query';
import { transactWrite, type TransactItems } from '../../platform/transact';
import type { Competitor, PricePoint } from './schema';

/**
 * Keys of the competitors' items — the only place that knows them.
 *   competitor    pk COMPETITOR#<id>              sk COMPETITOR
 *                 gsi1 COMPETITORS / <name key>␁<id>      (by name; name prefix = begins_with)
 *   name guard    pk COMPETITOR_NAME#<name key>   sk COMPETITOR_NAME   (uniqueness, same transaction;
 *                                                                      moved in the rename's transaction)
 *   price point   pk COMPETITOR#<id>              sk PRICE#<observedOn>#<entryId>
 *                 written in the transaction of the price-change entry it comes from
 *                 (`pricePointPutAction` / `pricePointDeleteAction`, used by lib/market/intel/store.ts)
 * The name key is `nameKey(name)`: accents dropped, lower case, single spaces.
 */
const competitorKey = (id: string) => ({ pk: `COMPETITOR#${id}`, sk: 'COMPETITOR' });
const nameGuardKey = (name: string) => ({ pk: `COMPETITOR_NAME#${nameKey(name)}`, sk: 'COMPETITOR_NAME' });
const PRICE_PREFIX = 'PRICE#';
const pricePointKey = (competitorId: string, observedOn: string, entryId: string) => ({ pk: `COMPETITOR#${competitorId}`, sk: `${PRICE_PREFIX}${observedOn}#${entryId}` });

export function nameKey(name: string): string {
  return name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').replace(/\p{Cc}/gu, '').trim();
}

function competitorItem(competitor: Competitor): Record<string, unknown> {
  return { ...competitorKey(competitor.id), gsi1pk: 'COMPETITORS', gsi1sk: `${nameKey(competitor.name)}\u0001${competitor.id}`, type: 'Competitor', ...competitor };
}

/** The competitor and its name guard: a name already taken (in any case or accents) writes nothing. */
export async function insertCompetitor(competitor: Competitor, onDuplicateName: () => Error): Promise<void> {
  await transactWrite(
    [
      { Put: { TableName: tableName, Item: competitorItem(competitor), ConditionExpression: 'attribute_not_exists(pk)' } },
      { Put: { TableName: tableName, Item: { ...nameGuardKey(competitor.name), type: 'CompetitorName', competitorId: competitor.id }, ConditionExpression: 'attribute_not_exists(pk)' } },
    ],
    (index) => (index === 1 ? onDuplicateName() : new Error(`competitor id collision ${competitor.id}`)),
  );
}

/** Replaces the competitor at `previous.version`; a rename moves the name guard in the same transaction. */
export async function replaceCompetitor(next: Competitor, previous: Competitor, onLostUpdate: () => Error, onDuplicateName: () => Error): Promise<void> {
  const items: TransactItems = [
    { Put: { TableName: tableName, Item: competitorItem(next), ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': previous.version } } },
  ];
  if (nameKey(next.name) !== nameKey(previous.name)) {
    items.push(
      { Put: { TableName: tableName, Item: { ...nameGuardKey(next.name), type: 'CompetitorName', competitorId: next.id }, ConditionExpression: 'attribute_not_exists(pk)' } },
      { Delete: { TableName: tableName, Key: nameGuardKey(previous.name) } },
    );
  }
  await transactWrite(items, (index) => (index === 1 ? onDuplicateName() : onLostUpdate()));
}

export async function getCompetitorRecord(id: string): Promise<Competitor | undefined> {
  const result = await db.send(new GetCommand({ TableName: tableName, Key: competitorKey(id) }));
  return result.Item ? withoutKeys<Competitor>(result.Item) : undefined;
}

export async function queryCompetitors(namePrefix: string | undefined, limit: number, cursor: string | undefined, scope: string): Promise<Page<Competitor>> {
  const prefix = namePrefix ? nameKey(namePrefix) : '';
  return queryPage(
    {
      index: 'gsi1',
      keyCondition: prefix ? 'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)' : 'gsi1pk = :pk',
      values: { ':pk': 'COMPETITORS', ...(prefix ? { ':prefix': prefix } : {}) },
      limit,
      cursor,
      scope,
    },
    (item) => withoutKeys<Competitor>(item),
  );
}

/** The latest price points of a competitor, newest observed first. */
export async function latestPricePoints(competitorId: string, limit: number): Promise<PricePoint[]> {
  const result = await db.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': `COMPETITOR#${competitorId}`, ':prefix': PRICE_PREFIX },
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  return (result.Items ?? []).map((item) => withoutKeys<PricePoint>(item));
}

export function pricePointPutAction(point: PricePoint): TransactItems[number] {
  return { Put: { TableName: tableName, Item: { ...pricePointKey(point.competitorId, point.observedOn, point.entryId), type: 'CompetitorPricePoint', ...point } } };
}

export function pricePointDeleteAction(point: Pick<PricePoint, 'competitorId' | 'observedOn' | 'entryId'>): TransactItems[number] {
  return { Delete: { TableName: tableName, Key: pricePointKey(point.competitorId, point.observedOn, point.entryId) } };
}

/** Same key: a rewrite of the point is one Put, not a Delete and a Put (never two actions on one item). */
export function samePricePointKey(a: Pick<PricePoint, 'competitorId' | 'observedOn' | 'entryId'>, b: Pick<PricePoint, 'competitorId' | 'observedOn' | 'entryId'>): boolean {
  return a.competitorId === b.competitorId && a.observedOn === b.observedOn && a.entryId === b.entryId;
}
