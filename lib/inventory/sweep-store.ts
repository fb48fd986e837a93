import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../platform/db';
import { queryAll } from '../platform/query';
import type { StockLevel } from './schema';
import { COUNT_INDEX, levelFromItem, toLevelView } from './store';

/**
 * The daily sweep's reads. Only the sparse indexes documented in `store.ts` are queried, so the
 * items read follow the number of problems, never the size of the inventory (no Scan):
 *   gsi2 STOCK_SHORT  every level below minimum (sk `0#…` below safety, `1#…` below minimum)
 *   gsi2 STOCK_OVER   every level above maximum
 *   gsi1 LOT_EXPIRY   lots with quantity > 0 and an expiry, sk `<expiresOn>#<productId>#<warehouseId>#<number>`
 *   gsi3 COUNT_DUE    every level by when it was last counted (or created), keys only
 * Kept apart from `store.ts` (owned with the movement path); the keys are the same.
 */
type Item = Record<string, unknown>;

/** A level out of band, as the band index returns it. */
export type ProblemLevel = StockLevel;

export interface ExpiringLot {
  productId: string;
  warehouseId: string;
  number: string;
  quantity: number;
  expiresOn: string;
}

export interface Reads<T> {
  items: T[];
  /** Items DynamoDB returned (these queries carry no filter), plus any follow-up reads. */
  itemsRead: number;
}

const toProblemLevel = (item: Item): ProblemLevel => toLevelView(levelFromItem(item));

/** Levels below minimum (below safety first), then levels above maximum. */
export async function levelsOutOfBand(): Promise<{ short: Reads<ProblemLevel>; over: Reads<ProblemLevel> }> {
  const byPartition = (partition: 'STOCK_SHORT' | 'STOCK_OVER') =>
    queryAll({ IndexName: 'gsi2', KeyConditionExpression: 'gsi2pk = :pk', ExpressionAttributeValues: { ':pk': partition } });
  const [short, over] = await Promise.all([byPartition('STOCK_SHORT'), byPartition('STOCK_OVER')]);
  return {
    short: { items: short.map(toProblemLevel), itemsRead: short.length },
    over: { items: over.map(toProblemLevel), itemsRead: over.length },
  };
}

/** Lots holding stock that expire on or before `lastDay` (already expired ones included), soonest first. */
export async function lotsExpiringBy(lastDay: string): Promise<Reads<ExpiringLot>> {
  const items = await queryAll({
    IndexName: 'gsi1',
    // `~` sorts after every character of the rest of the key: the whole of `lastDay` is included.
    KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk <= :until',
    ExpressionAttributeValues: { ':pk': 'LOT_EXPIRY', ':until': `${lastDay}#~` },
  });
  const lots = items.map((item) => ({
    productId: item.productId as string,
    warehouseId: item.warehouseId as string,
    number: item.number as string,
    quantity: item.quantity as number,
    expiresOn: item.expiresOn as string,
  }));
  return { items: lots, itemsRead: items.length };
}

export interface UncountedLevel {
  productId: string;
  warehouseId: string;
  onHand: number;
  lastCountedAt: string | null;
  /** When the count clock started: the last count, or the level's first movement. */
  since: string;
}

/**
 * Levels whose last count (or, never counted, whose creation) is before `cutoff`: the count-age
 * index gsi3 (keys only) names them, then one consistent read each fills in the figures.
 */
export async function levelsNotCountedSince(cutoff: string): Promise<Reads<UncountedLevel>> {
  const keys = await queryAll({
    IndexName: 'gsi3',
    KeyConditionExpression: 'gsi3pk = :pk AND gsi3sk < :cutoff',
    ExpressionAttributeValues: { ':pk': COUNT_INDEX, ':cutoff': cutoff },
  });
  const levels = await Promise.all(
    keys.map(async (key) => {
      const result = await db.send(new GetCommand({ TableName: tableName, Key: { pk: key.pk, sk: key.sk } }));
      const item = result.Item ?? {};
      return {
        productId: item.productId as string,
        warehouseId: item.warehouseId as string,
        onHand: (item.onHand as number | undefined) ?? 0,
        lastCountedAt: (item.lastCountedAt as string | undefined) ?? null,
        since: String(key.gsi3sk).split('#')[0] as string,
      };
    }),
  );
  return { items: levels, itemsRead: keys.length * 2 };
}
