/**
 * The monthly job at scale, for its test and `npm run bench`: the items it reads and its time
 * with 5,000 and then 50,000 orders in the month — the same products, customers and channels.
 *
 * It runs in this process, as the Lambda would, on a DynamoDB Local of its own (in memory,
 * stopped at the end, so the copies never weigh on anything else), with no heads, so no email
 * is sent or timed. A small company is made through the services — October's orders shipped,
 * stock moved by them — and then its first order is copied in bulk (bulk-orders.ts). The reports
 * must read aggregates, so the copies must change neither what the job reads nor, beyond noise,
 * how long it takes.
 *
 * The services read config when first imported: this module imports them only after pointing
 * the environment at its own DynamoDB, so call it from a file (or process) that has not
 * imported them yet.
 */
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ensureTable, localDynamoClient, startDynamoDbLocal } from '../../infra/local/dynamodb';
import { cloneOrder } from './bulk-orders';

export const JOB_SIZES = [5_000, 50_000] as const;
const MONTH = '2026-10';
const RUN_AT = '2026-11-03T09:00:00Z';

export interface JobAtScale {
  orders: number;
  itemsRead: number;
  commands: Record<string, number>;
  /** Median of the runs after the warm-up runs, ms. */
  medianMs: number;
  runsMs: number[];
}

export async function monthlyJobAtScale(runs: number): Promise<JobAtScale[]> {
  const dynamo = await startDynamoDbLocal();
  const tableName = 'postlaunch-job-at-scale';
  Object.assign(process.env, {
    TABLE_NAME: tableName,
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    // No heads are set, so nothing is sent: SES is never called.
    SES_ENDPOINT: 'http://127.0.0.1:9',
    EVENT_BUS_NAME: 'postlaunch',
    MAIL_FROM: 'postlaunch@example.com',
    CURSOR_SECRET: 'job-at-scale-cursor-secret-0123456789abcdef0123',
    AWS_REGION: 'us-east-1',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
  });
  const doc = DynamoDBDocumentClient.from(localDynamoClient(dynamo.endpoint));
  try {
    await ensureTable(dynamo.endpoint, tableName);
    const { runMonthlyAnalysis } = await import('../../lib/reports/job');
    const { testContext, fixedClock } = await import('./factories');
    const firstOrder = await aSmallCompany();
    const figures: JobAtScale[] = [];
    let orders = ORDERS_SHIPPED;
    for (const size of JOB_SIZES) {
      await cloneOrder(doc, tableName, firstOrder, size - orders);
      orders = size;
      const runsMs: number[] = [];
      let last;
      for (let run = 0; run < runs; run++) {
        const started = performance.now();
        last = await runMonthlyAnalysis(testContext(fixedClock(RUN_AT)), 'http://127.0.0.1', { month: MONTH });
        runsMs.push(performance.now() - started);
      }
      // The first runs warm the process and DynamoDB Local's JVM; they are not counted.
      const measured = (runsMs.length > WARM_UP_RUNS ? runsMs.slice(WARM_UP_RUNS) : runsMs).sort((a, b) => a - b);
      figures.push({ orders: size, itemsRead: last?.reads.itemsRead ?? 0, commands: last?.reads.commands ?? {}, medianMs: measured[Math.floor(measured.length / 2)] ?? 0, runsMs });
    }
    return figures;
  } finally {
    doc.destroy();
    await dynamo.stop();
  }
}

const ORDERS_SHIPPED = 10;
const WARM_UP_RUNS = 3;

/** Twenty products in one warehouse, ten October orders of five lines shipped through the services. */
async function aSmallCompany(): Promise<string> {
  const { aSalesWorld, seller } = await import('./sales');
  const { testContext, fixedClock } = await import('./factories');
  const { createOrder, confirmOrder, shipOrder } = await import('../../lib/sales/orders');
  const world = await aSalesWorld({ stock: Array.from({ length: 20 }, () => 1_000) });
  let first = '';
  for (let index = 0; index < ORDERS_SHIPPED; index++) {
    const context = testContext(fixedClock(`2026-10-${String(1 + index * 3).padStart(2, '0')}T03:00:00Z`));
    const order = await createOrder(context, seller, {
      customerId: world.customerId,
      channelId: world.channelId,
      repId: world.repId,
      lines: world.products.slice(index, index + 5).map((productId, line) => ({ productId, warehouseId: world.warehouseId, quantity: 1 + line, discountPercent: 0 })),
    });
    await confirmOrder(context, seller, order.id);
    await shipOrder(context, seller, order.id, {});
    first ||= order.id;
  }
  return first;
}
