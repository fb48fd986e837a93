import { QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../platform/db';
import type { TransactItems } from '../platform/transact';
import type { SalesDimension } from './dimensions';
import { batchGetItems } from '../platform/batch';

/**
 * Sales aggregates: the figures every report, scorecard and evaluation reads, written in the
 * same transaction as each shipment (and reversed by a return), so reading a month costs a
 * handful of queries whatever the number of orders.
 *
 *   figures of one id in one month   pk SALES#<dimension>#<yyyy-mm>   sk <id>
 *                                      (dimension `total`: sk ALL, the whole company)
 *   open pipeline of a product       pk PIPELINE                      sk <productId>
 *
 * Amounts are integer minor units of the company currency.
 */
export { SALES_DIMENSIONS, TOTAL_ID, type SalesDimension } from './dimensions';
export { monthsBetween } from './period';

export interface SalesFigures {
  /** Net revenue (after line discounts), minor units. */
  revenue: number;
  /** Cost of goods at the standard cost when the order was confirmed, minor units. */
  cost: number;
  grossProfit: number;
  quantity: number;
  /** Orders with a first shipment in the month (an order counts once per id it touches). */
  orders: number;
  /** Customers whose first shipment ever fell in the month. */
  newCustomers: number;
  /** Customers with a shipment in the month who had bought in an earlier month. */
  repeatCustomers: number;
}

export const ZERO_FIGURES: SalesFigures = { revenue: 0, cost: 0, grossProfit: 0, quantity: 0, orders: 0, newCustomers: 0, repeatCustomers: 0 };
const FIGURE_NAMES = Object.keys(ZERO_FIGURES) as Array<keyof SalesFigures>;

export interface PipelineFigures {
  productId: string;
  /** Confirmed, not yet shipped or cancelled. */
  quantity: number;
  value: number;
}

const salesKey = (dimension: SalesDimension, month: string, id: string) => ({ pk: `SALES#${dimension}#${month}`, sk: id });
const pipelineKey = (productId: string) => ({ pk: 'PIPELINE', sk: productId });

function figuresOf(item: Record<string, unknown> | undefined): SalesFigures {
  const figures = { ...ZERO_FIGURES };
  for (const name of FIGURE_NAMES) {
    const value = item?.[name];
    if (typeof value === 'number') figures[name] = value;
  }
  return figures;
}

/** An `ADD` of figure deltas to one id's month (negative deltas reverse a return). */
export function salesDeltaAction(dimension: SalesDimension, month: string, id: string, delta: Partial<SalesFigures>): TransactItems[number] {
  const names = FIGURE_NAMES.filter((name) => (delta[name] ?? 0) !== 0);
  const values: Record<string, unknown> = { ':dimension': dimension, ':month': month, ':id': id };
  names.forEach((name, index) => (values[`:v${index}`] = delta[name]));
  const adds = names.map((name, index) => `${name} :v${index}`);
  return {
    Update: {
      TableName: tableName,
      Key: salesKey(dimension, month, id),
      UpdateExpression: `SET #type = :type, dimension = :dimension, #month = :month, id = :id${adds.length ? ` ADD ${adds.join(', ')}` : ''}`,
      ExpressionAttributeNames: { '#type': 'type', '#month': 'month' },
      ExpressionAttributeValues: { ...values, ':type': 'SalesFigures' },
    },
  };
}

/** An `ADD` to a product's open pipeline (confirm adds, ship and cancel subtract). */
export function pipelineDeltaAction(productId: string, quantity: number, value: number): TransactItems[number] {
  return {
    Update: {
      TableName: tableName,
      Key: pipelineKey(productId),
      UpdateExpression: 'SET #type = :type, productId = :productId ADD quantity :quantity, #value :value',
      ExpressionAttributeNames: { '#type': 'type', '#value': 'value' },
      ExpressionAttributeValues: { ':type': 'Pipeline', ':productId': productId, ':quantity': quantity, ':value': value },
    },
  };
}

/** Every id's figures for one dimension and month (one query, paged through internally). */
export async function salesOfMonth(dimension: SalesDimension, month: string): Promise<Array<{ id: string; figures: SalesFigures }>> {
  const rows: Array<{ id: string; figures: SalesFigures }> = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const result: QueryCommandOutput = await db.send(
      new QueryCommand({ TableName: tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `SALES#${dimension}#${month}` }, ExclusiveStartKey: startKey }),
    );
    for (const item of result.Items ?? []) rows.push({ id: String(item.sk), figures: figuresOf(item) });
    startKey = result.LastEvaluatedKey;
  } while (startKey);
  return rows;
}

/** One id's figures for each of `months` (zeros for a month without sales), in one batch read. */
export async function salesFor(dimension: SalesDimension, id: string, months: readonly string[]): Promise<Map<string, SalesFigures>> {
  const found = new Map<string, SalesFigures>(months.map((month) => [month, { ...ZERO_FIGURES }]));
  for (const item of await batchGetItems(months.map((month) => salesKey(dimension, month, id)))) found.set(String(item.month), figuresOf(item));
  return found;
}

/** The sum of one id's figures over `months` (a quarter, a year, an agreement period). */
export async function salesTotal(dimension: SalesDimension, id: string, months: readonly string[]): Promise<SalesFigures> {
  const perMonth = await salesFor(dimension, id, months);
  return [...perMonth.values()].reduce(addFigures, { ...ZERO_FIGURES });
}

export function addFigures(a: SalesFigures, b: SalesFigures): SalesFigures {
  const sum = { ...ZERO_FIGURES };
  for (const name of FIGURE_NAMES) sum[name] = a[name] + b[name];
  return sum;
}

/** Open pipeline of every product (a few thousand items at most). */
export async function openPipeline(): Promise<PipelineFigures[]> {
  const rows: PipelineFigures[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const result: QueryCommandOutput = await db.send(
      new QueryCommand({ TableName: tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'PIPELINE' }, ExclusiveStartKey: startKey }),
    );
    for (const item of result.Items ?? []) {
      if (item.quantity === 0 && item.value === 0) continue;
      rows.push({ productId: String(item.productId), quantity: Number(item.quantity ?? 0), value: Number(item.value ?? 0) });
    }
    startKey = result.LastEvaluatedKey;
  } while (startKey);
  return rows;
}
