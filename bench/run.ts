/**
 * `npm run bench`: the baseline every module reuses. In one run, on one DynamoDB Local:
 *  - request latency through the local HTTP API (GET /products/{id}, POST /products), beside a
 *    bare SDK GetItem / PutItem loop, with the ratios;
 *  - throughput at low concurrency (autocannon);
 *  - every function's bundle size and module-init time beside a bare DynamoDBClient bundle;
 *  - inventory (bench/sweep.ts): a stock movement through the API beside a bare
 *    TransactWriteItems of the same shape, and the daily sweep's items read at 1× and 10× inventory;
 *  - market intelligence (bench/market.ts): search p50/p99 at 1,000 and 50,000 entries;
 *  - the monthly analysis job (test/support/job-at-scale.ts): time and items read at 5,000 and 50,000 orders.
 * Figures are printed, never asserted: timing belongs here, not in tests.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import autocannon from 'autocannon';
import { localDynamoClient } from '../infra/local/dynamodb';
import { loadOrCreateSigningKey, mintToken } from '../infra/local/jwt';
import { repoRoot } from '../infra/local/paths';
import { readState, type LocalStackState } from '../infra/local/state-file';
import { measureBundles } from './bundles';
import { benchProduct, closeAgent, httpCall, type Operation, type Percentiles, percentiles, timeInterleaved, timeSequential, warmUp } from './latency';
import { benchMarket } from './market';
import { monthlyJobAtScale } from '../test/support/job-at-scale';
import { benchSales } from './sales';
import { benchMovements, SweepBench, type SweepFigures } from './sweep';

const ITERATIONS = 1_000;
/** Rounds of every latency operation before any is measured (see `warmUp`). */
const SHARED_WARMUP_ROUNDS = 2_000;
const AUTOCANNON_SECONDS = 5;
const AUTOCANNON_CONNECTIONS = 4;
const MOVEMENT_ITERATIONS = 500;
const CONFIRM_ITERATIONS = 300;
/** The sweep at 1× and 10× inventory, with the same levels below minimum. */
const SWEEP_SIZES = [20, 200] as const;
const SWEEP_SHORT = 5;
/** Runs of the monthly job per size; the first three warm up and are not counted. */
const JOB_RUNS = 13;

function product(): string {
  return JSON.stringify(benchProduct());
}

