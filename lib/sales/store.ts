import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../platform/db';
import type { Page } from '../platform/pagination';
import { queryAll, queryPage } from '../platform/query';
import type { TransactItems } from '../platform/transact';
import type { Invoice, InvoiceListQuery, Order, OrderListQuery } from './schema';
import { withoutKeys } from '../platform/items';

/**
 * Keys of the sales module's items — the only place that knows them (figures and pipeline:
 * `aggregates.ts`).
 *   order              pk ORDER#<id>                 sk ORDER
 *                      gsi1 ORDERS#STATUS#<status> / <id>     gsi2 ORDERS#CUSTOMER#<customer> / <id>
 *   invoice            pk INVOICE#<id>               sk INVOICE
 *                      gsi1 INVOICES#STATUS#<status> / <id>   gsi2 INVOICES#CUSTOMER#<customer> / <id>
 *   invoice numbers    pk INVOICE_SEQUENCE#<year>    sk SEQUENCE       (last number issued)
 *   customer history   pk CUSTOMER#<customer>        sk PURCHASES      (first/last month, totals)
 *                      pk CUSTOMER#<customer>        sk PURCHASES#<product>
 *   (a customer's month of figures, pk CUSTOMER#<customer> sk SALES#<yyyy-mm>, is in `aggregates.ts`)
 */
const orderKey = (id: string) => ({ pk: `ORDER#${id}`, sk: 'ORDER' });
const invoiceKey = (id: string) => ({ pk: `INVOICE#${id}`, sk: 'INVOICE' });
const sequenceKey = (year: number) => ({ pk: `INVOICE_SEQUENCE#${year}`, sk: 'SEQUENCE' });
const purchasesKey = (customerId: string) => ({ pk: `CUSTOMER#${customerId}`, sk: 'PURCHASES' });
const productPurchasesKey = (customerId: string, productId: string) => ({ pk: `CUSTOMER#${customerId}`, sk: `PURCHASES#${productId}` });

// ---- orders ------------------------------------------------------------------------------------

function orderItem(order: Order): Record<string, unknown> {
  return {
    ...orderKey(order.id),
    gsi1pk: `ORDERS#STATUS#${order.status}`,
    gsi1sk: order.id,
    gsi2pk: `ORDERS#CUSTOMER#${order.customerId}`,
    gsi2sk: order.id,
    type: 'Order',
    ...order,
  };
}

/** Writes the order as `next`, only if it is still at `expectedVersion` (absent for a new order). */
export function orderPutAction(next: Order, expectedVersion: number | undefined): TransactItems[number] {
  return {
    Put: {
      TableName: tableName,
      Item: orderItem(next),
      ConditionExpression: expectedVersion === undefined ? 'attribute_not_exists(pk)' : 'version = :expected',
      ...(expectedVersion === undefined ? {} : { ExpressionAttributeValues: { ':expected': expectedVersion } }),
    },
  };
}

export async function getOrderRecord(id: string): Promise<Order | undefined> {
  const result = await db.send(new GetCommand({ TableName: tableName, Key: orderKey(id), ConsistentRead: true }));
  return result.Item ? withoutKeys<Order>(result.Item) : undefined;
}

export function queryOrders(query: OrderListQuery, scope: string): Promise<Page<Order>> {
  const byCustomer = query.customerId !== undefined;
  return queryPage(
    {
      index: byCustomer ? 'gsi2' : 'gsi1',
      keyCondition: byCustomer ? 'gsi2pk = :pk' : 'gsi1pk = :pk',
      values: { ':pk': byCustomer ? `ORDERS#CUSTOMER#${query.customerId}` : `ORDERS#STATUS#${query.status ?? 'confirmed'}` },
      newestFirst: true,
      limit: query.limit,
      cursor: query.cursor,
      scope,
    },
    (item) => withoutKeys<Order>(item),
  );
}

// ---- invoices ----------------------------------------------------------------------------------

function invoiceItem(invoice: Invoice): Record<string, unknown> {
  return {
    ...invoiceKey(invoice.id),
    gsi1pk: `INVOICES#STATUS#${invoice.status}`,
    gsi1sk: invoice.id,
    gsi2pk: `INVOICES#CUSTOMER#${invoice.customerId}`,
    gsi2sk: invoice.id,
    type: 'Invoice',
    ...invoice,
  };
}

export function invoicePutAction(next: Invoice, expectedVersion: number | undefined): TransactItems[number] {
  return {
    Put: {
      TableName: tableName,
      Item: invoiceItem(next),
      ConditionExpression: expectedVersion === undefined ? 'attribute_not_exists(pk)' : 'version = :expected',
      ...(expectedVersion === undefined ? {} : { ExpressionAttributeValues: { ':expected': expectedVersion } }),
    },
  };
}

export async function getInvoiceRecord(id: string): Promise<Invoice | undefined> {
  const result = await db.send(new GetCommand({ TableName: tableName, Key: invoiceKey(id), ConsistentRead: true }));
  return result.Item ? withoutKeys<Invoice>(result.Item) : undefined;
}

