import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../../platform/db';
import { withoutKeys } from '../../platform/items';
import type { Page } from '../../platform/pagination';
import { queryPage } from '../../platform/query';
import { transactWrite, type TransactItems } from '../../platform/transact';
import type { MarketFigure } from './schema';

/**
 * Keys of the market figures — the only place that knows them.
 *   figure   pk MARKET_FIGURES#<category>   sk <yyyy-mm>
 * One item per product category and month; `version` conditions every write (the PUT route's,
 * and an entry's fill, which rides in the entry's transaction: `figurePutAction`).
 * Categories are stored lower case (the schema folds them).
 */
const figureKey = (category: string, month: string) => ({ pk: `MARKET_FIGURES#${category}`, sk: month });

export async function getFigureRecord(category: string, month: string): Promise<MarketFigure | undefined> {
  const result = await db.send(new GetCommand({ TableName: tableName, Key: figureKey(category, month), ConsistentRead: true }));
  return result.Item ? withoutKeys<MarketFigure>(result.Item) : undefined;
}

/** A put conditioned on the version read (`undefined`: the month had no figure yet). */
export function figurePutAction(figure: MarketFigure, expectedVersion: number | undefined): TransactItems[number] {
  const Item = { ...figureKey(figure.category, figure.month), type: 'MarketFigure', ...figure };
  return expectedVersion === undefined
    ? { Put: { TableName: tableName, Item, ConditionExpression: 'attribute_not_exists(pk)' } }
    : { Put: { TableName: tableName, Item, ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': expectedVersion } } };
}

export async function saveFigure(figure: MarketFigure, expectedVersion: number | undefined, onLostUpdate: () => Error): Promise<void> {
  await transactWrite([figurePutAction(figure, expectedVersion)], onLostUpdate);
}

/** A category's months between `from` and `to` (inclusive), oldest first. */
export async function queryFigures(category: string, from: string | undefined, to: string | undefined, limit: number, cursor: string | undefined, scope: string): Promise<Page<MarketFigure>> {
  return queryPage(
    {
      keyCondition: 'pk = :pk AND sk BETWEEN :from AND :to',
      values: { ':pk': `MARKET_FIGURES#${category}`, ':from': from ?? '0000-00', ':to': to ?? '9999-12' },
      limit,
      cursor,
      scope,
    },
    (item) => withoutKeys<MarketFigure>(item),
  );
}