async function startStack(dataDir: string, extraEnv: Record<string, string> = {}): Promise<{ state: LocalStackState; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'infra/local/start.ts')], {
    cwd: repoRoot,
    env: { ...process.env, DATA_DIR: dataDir, PORT: '0', DYNAMODB_PORT: '0', SES_PORT: '0', EVENT_BUS_PORT: '0', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...extraEnv },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGINT');
    });
  const deadline = Date.now() + 60_000;
  for (;;) {
    const state = readState(dataDir);
    if (state && state.pid === child.pid) {
      const health = await fetch(`${state.apiUrl}/health`).catch(() => undefined);
      if (health?.ok) return { state, stop };
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error('the local stack did not start');
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** A stack of its own on a DynamoDB Local the market bench loaded first (see bench/market.ts). */
async function startMarketStack(dynamoEndpoint: string): Promise<{ state: LocalStackState; headers: Record<string, string>; stop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'postlaunch-bench-market-'));
  const stack = await startStack(dir, { DYNAMODB_ENDPOINT: dynamoEndpoint });
  const token = await mintToken({ key: await loadOrCreateSigningKey(dir), roles: ['market'], email: 'bench@example.com' });
  return {
    state: stack.state,
    headers: { authorization: `Bearer ${token}` },
    stop: async () => {
      await stack.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function row(name: string, figures: Percentiles): string {
  return `  ${name.padEnd(34)} p50 ${figures.p50.toFixed(2).padStart(7)} ms   p99 ${figures.p99.toFixed(2).padStart(7)} ms   (n=${figures.count})`;
}

/** `npm run bench -- market orders` runs only those sections; no argument runs them all. */
const SECTIONS = ['requests', 'movements', 'orders', 'market', 'sweep', 'reports', 'bundles'] as const;
const chosen = process.argv.slice(2);
for (const name of chosen) if (!(SECTIONS as readonly string[]).includes(name)) throw new Error(`unknown bench section ${name}; choose from ${SECTIONS.join(', ')}`);
function wants(section: (typeof SECTIONS)[number]): boolean {
  return chosen.length === 0 || chosen.includes(section);
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'postlaunch-bench-'));
  const { state, stop } = await startStack(dataDir);
  try {
    const token = await mintToken({ key: await loadOrCreateSigningKey(dataDir), roles: ['production', 'sales'], email: 'bench@example.com' });
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

    if (wants('requests')) {
      const created = await fetch(`${state.apiUrl}/products`, { method: 'POST', headers: auth, body: product() });
      const { id } = (await created.json()) as { id: string };

      const getUrl = `${state.apiUrl}/products/${id}`;
      const dynamo = localDynamoClient(state.dynamoEndpoint);
      const key = { pk: { S: `PRODUCT#${id}` }, sk: { S: 'PRODUCT' } };
      // The HTTP hop and the middleware chain alone, with no DynamoDB call: where the overhead is.
      const health: Operation = () => httpCall(`${state.apiUrl}/health`, 'GET', {}, undefined, 200);
      const apiGetOne: Operation = () => httpCall(getUrl, 'GET', auth, undefined, 200);
      const apiPostOne: Operation = () => httpCall(`${state.apiUrl}/products`, 'POST', auth, product(), 201);
      const bareGetOne: Operation = async () => void (await dynamo.send(new GetItemCommand({ TableName: state.tableName, Key: key })));
      const barePutOne: Operation = async () => {
        const item = { pk: { S: `BENCH#${randomUUID()}` }, sk: { S: 'BENCH' }, body: { S: product() }, expiresAt: { N: String(Math.floor(Date.now() / 1000) + 3600) } };
        await dynamo.send(new PutItemCommand({ TableName: state.tableName, Item: item }));
      };

      await warmUp([health, apiGetOne, apiPostOne, bareGetOne, barePutOne], SHARED_WARMUP_ROUNDS);
      const apiHealth = percentiles(await timeSequential(health, ITERATIONS));
      const apiGet = percentiles(await timeSequential(apiGetOne, ITERATIONS));
      const apiPost = percentiles(await timeSequential(apiPostOne, ITERATIONS));
      const bareGet = percentiles(await timeSequential(bareGetOne, ITERATIONS));
      const barePut = percentiles(await timeSequential(barePutOne, ITERATIONS));
      const [pairedApiGet, pairedBareGet] = (await timeInterleaved(apiGetOne, bareGetOne, ITERATIONS)).map(percentiles) as [Percentiles, Percentiles];
      const [pairedApiPost, pairedBarePut] = (await timeInterleaved(apiPostOne, barePutOne, ITERATIONS)).map(percentiles) as [Percentiles, Percentiles];
      dynamo.destroy();

      const cannon = await autocannon({ url: getUrl, headers: auth, connections: AUTOCANNON_CONNECTIONS, duration: AUTOCANNON_SECONDS });
      const cannonPost = await autocannon({
        url: `${state.apiUrl}/products`,
        method: 'POST',
        headers: auth,
        connections: AUTOCANNON_CONNECTIONS,
        duration: AUTOCANNON_SECONDS,
        requests: [{ setupRequest: (request) => ({ ...request, body: product() }) }],
      });

      console.log('\nRequest latency (after a shared warm-up; sequential, one kept-alive connection, same DynamoDB Local)');
      console.log(row('API  GET /health (no DynamoDB)', apiHealth));
      console.log(row('API  GET /products/{id}', apiGet));
      console.log(row('SDK  GetItem', bareGet));
      console.log(row('API  POST /products', apiPost));
      console.log(row('SDK  PutItem', barePut));
      console.log(`  ratio GET  p50 ${(apiGet.p50 / bareGet.p50).toFixed(2)} × bare GetItem   (target ≤ 2.0)`);
      console.log(`  ratio POST p50 ${(apiPost.p50 / barePut.p50).toFixed(2)} × bare PutItem   (target ≤ 2.0; the create is a 2-item transaction)`);
      console.log('  cross-check, calls alternated one by one (same JVM, caches and noise for both sides):');
      console.log(`    GET  p50 ${pairedApiGet.p50.toFixed(2)} ms vs ${pairedBareGet.p50.toFixed(2)} ms → ${(pairedApiGet.p50 / pairedBareGet.p50).toFixed(2)} ×`);
      console.log(`    POST p50 ${pairedApiPost.p50.toFixed(2)} ms vs ${pairedBarePut.p50.toFixed(2)} ms → ${(pairedApiPost.p50 / pairedBarePut.p50).toFixed(2)} ×`);
      console.log(`\nThroughput (autocannon, ${AUTOCANNON_CONNECTIONS} connections, ${AUTOCANNON_SECONDS} s)`);
      console.log(`  GET  /products/{id}  ${cannon.requests.average.toFixed(0)} req/s, p50 ${cannon.latency.p50} ms, p99 ${cannon.latency.p99} ms, errors ${cannon.errors + cannon.non2xx}`);
      console.log(`  POST /products       ${cannonPost.requests.average.toFixed(0)} req/s, p50 ${cannonPost.latency.p50} ms, p99 ${cannonPost.latency.p99} ms, errors ${cannonPost.errors + cannonPost.non2xx}`);
    }

    if (wants('movements')) {
      const movements = await benchMovements(state, auth, MOVEMENT_ITERATIONS);
      console.log('\nStock movement latency (sequential, one kept-alive connection, same DynamoDB Local)');
      console.log(row('API  POST /stock-movements (issue)', movements.api));
      console.log(row('SDK  TransactWriteItems (4 writes)', movements.bare));
      console.log(`  ratio p50 ${(movements.api.p50 / movements.bare.p50).toFixed(2)} × bare, p99 ${(movements.api.p99 / movements.bare.p99).toFixed(2)} × bare   (target ≤ 2.0)`);
    }

    if (wants('orders')) {
      const sales = await benchSales(state, auth, CONFIRM_ITERATIONS);
      console.log('\nOrder confirmation (5 lines; sequential, one kept-alive connection, same DynamoDB Local)');
      console.log(row('API  POST /orders/{id}/confirm', sales.confirm));
      console.log(row('SDK  TransactWriteItems (17 writes)', sales.bareConfirm));
      console.log(`  ratio p50 ${(sales.confirm.p50 / sales.bareConfirm.p50).toFixed(2)} × bare, p99 ${(sales.confirm.p99 / sales.bareConfirm.p99).toFixed(2)} × bare`);
      console.log('\nGET /sales/summary?by=product (orders written in bulk, see bench/sales.ts)');
      for (const point of sales.summary) console.log(row(`${point.orders.toLocaleString('en')} orders`, point.figures));
      const [few, many] = sales.summary;
      if (few && many) console.log(`  p50 at 50,000 orders: ${(many.figures.p50 / few.figures.p50).toFixed(2)} × at 5,000 (target ≤ 1.2)`);
    }

    if (wants('market')) {
      const market = await benchMarket((dynamoEndpoint) => startMarketStack(dynamoEndpoint));
      console.log('\nGET /market-intel/search?q= (in-memory DynamoDB Local, loaded in bulk with the stack stopped; entries written with BatchWriteItem — the same items the store writes, see bench/market.ts)');
      console.log(`  queries, in turn: ${market.queries.map((q) => JSON.stringify(q)).join(', ')}`);
      for (const point of market.search) console.log(row(`${point.entries.toLocaleString('en')} entries`, point.figures));
      const [fewEntries, manyEntries] = market.search;
      if (fewEntries && manyEntries) console.log(`  p50 at 50,000 entries: ${(manyEntries.figures.p50 / fewEntries.figures.p50).toFixed(2)} × at 1,000 (target ≤ 1.5)`);
    }

    if (wants('sweep')) {
      const adminToken = await mintToken({ key: await loadOrCreateSigningKey(dataDir), roles: ['admin'], email: 'bench-admin@example.com' });
      const adminAuth = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };
      for (const code of ['production', 'procurement']) {
        const head = await fetch(`${state.apiUrl}/departments/${code}`, { method: 'PUT', headers: adminAuth, body: JSON.stringify({ head: { name: `Bench ${code}`, email: `${code}-head@example.com` } }) });
        if (!head.ok) throw new Error(`PUT /departments/${code} answered ${head.status}`);
      }
      const sweepBench = new SweepBench(state, dataDir, auth);
      const sweeps: SweepFigures[] = [];
      for (const size of SWEEP_SIZES) {
        await sweepBench.grow(size, SWEEP_SHORT);
        sweeps.push(await sweepBench.sweep());
      }
      console.log(`\nDaily stock sweep (npm run job -- stock-sweep; ${SWEEP_SHORT} levels below minimum, the rest healthy)`);
      for (const figure of sweeps) {
        console.log(
          `  ${String(figure.levels).padStart(4)} levels   below minimum ${String(figure.belowMinimum).padStart(3)}   items read ${String(figure.itemsRead).padStart(3)}   look-ups ${String(figure.lookups).padStart(3)}   digests sent ${figure.notified}   ${figure.ms.toFixed(0)} ms (incl. process start)`,
        );
      }
      const [small, large] = sweeps;
      if (small && large) console.log(`  items read at 10× inventory: ${(large.itemsRead / Math.max(small.itemsRead, 1)).toFixed(2)} × those at 1× (target ≈ 1: reads follow problems, not inventory)`);
    }

  } finally {
    closeAgent();
    await stop();
    rmSync(dataDir, { recursive: true, force: true });
  }

  if (wants('reports')) {
    const job = await monthlyJobAtScale(JOB_RUNS);
    console.log('\nMonthly analysis job (in process, in-memory DynamoDB Local; orders copied in bulk, see test/support/job-at-scale.ts)');
    for (const point of job) {
      const commands = Object.entries(point.commands).map(([name, count]) => `${name.replace('Command', '')} ${count}`).join(', ');
      console.log(`  ${point.orders.toLocaleString('en').padStart(6)} orders   median ${point.medianMs.toFixed(1).padStart(7)} ms   items read ${point.itemsRead}   (${commands})`);
    }
    const [few, many] = job;
    if (few && many) console.log(`  at 50,000 orders: time ${(many.medianMs / few.medianMs).toFixed(2)} × at 5,000 (target ≤ 1.2), items read ${many.itemsRead === few.itemsRead ? 'equal' : `${many.itemsRead} vs ${few.itemsRead}`}`);
  }

  if (!wants('bundles')) return;
  const bundles = await measureBundles();
  console.log('\nBundles (esbuild, ESM, minified, node22 — as deployed) and module-init time (median of 5 cold imports)');
  const reference = bundles.reference;
  console.log(`  ${reference.name.padEnd(34)} ${(reference.bytes / 1024).toFixed(0).padStart(6)} KiB   init ${reference.initMs.toFixed(0).padStart(4)} ms`);
  for (const figure of bundles.functions) {
    console.log(
      `  ${`${figure.name} (${figure.kind})`.padEnd(34)} ${(figure.bytes / 1024).toFixed(0).padStart(6)} KiB   init ${figure.initMs.toFixed(0).padStart(4)} ms   ${(figure.bytes / reference.bytes).toFixed(2)} × size, ${(figure.initMs / reference.initMs).toFixed(2)} × init`,
    );
  }
  const worst = Math.max(...bundles.functions.filter((f) => f.kind === 'http').map((f) => f.bytes / reference.bytes));
  console.log(`  largest API bundle: ${worst.toFixed(2)} × the reference (target ≤ 2.0)`);
  if (existsSync(dataDir)) rmSync(dataDir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