export function queryInvoices(query: InvoiceListQuery, scope: string): Promise<Page<Invoice>> {
  const byCustomer = query.customerId !== undefined;
  return queryPage(
    {
      index: byCustomer ? 'gsi2' : 'gsi1',
      keyCondition: byCustomer ? 'gsi2pk = :pk' : 'gsi1pk = :pk',
      values: { ':pk': byCustomer ? `INVOICES#CUSTOMER#${query.customerId}` : `INVOICES#STATUS#${query.status ?? 'open'}` },
      newestFirst: true,
      limit: query.limit,
      cursor: query.cursor,
      scope,
    },
    (item) => withoutKeys<Invoice>(item),
  );
}

/** The last invoice number issued in `year` (0 before the first). */
export async function lastInvoiceSequence(year: number): Promise<number> {
  const result = await db.send(new GetCommand({ TableName: tableName, Key: sequenceKey(year), ConsistentRead: true }));
  return typeof result.Item?.last === 'number' ? result.Item.last : 0;
}

/**
 * Takes number `next` of `year`, only if `next - 1` is the last one taken: committed in the
 * invoice's own transaction, so a number is used exactly when an invoice is written (gap-free).
 */
export function sequenceAdvanceAction(year: number, next: number): TransactItems[number] {
  return {
    Update: {
      TableName: tableName,
      Key: sequenceKey(year),
      UpdateExpression: 'SET #last = :next, #type = :type',
      ConditionExpression: next === 1 ? 'attribute_not_exists(pk)' : '#last = :previous',
      ExpressionAttributeNames: { '#last': 'last', '#type': 'type' },
      ExpressionAttributeValues: { ':next': next, ':type': 'InvoiceSequence', ...(next === 1 ? {} : { ':previous': next - 1 }) },
    },
  };
}

// ---- customer purchase history -----------------------------------------------------------------

export interface PurchaseSummary {
  firstMonth: string;
  lastMonth: string;
  orders: number;
  revenue: number;
  quantity: number;
}

export async function getPurchaseSummary(customerId: string): Promise<PurchaseSummary | undefined> {
  const result = await db.send(new GetCommand({ TableName: tableName, Key: purchasesKey(customerId), ConsistentRead: true }));
  return result.Item ? withoutKeys<PurchaseSummary>(result.Item) : undefined;
}

/**
 * Records a shipment in the customer's history. Whether the customer is new or returning in
 * `month` was decided from `current`; the condition pins exactly that (no history yet / last
 * month still before this one), so two racing shipments cannot both count the customer, while
 * shipments within a month already counted just add.
 */
export function purchaseSummaryAction(
  customerId: string,
  current: PurchaseSummary | undefined,
  change: { month: string; firstShipmentOfOrder: boolean; revenue: number; quantity: number },
): TransactItems[number] {
  if (!current) {
    const summary: PurchaseSummary = { firstMonth: change.month, lastMonth: change.month, orders: 1, revenue: change.revenue, quantity: change.quantity };
    return { Put: { TableName: tableName, Item: { ...purchasesKey(customerId), type: 'PurchaseSummary', customerId, ...summary }, ConditionExpression: 'attribute_not_exists(pk)' } };
  }
  const newMonth = change.month > current.lastMonth;
  return {
    Update: {
      TableName: tableName,
      Key: purchasesKey(customerId),
      UpdateExpression: `${newMonth ? 'SET lastMonth = :month ' : ''}ADD orders :orders, revenue :revenue, quantity :quantity`,
      ConditionExpression: newMonth ? 'lastMonth < :month' : 'lastMonth >= :month',
      ExpressionAttributeValues: { ':month': change.month, ':orders': change.firstShipmentOfOrder ? 1 : 0, ':revenue': change.revenue, ':quantity': change.quantity },
    },
  };
}

export interface ProductPurchases {
  productId: string;
  quantity: number;
  revenue: number;
}

/** A return takes revenue and units back out of the history (the order still happened). */
export function purchaseSummaryReturnAction(customerId: string, revenue: number, quantity: number): TransactItems[number] {
  return {
    Update: {
      TableName: tableName,
      Key: purchasesKey(customerId),
      UpdateExpression: 'ADD revenue :revenue, quantity :quantity',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':revenue': -revenue, ':quantity': -quantity },
    },
  };
}

export function productPurchasesAction(customerId: string, productId: string, quantity: number, revenue: number): TransactItems[number] {
  return {
    Update: {
      TableName: tableName,
      Key: productPurchasesKey(customerId, productId),
      UpdateExpression: 'SET #type = :type, productId = :productId ADD quantity :quantity, revenue :revenue',
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: { ':type': 'ProductPurchases', ':productId': productId, ':quantity': quantity, ':revenue': revenue },
    },
  };
}

/** The customer's history: the summary and one row per product bought (one query). */
export async function getPurchaseHistory(customerId: string): Promise<{ summary: PurchaseSummary | undefined; byProduct: ProductPurchases[] }> {
  let summary: PurchaseSummary | undefined;
  const byProduct: ProductPurchases[] = [];
  const items = await queryAll({ KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)', ExpressionAttributeValues: { ':pk': `CUSTOMER#${customerId}`, ':prefix': 'PURCHASES' } });
  for (const item of items) {
    if (item.sk === 'PURCHASES') summary = withoutKeys<PurchaseSummary>(item);
    else byProduct.push({ productId: String(item.productId), quantity: Number(item.quantity ?? 0), revenue: Number(item.revenue ?? 0) });
  }
  return { summary, byProduct };
}
