/**
 * Sales figures for `npm run bench`, on the stack `run.ts` started:
 *  - `POST /orders/{id}/confirm` of a 5-line order through the local API beside a bare
 *    `TransactWriteItems` of the same 17 writes (5 level updates with a condition, 5 ledger puts,
 *    the movement, the order, 5 pipeline updates) on the same DynamoDB Local;
 *  - `GET /sales/summary` with 5,000 and then 50,000 orders in the table.
 *
 * The orders for the summary are written in bulk (BatchWriteItem): order items as the API
 * stores them, and their shipped figures added to the month's aggregates — 50,000 orders through
 * the API would take most of an hour on this machine. The summary reads only the aggregates; the
 * point of the measure is that ten times the orders leave its time unchanged.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { localDynamoClient } from '../infra/local/dynamodb';
import type { LocalStackState } from '../infra/local/state-file';
import { newId } from '../lib/platform/ids';
import { bulkPut } from '../test/support/bulk-write';
import { benchProduct, httpCall, type Percentiles, percentiles, timeSequential, warmUp } from './latency';

type Headers = Record<string, string>;

export interface SalesFigures {
  confirm: Percentiles;
  bareConfirm: Percentiles;
  summary: Array<{ orders: number; figures: Percentiles }>;
}

const LINES = 5;
const SUMMARY_CALLS = 300;
const SUMMARY_PRODUCTS = 50;
const SUMMARY_CHANNELS = 6;

async function call<T>(url: string, method: string, headers: Headers, body?: unknown): Promise<T> {
  const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!response.ok) throw new Error(`${method} ${url} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

function currentMonth(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).format(new Date()).slice(0, 7);
}

export async function benchSales(state: LocalStackState, headers: Headers, iterations: number): Promise<SalesFigures> {
  const api = state.apiUrl;
  const warehouse = await call<{ id: string }>(`${api}/warehouses`, 'POST', headers, {
    code: `S${randomUUID().slice(0, 8)}`.toUpperCase(),
    name: 'Bench sales warehouse',
    address: { line1: '1 Bench Rd', city: 'Shanghai', country: 'CN' },
  });
  const products = await Promise.all(Array.from({ length: LINES }, () => call<{ id: string }>(`${api}/products`, 'POST', headers, benchProduct())));
  await call(`${api}/stock-movements`, 'POST', headers, { kind: 'receipt', source: 'production', lines: products.map((p) => ({ productId: p.id, warehouseId: warehouse.id, quantity: 10_000_000 })) });
  const customer = await call<{ id: string }>(`${api}/customers`, 'POST', headers, { type: 'business', name: 'Bench customer', region: 'bench-region' });
  const channel = await call<{ id: string }>(`${api}/channels`, 'POST', headers, { name: 'Bench store', kind: 'offline', type: 'direct-store' });
  const orderBody = { customerId: customer.id, channelId: channel.id, lines: products.map((p) => ({ productId: p.id, warehouseId: warehouse.id, quantity: 1 })) };

  const warmups = Math.min(200, iterations);
  const drafts: string[] = [];
  for (let index = 0; index < warmups + iterations; index++) drafts.push((await call<{ id: string }>(`${api}/orders`, 'POST', headers, orderBody)).id);
  const confirm = (index: number) => httpCall(`${api}/orders/${drafts[index < 0 ? -1 - index : warmups + index]}/confirm`, 'POST', headers, undefined, 200);

  // The same 17 writes, hand-built.
  const doc = DynamoDBDocumentClient.from(localDynamoClient(state.dynamoEndpoint), { marshallOptions: { removeUndefinedValues: true } });
  const TableName = state.tableName;
  const levelKeys = Array.from({ length: LINES }, (_, index) => ({ pk: `BENCHLEVEL#${randomUUID()}`, sk: `WAREHOUSE#${index}` }));
  await doc.send(new TransactWriteCommand({ TransactItems: levelKeys.map((key) => ({ Put: { TableName, Item: { ...key, onHand: 10_000_000, reserved: 0, available: 10_000_000, version: 1 } } })) }));
  const bare = async () => {
    const at = new Date().toISOString();
    const movementId = newId();
    const order = { pk: `BENCHORDER#${newId()}`, sk: 'ORDER', status: 'confirmed', lines: orderBody.lines, version: 2, updatedAt: at };
    await doc.send(
      new TransactWriteCommand({
        TransactItems: [
          ...levelKeys.map((Key) => ({
            Update: {
              TableName,
              Key,
              UpdateExpression: 'SET updatedAt = :at ADD reserved :one, available :minus',
              ConditionExpression: 'available >= :one AND version = :version',
              ExpressionAttributeValues: { ':at': at, ':one': 1, ':minus': -1, ':version': 1 },
            },
          })),
          ...levelKeys.map((key, line) => ({ Put: { TableName, Item: { pk: `BENCHLEDGER#${key.pk}`, sk: `${at}#${movementId}#${line}`, kind: 'reservation', reservedDelta: 1 }, ConditionExpression: 'attribute_not_exists(pk)' } })),
          { Put: { TableName, Item: { pk: `BENCHMOVEMENT#${movementId}`, sk: 'MOVEMENT', kind: 'reservation', createdAt: at }, ConditionExpression: 'attribute_not_exists(pk)' } },
          { Put: { TableName, Item: order } },
          ...levelKeys.map((key) => ({ Update: { TableName, Key: { pk: 'BENCHPIPELINE', sk: key.pk }, UpdateExpression: 'ADD quantity :one, #value :value', ExpressionAttributeNames: { '#value': 'value' }, ExpressionAttributeValues: { ':one': 1, ':value': 9_900 } } })),
        ],
      }),
    );
  };
  // Confirms consume their drafts, so the shared warm-up runs both sides the same number of times.
  await warmUp([confirm, bare], warmups);
  const confirmSamples = await timeSequential(confirm, iterations, 0);
  const bareSamples = await timeSequential(bare, iterations, 0);

  const summary: SalesFigures['summary'] = [];
  const month = currentMonth();
  const summaryUrl = `${api}/sales/summary?month=${month}&by=product`;
  let seeded = 0;
  for (const orders of [5_000, 50_000]) {
    await seedShippedOrders(doc, TableName, month, orders - seeded, customer.id);
    seeded = orders;
    const samples = await timeSequential(() => httpCall(summaryUrl, 'GET', headers, undefined, 200), SUMMARY_CALLS, 100);
    summary.push({ orders, figures: percentiles(samples) });
  }
  doc.destroy();
  return { confirm: percentiles(confirmSamples), bareConfirm: percentiles(bareSamples), summary };
}

/** `count` shipped one-line orders over a fixed set of products and channels, with their figures. */
async function seedShippedOrders(doc: DynamoDBDocumentClient, TableName: string, month: string, count: number, customerId: string): Promise<void> {
  const productIds = Array.from({ length: SUMMARY_PRODUCTS }, (_, index) => `BENCH-PRODUCT-${String(index).padStart(3, '0')}`);
  const channelIds = Array.from({ length: SUMMARY_CHANNELS }, (_, index) => `BENCH-CHANNEL-${index}`);
  const totals = new Map<string, { revenue: number; quantity: number; orders: number }>();
  const at = new Date().toISOString();
  const items: Array<Record<string, unknown>> = [];
  for (let index = 0; index < count; index++) {
    const id = newId();
    const productId = productIds[index % productIds.length] as string;
    const channelId = channelIds[index % channelIds.length] as string;
    const quantity = 1 + (index % 4);
    const revenue = quantity * 9_900;
    items.push({
      pk: `ORDER#${id}`,
      sk: 'ORDER',
      gsi1pk: 'ORDERS#STATUS#shipped',
      gsi1sk: id,
      gsi2pk: `ORDERS#CUSTOMER#${customerId}`,
      gsi2sk: id,
      type: 'Order',
      id,
      status: 'shipped',
      customerId,
      channelId,
      region: 'bench-region',
      lines: [{ line: 0, productId, quantity, unitPrice: 9_900, netAmount: revenue, shipped: quantity }],
      total: revenue,
      createdAt: at,
      version: 3,
    });
    for (const key of [`product#${productId}`, `channel#${channelId}`, 'total#ALL']) {
      const sum = totals.get(key) ?? { revenue: 0, quantity: 0, orders: 0 };
      sum.revenue += revenue;
      sum.quantity += quantity;
      sum.orders += 1;
      totals.set(key, sum);
    }
  }
  await bulkPut(doc, TableName, items, 8);
  for (const [key, sum] of totals) {
    const [dimension, id] = key.split('#') as [string, string];
    await doc.send(
      new UpdateCommand({
        TableName,
        Key: { pk: `SALES#${dimension}#${month}`, sk: id },
        UpdateExpression: 'SET #type = :type, dimension = :dimension, #month = :month, id = :id ADD revenue :revenue, quantity :quantity, orders :orders, grossProfit :revenue',
        ExpressionAttributeNames: { '#type': 'type', '#month': 'month' },
        ExpressionAttributeValues: { ':type': 'SalesFigures', ':dimension': dimension, ':month': month, ':id': id, ':revenue': sum.revenue, ':quantity': sum.quantity, ':orders': sum.orders },
      }),
    );
  }
}
