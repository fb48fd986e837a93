import { appendFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  TrimmedDataAccessException,
  type _Record,
  type Shard,
  type ShardIteratorType,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { manifest } from '../manifest';
import type { StreamFunctionSpec } from '../manifest/types';
import { invoke } from './lambda';
import { localLog } from './log';
import { toLambdaRecord } from './stream-records';

/**
 * The local event source mapping: reads the table's stream on DynamoDB Local and feeds the
 * manifest's stream function batches of records, in order per shard, retrying a failed batch
 * `maxRetries` times before dead-lettering it and moving on (what Lambda does with an
 * on-failure destination). Position per shard is checkpointed so a restart neither loses nor
 * repeats changes.
 */
export interface StreamPollerOptions {
  endpoint: string;
  tableName: string;
  region?: string;
  pollIntervalMs?: number;
  /**
   * Where to begin in shards that have no checkpoint when the poller starts. TRIM_HORIZON (the
   * default) reads everything still in the stream; LATEST skips what happened before start.
   * Shards that appear later (rollover) are always read from TRIM_HORIZON, so nothing is lost.
   */
  startPosition?: 'TRIM_HORIZON' | 'LATEST';
  /** JSON file holding the last processed sequence number per shard. */
  checkpointFile?: string;
  /** Appends each dead-lettered batch as one JSON line. */
  deadLetterFile?: string;
  retryDelayMs?: number;
  /** How the batch is run; defaults to invoking the stream function in-process. */
  invoker?: (spec: StreamFunctionSpec, event: DynamoDBStreamEvent) => Promise<unknown>;
}

export interface StreamPoller {
  stop(): Promise<void>;
  /** Resolves after a full poll that found nothing new, begun after the call (all earlier writes handled). */
  idle(): Promise<void>;
  deadLetters: DynamoDBStreamEvent[];
}

interface ShardState {
  shard: Shard;
  iterator?: string;
  lastSequence?: string;
  closed: boolean;
  /** Shards present at start follow `startPosition`; later ones start at TRIM_HORIZON. */
  initial: boolean;
}

interface Checkpoint {
  streamArn: string;
  shards: Record<string, string>;
}

const SHARD_REFRESH_EVERY = 10;
const log = localLog('stream');

export async function startStreamPoller(options: StreamPollerOptions): Promise<StreamPoller> {
  const spec = manifest.find((candidate): candidate is StreamFunctionSpec => candidate.kind === 'stream');
  if (!spec) throw new Error('the manifest has no stream function');
  const region = options.region ?? 'us-east-1';
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const tables = new DynamoDBClient({ endpoint: options.endpoint, region, credentials });
  const streams = new DynamoDBStreamsClient({ endpoint: options.endpoint, region, credentials });
  const run = options.invoker ?? ((target: StreamFunctionSpec, event: DynamoDBStreamEvent) => invoke(target, event, region));
  const interval = options.pollIntervalMs ?? 200;
  const retryDelayMs = options.retryDelayMs ?? 200;
  const deadLetters: DynamoDBStreamEvent[] = [];

  const table = await tables.send(new DescribeTableCommand({ TableName: options.tableName }));
  const streamArn = table.Table?.LatestStreamArn;
  if (!streamArn) throw new Error(`table ${options.tableName} has no stream; create it from lib/platform/table-definition.ts`);
  const checkpoint = readCheckpoint(options.checkpointFile, streamArn);
  const shards = new Map<string, ShardState>();
  let firstRefresh = true;
  let shardsChanged = true;
  let stopped = false;
  let cycles = 0;
  let waiters: { after: number; resolve: () => void }[] = [];

  const refreshShards = async () => {
    let exclusiveStart: string | undefined;
    do {
      const page = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: exclusiveStart }));
      for (const shard of page.StreamDescription?.Shards ?? []) {
        if (shard.ShardId && !shards.has(shard.ShardId)) {
          shards.set(shard.ShardId, { shard, closed: false, initial: firstRefresh, lastSequence: checkpoint.shards[shard.ShardId] });
        }
      }
      exclusiveStart = page.StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStart);
    firstRefresh = false;
  };

  const iteratorFor = async (state: ShardState): Promise<string | undefined> => {
    const shardId = state.shard.ShardId as string;
    const type: ShardIteratorType = state.lastSequence ? 'AFTER_SEQUENCE_NUMBER' : state.initial ? (options.startPosition ?? 'TRIM_HORIZON') : 'TRIM_HORIZON';
    try {
      const result = await streams.send(
        new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: type, SequenceNumber: state.lastSequence }),
      );
      return result.ShardIterator;
    } catch (error) {
      // The checkpoint is older than the stream's retention: read what is left.
      if (error instanceof TrimmedDataAccessException && state.lastSequence) {
        log.warn(`shard ${shardId}: records after the checkpoint were trimmed; reading from TRIM_HORIZON`);
        state.lastSequence = undefined;
        state.initial = false;
        return iteratorFor(state);
      }
      throw error;
    }
  };

  const processBatch = async (records: _Record[]) => {
    const event: DynamoDBStreamEvent = { Records: records.map((record) => toLambdaRecord(record, streamArn, region)) };
    for (let attempt = 0; ; attempt += 1) {
      try {
        await run(spec, event);
        return;
      } catch (error) {
        if (attempt < spec.maxRetries) {
          log.warn(`${spec.name} failed on ${records.length} record(s) (retry ${attempt + 1}/${spec.maxRetries})`, error);
          await sleep(Math.min(retryDelayMs * 2 ** attempt, 5_000));
          continue;
        }
        deadLetters.push(event);
        if (options.deadLetterFile) {
          mkdirSync(dirname(options.deadLetterFile), { recursive: true });
          appendFileSync(options.deadLetterFile, `${JSON.stringify({ failedAt: new Date().toISOString(), error: String(error), event })}\n`);
        }
        log.error(`${spec.name} gave up on ${records.length} record(s) after ${spec.maxRetries} retries; dead-lettered`, error);
        return;
      }
    }
  };

  /** Reads one page of one shard; returns how many records it handled. */
  const pollShard = async (state: ShardState): Promise<number> => {
    state.iterator ??= await iteratorFor(state);
    if (!state.iterator) {
      state.closed = true;
      return 0;
    }
    let page;
    try {
      page = await streams.send(new GetRecordsCommand({ ShardIterator: state.iterator, Limit: spec.batchSize }));
    } catch (error) {
      if (error instanceof ExpiredIteratorException) {
        state.iterator = undefined;
        return 0;
      }
      throw error;
    }
    const records = page.Records ?? [];
    if (records.length) {
      await processBatch(records);
      state.lastSequence = records.at(-1)?.dynamodb?.SequenceNumber ?? state.lastSequence;
      saveCheckpoint(options.checkpointFile, streamArn, shards);
    }
    state.iterator = page.NextShardIterator;
    // No next iterator: the shard is closed (rollover); its children are picked up on refresh.
    if (!state.iterator) {
      state.closed = true;
      shardsChanged = true;
    }
    return records.length;
  };

  /** A child shard waits until its parent is drained, to keep per-item order. */
  const ready = (state: ShardState) => {
    if (state.closed) return false;
    const parent = state.shard.ParentShardId ? shards.get(state.shard.ParentShardId) : undefined;
    return !parent || parent.closed;
  };

  const cycle = async (): Promise<number> => {
    if (shardsChanged || cycles % SHARD_REFRESH_EVERY === 0) {
      await refreshShards();
      shardsChanged = false;
    }
    let handled = 0;
    for (const state of shards.values()) {
      if (stopped) break;
      if (ready(state)) handled += await pollShard(state);
    }
    return handled;
  };

  const loop = (async () => {
    while (!stopped) {
      const started = cycles;
      let handled = 0;
      try {
        handled = await cycle();
      } catch (error) {
        log.error('polling the stream failed; retrying', error);
        handled = -1;
      }
      cycles += 1;
      if (handled === 0) {
        const due = waiters.filter((waiter) => waiter.after <= started);
        waiters = waiters.filter((waiter) => waiter.after > started);
        due.forEach((waiter) => waiter.resolve());
      }
      // Drain a backlog without pausing; otherwise wait a beat (an email within seconds).
      if (handled <= 0 && !stopped) await sleep(interval);
    }
  })();

  return {
    deadLetters,
    idle: () => new Promise<void>((resolve) => waiters.push({ after: cycles, resolve })),
    stop: async () => {
      stopped = true;
      await loop;
      waiters.forEach((waiter) => waiter.resolve());
      tables.destroy();
      streams.destroy();
    },
  };
}

function readCheckpoint(file: string | undefined, streamArn: string): Checkpoint {
  if (!file) return { streamArn, shards: {} };
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as Checkpoint;
    // A recreated table has a new stream: old positions mean nothing there.
    return saved.streamArn === streamArn ? saved : { streamArn, shards: {} };
  } catch {
    return { streamArn, shards: {} };
  }
}

function saveCheckpoint(file: string | undefined, streamArn: string, shards: Map<string, ShardState>): void {
  if (!file) return;
  const checkpoint: Checkpoint = { streamArn, shards: {} };
  for (const [id, state] of shards) if (state.lastSequence) checkpoint.shards[id] = state.lastSequence;
  mkdirSync(dirname(file), { recursive: true });
  // Write-then-rename so a crash never leaves half a checkpoint behind.
  writeFileSync(`${file}.tmp`, JSON.stringify(checkpoint));
  renameSync(`${file}.tmp`, file);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
