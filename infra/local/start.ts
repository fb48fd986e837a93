import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { localLog } from './log';
import { defaultDataDir, isMain } from './paths';
import { startLocalStack, type LocalStack } from './stack';
import { clearState, writeState } from './state-file';

export { startLocalStack, type LocalStack, type LocalStackOptions } from './stack';

/**
 * `npm start`: the whole stack on loopback, on fixed ports unless they are taken (env PORT,
 * DYNAMODB_PORT, SES_PORT, EVENT_BUS_PORT; DATA_DIR for the state directory; DYNAMODB_ENDPOINT
 * for a DynamoDB Local already running, as the bench's bulk loads use). Ctrl-C, SIGTERM or a
 * crash stop everything; java runs under a watchdog, so even SIGKILL leaves nothing behind.
 */
const log = localLog('start');
const HOST = '127.0.0.1';

async function main(): Promise<void> {
  const started = Date.now();
  requireJava17();
  const dataDir = defaultDataDir();
  const [port, dynamoPort, sesPort, eventBusPort] = await Promise.all([
    choosePort('PORT', 3000),
    choosePort('DYNAMODB_PORT', 8000),
    choosePort('SES_PORT', 8005),
    choosePort('EVENT_BUS_PORT', 8006),
  ]);

  // Filled in once the stack is up; the signal handlers below are installed before that.
  const running: { stack?: LocalStack } = {};
  let stopping: Promise<void> | undefined;
  const shutdown = (code: number, reason: string) => {
    if (stopping) {
      log.info(`${reason} again: still stopping…`);
      return;
    }
    log.info(`${reason}: stopping…`);
    stopping = (async () => {
      try {
        await running.stack?.stop();
      } finally {
        clearState(dataDir, process.pid);
        log.info('stopped.');
        process.exit(code);
      }
    })();
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => shutdown(0, signal));
  process.on('uncaughtException', (error) => {
    log.error('uncaught error', error);
    shutdown(1, 'uncaught error');
  });
  process.on('unhandledRejection', (error) => {
    log.error('unhandled rejection', error);
    shutdown(1, 'unhandled rejection');
  });

  log.info(`starting (data in ${dataDir})…`);
  const stack = await startLocalStack({ dataDir, port, dynamoPort, sesPort, eventBusPort, host: HOST, dynamoEndpoint: process.env.DYNAMODB_ENDPOINT || undefined });
  running.stack = stack;
  // A signal that arrived while starting found nothing to stop yet: stop what just started.
  if (stopping) return void (await stack.stop());
  writeState(dataDir, {
    pid: process.pid,
    startedAt: new Date().toISOString(),
    apiUrl: stack.apiUrl,
    docsUrl: stack.docsUrl,
    openapiUrl: `${stack.apiUrl}/openapi.json`,
    mailUrl: stack.sesEndpoint,
    dynamoEndpoint: stack.dynamoEndpoint,
    sesEndpoint: stack.sesEndpoint,
    eventBusEndpoint: stack.eventBusEndpoint,
    tableName: stack.tableName,
    javaPid: stack.dynamo?.javaPid,
    watchdogPid: stack.dynamo?.process.pid,
    env: stack.env,
  });
  const next = (stack.scheduler?.nextRuns() ?? []).map((run) => `    ${run.scheduleName.padEnd(34)} ${run.cron.padEnd(14)} ${run.timeZone}  next ${run.next?.toISOString() ?? '—'}`);
  console.log(`
postlaunch local stack is up (${((Date.now() - started) / 1000).toFixed(1)} s)

  API            ${stack.apiUrl}
  API docs       ${stack.docsUrl}
  OpenAPI        ${stack.apiUrl}/openapi.json
  Sent mail      ${stack.sesEndpoint}
  DynamoDB       ${stack.dynamoEndpoint}   (table ${stack.tableName})
  Event bus      ${stack.eventBusEndpoint}
  State          ${dataDir}

  Token:  TOKEN=$(npm run -s token -- --role sales)
          curl -H "Authorization: Bearer $TOKEN" ${stack.apiUrl}/products
  Job:    npm run job -- <job-name> [--key value]

  Schedules:
${next.join('\n') || '    (none)'}

Ctrl-C stops everything.
`);
}

/** DynamoDB Local needs Java 17+; say how to get it instead of failing obscurely later. */
function requireJava17(): void {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  const text = `${result.stderr ?? ''}${result.stdout ?? ''}`;
  const match = /version "(\d+)(?:\.(\d+))?/.exec(text);
  const major = match ? (match[1] === '1' ? Number(match[2]) : Number(match[1])) : undefined;
  if (result.error || major === undefined || major < 17) {
    const found = result.error ? 'no `java` on the PATH' : `found ${text.split('\n')[0]?.trim() ?? 'an unknown java'}`;
    console.error(`postlaunch needs Java 17 or newer for DynamoDB Local (${found}).
  Debian/Ubuntu:  sudo apt-get install openjdk-17-jre-headless
  macOS:          brew install openjdk@17
  other:          https://adoptium.net/  — then make sure \`java -version\` prints 17 or newer.`);
    process.exit(1);
  }
}

/** An explicit port must be free; a default one falls back to any free port when taken. */
async function choosePort(variable: string, fallback: number): Promise<number> {
  const explicit = process.env[variable];
  const port = explicit === undefined ? fallback : Number(explicit);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${variable}=${explicit} is not a port`);
  if (port === 0 || (await portFree(port))) return port;
  if (explicit !== undefined) throw new Error(`${variable}=${port} is already in use; pick another or stop what holds it`);
  log.warn(`port ${port} is taken; using a free one instead (set ${variable} to choose)`);
  return 0;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, HOST, () => probe.close(() => resolve(true)));
  });
}

if (isMain(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(`postlaunch: could not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
