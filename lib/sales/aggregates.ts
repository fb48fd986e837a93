import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../platform/db';
import type { TransactItems } from '../platform/transact';
import type { SalesDimension } from './dimensions';
import { batchGetItems } from '../platform/batch';
import { queryAll } from '../platform/query';

/**
 * Sales aggregates: the figures every report, scorecard and evaluation reads, written in the
 * same transaction as each shipment (and reversed by a return), so reading a month costs a
 * handful of queries whatever the number of orders.
 *
 *   figures of one id in one month   pk SALES#<dimension>#<yyyy-mm>   sk <id>
 *                                      (dimension `total`: sk ALL, the whole company)
 *   open pipeline of a product       pk PIPELINE                      sk <productId>
 *   one customer's month             pk CUSTOMER#<customerId>         sk SALES#<yyyy-mm>
 *                                      gsi4 TOP_CUSTOMERS#<yyyy-mm> / revenue (a number)
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

/** What one customer bought in one month (net of the month's returns). */
export interface CustomerMonthFigures {
  customerId: string;
  revenue: number;
  cost: number;
  grossProfit: number;
  quantity: number;
  /** Orders of the customer with a first shipment in the month. */
  orders: number;
}

const customerMonthKey = (customerId: string, month: string) => ({ pk: `CUSTOMER#${customerId}`, sk: `SALES#${month}` });
const topCustomersPartition = (month: string) => `TOP_CUSTOMERS#${month}`;

/**
 * An `ADD` to one customer's month. The revenue is added to `gsi4sk` by the same update, so the
 * ranking index can never disagree with the figures (the month's customers are not a dimension
 * of `SALES#…`: ranking them by revenue needs a numeric sort key, not one query per month).
 */
export function customerSalesDeltaAction(month: string, customerId: string, delta: Omit<CustomerMonthFigures, 'customerId'>): TransactItems[number] {
  return {
    Update: {
      TableName: tableName,
      Key: customerMonthKey(customerId, month),
      UpdateExpression:
        'SET #type = :type, customerId = :customerId, #month = :month, gsi4pk = :rank ADD revenue :revenue, cost :cost, grossProfit :grossProfit, quantity :quantity, orders :orders, gsi4sk :revenue',
      ExpressionAttributeNames: { '#type': 'type', '#month': 'month' },
      ExpressionAttributeValues: {
        ':type': 'CustomerSalesFigures',
        ':customerId': customerId,
        ':month': month,
        ':rank': topCustomersPartition(month),
        ':revenue': delta.revenue,
        ':cost': delta.cost,
        ':grossProfit': delta.grossProfit,
        ':quantity': delta.quantity,
        ':orders': delta.orders,
      },
    },
  };
}

function customerFiguresOf(item: Record<string, unknown>): CustomerMonthFigures {
  const number = (name: string) => (typeof item[name] === 'number' ? item[name] : 0);
  return { customerId: String(item.customerId), revenue: number('revenue'), cost: number('cost'), grossProfit: number('grossProfit'), quantity: number('quantity'), orders: number('orders') };
}

/**
 * The `count` customers with the most revenue in `month`, highest first, ties by customer id.
 * One query on gsi4 (descending, `Limit count`), plus one for the customers tied with the last
 * of them, so which of equal customers make the cut never depends on the index's order.
 */
export async function topCustomersOfMonth(month: string, count: number): Promise<CustomerMonthFigures[]> {
  const partition = topCustomersPartition(month);
  const first = await db.send(
    new QueryCommand({ TableName: tableName, IndexName: 'gsi4', KeyConditionExpression: 'gsi4pk = :pk', ExpressionAttributeValues: { ':pk': partition }, ScanIndexForward: false, Limit: count }),
  );
  const found = new Map((first.Items ?? []).map((item) => [String(item.customerId), customerFiguresOf(item)]));
  const last = first.Items?.at(-1);
  if (found.size === count && last) {
    const ties = await queryAll({ IndexName: 'gsi4', KeyConditionExpression: 'gsi4pk = :pk AND gsi4sk = :floor', ExpressionAttributeValues: { ':pk': partition, ':floor': last.gsi4sk } });
    for (const item of ties) found.set(String(item.customerId), customerFiguresOf(item));
  }
  return [...found.values()].sort((a, b) => b.revenue - a.revenue || (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0)).slice(0, count);
}

/** Every id's figures for one dimension and month (one query, paged through internally). */
export async function salesOfMonth(dimension: SalesDimension, month: string): Promise<Array<{ id: string; figures: SalesFigures }>> {
  const items = await queryAll({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `SALES#${dimension}#${month}` } });
  return items.map((item) => ({ id: String(item.sk), figures: figuresOf(item) }));
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
  const items = await queryAll({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'PIPELINE' } });
  return items
    .filter((item) => !(item.quantity === 0 && item.value === 0))
    .map((item) => ({ productId: String(item.productId), quantity: Number(item.quantity ?? 0), value: Number(item.value ?? 0) }));
}
