/**
 * Inventory figures for `npm run bench`, on the stack `run.ts` started:
 *  - a stock movement (an issue of 1 unit) through the local API beside a bare
 *    `TransactWriteItems` of the same shape (level Update with ADD + ledger Put + month-totals
 *    Update + day Update) on the same DynamoDB Local;
 *  - the daily sweep's items read against the levels below minimum, at 1× and 10× inventory,
 *    run the way `npm run job -- stock-sweep` runs it (a child process against the stack).
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { localDynamoClient } from '../infra/local/dynamodb';
import { repoRoot } from '../infra/local/paths';
import type { LocalStackState } from '../infra/local/state-file';
import { benchProduct, httpCall, type Percentiles, percentiles, timeSequential } from './latency';

type Headers = Record<string, string>;

export interface MovementFigures {
  api: Percentiles;
  bare: Percentiles;
}

export interface SweepFigures {
  levels: number;
  belowMinimum: number;
  itemsRead: number;
  lookups: number;
  notified: number;
  ms: number;
}

const THRESHOLDS = { safety: 2, minimum: 10, maximum: 1_000, reorderQuantity: 100, leadTimeDays: 7 };

async function call<T>(url: string, method: string, headers: Headers, body?: unknown): Promise<T> {
  const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!response.ok) throw new Error(`${method} ${url} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

const product = benchProduct;

async function aWarehouse(api: string, headers: Headers): Promise<string> {
  const code = `B${randomUUID().slice(0, 8)}`.toUpperCase();
  const body = { code, name: 'Bench warehouse', address: { line1: '1 Bench Rd', city: 'Shanghai', country: 'CN' } };
  return (await call<{ id: string }>(`${api}/warehouses`, 'POST', headers, body)).id;
}

export async function benchMovements(state: LocalStackState, headers: Headers, iterations: number): Promise<MovementFigures> {
  const api = state.apiUrl;
  const warehouseId = await aWarehouse(api, headers);
  const productId = (await call<{ id: string }>(`${api}/products`, 'POST', headers, product())).id;
  await call(`${api}/stock-movements`, 'POST', headers, { kind: 'receipt', source: 'production', lines: [{ productId, warehouseId, quantity: 10_000_000 }] });
  await call(`${api}/stock/${productId}/${warehouseId}/thresholds`, 'PUT', headers, { ...THRESHOLDS, maximum: 100_000_000 });

  const issue = JSON.stringify({ kind: 'issue', purpose: 'sample', lines: [{ productId, warehouseId, quantity: 1 }] });
  const apiSamples = await timeSequential(() => httpCall(`${api}/stock-movements`, 'POST', headers, issue, 201), iterations);

  // The same four writes, hand-built: what the transaction alone costs on this DynamoDB Local.
  const dynamo = localDynamoClient(state.dynamoEndpoint);
  const doc = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
  const bareProduct = randomUUID();
  const TableName = state.tableName;
  await doc.send(
    new TransactWriteCommand({
      TransactItems: [{ Put: { TableName, Item: { pk: `BENCHLEVEL#${bareProduct}`, sk: 'WAREHOUSE#1', onHand: 10_000_000, reserved: 0, available: 10_000_000, version: 0 } } }],
    }),
  );
  const bareSamples = await timeSequential(async (index) => {
    const at = new Date().toISOString();
    const sk = `${at}#${randomUUID()}#000`;
    await doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName,
              Key: { pk: `BENCHLEVEL#${bareProduct}`, sk: 'WAREHOUSE#1' },
              UpdateExpression: 'SET #band = :band, lastMovementAt = :at, updatedAt = :at ADD onHand :delta, available :delta, reserved :zero, unlotted :delta',
              ConditionExpression: 'version = :version AND available >= :low AND onHand >= :need',
              ExpressionAttributeNames: { '#band': 'band' },
              ExpressionAttributeValues: { ':band': 'ok', ':at': at, ':delta': -1, ':zero': 0, ':version': 0, ':low': 11, ':need': 1 },
            },
          },
          {
            Put: {
              TableName,
              Item: { pk: `BENCHLEDGER#${bareProduct}`, sk, gsi1pk: `BENCHLEDGER_P#${bareProduct}`, gsi1sk: sk, gsi2pk: 'BENCHLEDGER_W#1', gsi2sk: sk, type: 'BenchLedgerEntry', onHandDelta: -1, reservedDelta: 0, occurredAt: at, index },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Update: {
              TableName,
              Key: { pk: `BENCHTURNOVER#${bareProduct}`, sk: `MONTH#${at.slice(0, 7)}` },
              UpdateExpression: 'SET #type = :type ADD issued :one, netDelta :minus, weightedDelta :weighted',
              ExpressionAttributeNames: { '#type': 'type' },
              ExpressionAttributeValues: { ':type': 'BenchMonth', ':one': 1, ':minus': -1, ':weighted': -86_400 },
            },
          },
          {
            Update: {
              TableName,
              Key: { pk: `BENCHISSUED#${bareProduct}`, sk: `DAY#${at.slice(0, 10)}` },
              UpdateExpression: 'SET #type = :type ADD issued :one',
              ExpressionAttributeNames: { '#type': 'type' },
              ExpressionAttributeValues: { ':type': 'BenchDay', ':one': 1 },
            },
          },
        ],
      }),
    );
  }, iterations);
  dynamo.destroy();
  return { api: percentiles(apiSamples), bare: percentiles(bareSamples) };
}

/**
 * Grows the inventory to `levels` levels in one warehouse, of which exactly `short` sit below
 * minimum (the rest healthy, no lots expiring), then runs the sweep job.
 */
