import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';

export interface Percentiles {
  count: number;
  p50: number;
  p99: number;
  mean: number;
}

export function percentiles(samples: number[]): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { count: sorted.length, p50: at(0.5), p99: at(0.99), mean: sorted.reduce((sum, value) => sum + value, 0) / sorted.length };
}

/**
 * Steady state, as a serving Lambda container is: the API path runs far more code than a bare
 * SDK call and needs more calls before V8 has optimized it (about 2× slower over the first
 * thousand); DynamoDB Local's JVM warms up too. Every loop gets this many warm-up calls of its own.
 */
export const WARMUP_CALLS = 1_000;

export type Operation = (index: number) => Promise<void>;

/**
 * Warms every operation together, round-robin, before any is measured. Without it, whichever
 * loop runs first meets a colder JVM and a less optimized server than the loops after it, and
 * the ratios measure the order of the loops.
 */
export async function warmUp(operations: readonly Operation[], rounds: number): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    for (const operation of operations) await operation(-1 - round);
  }
}

/** Runs `operation` sequentially after a warm-up and returns each call's wall time in ms. */
export async function timeSequential(operation: Operation, iterations: number, warmup = WARMUP_CALLS): Promise<number[]> {
  for (let index = 0; index < warmup; index++) await operation(-1 - index);
  const samples: number[] = [];
  for (let index = 0; index < iterations; index++) samples.push(await timeOne(operation, index));
  return samples;
}

/**
 * Alternates two operations call by call, so both meet the same JVM, caches and background
 * noise: the cross-check of a ratio measured with separate loops.
 */
export async function timeInterleaved(first: Operation, second: Operation, iterations: number): Promise<[number[], number[]]> {
  const firstSamples: number[] = [];
  const secondSamples: number[] = [];
  for (let index = 0; index < iterations; index++) {
    firstSamples.push(await timeOne(first, index));
    secondSamples.push(await timeOne(second, index));
  }
  return [firstSamples, secondSamples];
}

async function timeOne(operation: Operation, index: number): Promise<number> {
  const started = process.hrtime.bigint();
  await operation(index);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

/** One HTTP request over a kept-alive socket (like the SDK's own agent); fails on an unexpected status. */
export function httpCall(url: string, method: string, headers: Record<string, string>, body: string | undefined, expected: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === expected ? resolve() : reject(new Error(`${method} ${url} answered ${res.statusCode}`))));
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

export function closeAgent(): void {
  agent.destroy();
}

/** A product body for POST /products with a fresh SKU. */
export function benchProduct(): Record<string, unknown> {
  return {
    sku: `BENCH-${randomUUID().slice(0, 12)}`,
    name: 'Bench lock',
    category: 'bench',
    launchDate: '2026-01-01',
    listPrice: { amount: 9900, currency: 'CNY' },
    warrantyMonths: 12,
    ownerDepartment: 'rnd',
  };
}