export class SweepBench {
  private levels = 0;
  private short = 0;
  private warehouseId: string | undefined;

  constructor(
    private readonly state: LocalStackState,
    private readonly dataDir: string,
    private readonly headers: Headers,
  ) {}

  async grow(levels: number, short: number): Promise<void> {
    const api = this.state.apiUrl;
    this.warehouseId ??= await aWarehouse(api, this.headers);
    const warehouseId = this.warehouseId;
    const wanted = Array.from({ length: levels - this.levels }, (_, index) => (this.short + index < short ? 5 : 500));
    for (let start = 0; start < wanted.length; start += 10) {
      await Promise.all(
        wanted.slice(start, start + 10).map(async (quantity) => {
          const productId = (await call<{ id: string }>(`${api}/products`, 'POST', this.headers, product())).id;
          await call(`${api}/stock-movements`, 'POST', this.headers, { kind: 'receipt', source: 'purchase', lines: [{ productId, warehouseId, quantity }] });
          await call(`${api}/stock/${productId}/${warehouseId}/thresholds`, 'PUT', this.headers, THRESHOLDS);
        }),
      );
    }
    this.levels = levels;
    this.short = Math.max(this.short, short);
  }

  /** `npm run job -- stock-sweep`, as a child process against the bench's stack. */
  async sweep(): Promise<SweepFigures> {
    const started = process.hrtime.bigint();
    const output = await runJob(this.dataDir, ['stock-sweep']);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    // The job prints its result last, pretty-printed; log lines may come before it.
    const at = output.lastIndexOf('\n{\n');
    const result = JSON.parse(at >= 0 ? output.slice(at + 1) : output) as { itemsRead: number; lookups: number; belowMinimum: number; notified: string[] };
    return { levels: this.levels, belowMinimum: result.belowMinimum, itemsRead: result.itemsRead, lookups: result.lookups, notified: result.notified.length, ms };
  }
}

function runJob(dataDir: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'infra/local/job.ts'), ...args], {
      cwd: repoRoot,
      env: { ...process.env, DATA_DIR: dataDir, POWERTOOLS_LOG_LEVEL: 'ERROR', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`npm run job -- ${args.join(' ')} exited ${code}: ${stderr}`))));
  });
}
