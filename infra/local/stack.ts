import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getConfig } from '../../lib/platform/config';
import type { Role } from '../../lib/platform/roles';
import { manifest } from '../manifest';
import { ensureTable, startDynamoDbLocal, type DynamoDbLocal } from './dynamodb';
import { startEventBus, type EventBus } from './event-bus';
import { startHttpServer, type HttpServer } from './http-server';
import { createSigningKey, createTokenVerifier, loadOrCreateSigningKey, mintToken, type SigningKey } from './jwt';
import { LOCAL_ACCOUNT, loadHandler } from './lambda';
import { localLog, setQuiet } from './log';
import { startScheduler, type Scheduler } from './scheduler';
import { startSchedulerApi, type SchedulerApi } from './scheduler-api';
import { SLA_ESCALATION_FUNCTION } from '../manifest/service-sla';
import { startSesLocal, type SesLocal } from './ses';
import { startStreamPoller, type StreamPoller } from './stream-poller';

/**
 * The whole local stack, in this process: DynamoDB Local, SES, the event bus, the stream
 * poller, the schedules and the HTTP API. `npm start` (start.ts) and the e2e tests both use it.
 *
 * Functions read their configuration once, from the environment, at import. So this sets every
 * variable first and imports them after; a test file must therefore not import a module that
 * reads config (lib/platform/db.ts, events.ts, mail.ts, functions/…) before calling it.
 */
export interface LocalStackOptions {
  /**
   * Keeps the signing key, cursor secret, stream checkpoint, dead letters and (unless
   * `dynamoEndpoint` is given) DynamoDB's data here. Without it all of that lives in memory.
   */
  dataDir?: string;
  /** Use this DynamoDB (e.g. the test harness's) instead of starting one. */
  dynamoEndpoint?: string;
  /** Port for the DynamoDB Local we start (0 or absent: any free port). */
  dynamoPort?: number;
  /** Use this SES endpoint instead of starting one. */
  sesEndpoint?: string;
  sesPort?: number;
  eventBusPort?: number;
  /** The local Scheduler API (one-time schedules created at run time); 0 or absent: any free port. */
  schedulerPort?: number;
  /** HTTP API port (0: any free port). */
  port?: number;
  host?: string;
  tableName?: string;
  region?: string;
  /** Defaults: CORS_ORIGINS, COMPANY_TIME_ZONE and MAIL_FROM from the environment, else these. */
  corsOrigins?: string;
  companyTimeZone?: string;
  mailFrom?: string;
  /** Where the stream poller starts in a table that already existed (default LATEST; see start.ts). */
  streamStartPosition?: 'TRIM_HORIZON' | 'LATEST';
  /** Run the manifest's schedules on the local clock (default true). */
  schedules?: boolean;
  /** Silence the stack's own console lines (tests). */
  quiet?: boolean;
}

export interface LocalStack {
  apiUrl: string;
  docsUrl: string;
  dynamoEndpoint: string;
  sesEndpoint: string;
  eventBusEndpoint: string;
  schedulerEndpoint: string;
  tableName: string;
  /** Set when this stack started DynamoDB Local itself. */
  dynamo?: DynamoDbLocal;
  eventBus: EventBus;
  streamPoller: StreamPoller;
  scheduler?: Scheduler;
  /** One-time schedules (SLA checkpoints); `runDue(now)` fires them on a test's clock. */
  schedulerApi: SchedulerApi;
  signingKey: SigningKey;
  /** The environment the functions run with (also what `npm run job` replays). */
  env: Record<string, string>;
  /** A bearer token this stack's API accepts. */
  token(roles: readonly Role[], options?: { userId?: string; email?: string }): Promise<string>;
  /** Resolves once every change written so far has gone stream → bus → targets. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

const log = localLog('stack');

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  if (options.quiet) setQuiet(true);
  const host = options.host ?? '127.0.0.1';
  const tableName = options.tableName ?? 'postlaunch';
  const region = options.region ?? process.env.AWS_REGION ?? 'us-east-1';
  const dataDir = options.dataDir;
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const stoppers: (() => Promise<void> | void)[] = [];
  const stopAll = async () => {
    // Reverse order: the API stops taking requests before what it depends on goes away.
    for (const stop of stoppers.splice(0).reverse()) {
      try {
        await stop();
      } catch (error) {
        log.warn('stopping a component failed', error);
      }
    }
  };

  try {
    const signingKey = dataDir ? await loadOrCreateSigningKey(dataDir) : await createSigningKey();
    const cursorSecret = dataDir ? loadOrCreateSecret(join(dataDir, 'cursor-secret')) : newSecret();

    let dynamo: DynamoDbLocal | undefined;
    let dynamoEndpoint = options.dynamoEndpoint;
    if (!dynamoEndpoint) {
      dynamo = await startDynamoDbLocal({ port: options.dynamoPort || undefined, dataDir: dataDir ? join(dataDir, 'dynamodb') : undefined });
      stoppers.push(dynamo.stop);
      dynamoEndpoint = dynamo.endpoint;
    }
    const created = await ensureTable(dynamoEndpoint, tableName);

    let sesEndpoint = options.sesEndpoint;
    if (!sesEndpoint) {
      const ses: SesLocal = await startSesLocal({ port: options.sesPort ?? 0 });
      stoppers.push(ses.stop);
      sesEndpoint = ses.endpoint;
    }

    const env = {
      TABLE_NAME: tableName,
      EVENT_BUS_NAME: 'postlaunch',
      MAIL_FROM: options.mailFrom ?? process.env.MAIL_FROM ?? 'postlaunch@example.com',
      CORS_ORIGINS: options.corsOrigins ?? process.env.CORS_ORIGINS ?? 'http://localhost:5173,http://127.0.0.1:5173',
      COMPANY_TIME_ZONE: options.companyTimeZone ?? process.env.COMPANY_TIME_ZONE ?? 'Asia/Shanghai',
      CURSOR_SECRET: cursorSecret,
      DYNAMODB_ENDPOINT: dynamoEndpoint,
      SES_ENDPOINT: sesEndpoint,
      AWS_REGION: region,
    };

    const eventBus = await startEventBus({
      port: options.eventBusPort ?? 0,
      host,
      busName: env.EVENT_BUS_NAME,
      region,
      deadLetterFile: dataDir ? join(dataDir, 'event-dlq.jsonl') : undefined,
    });
    stoppers.push(eventBus.stop);

    // Fires on the real clock only when the manifest's schedules do; tests drive `runDue`.
    const schedulerApi = await startSchedulerApi({
      port: options.schedulerPort ?? 0,
      host,
      region,
      tickMs: options.schedules === false ? 0 : 1000,
      stateFile: dataDir ? join(dataDir, 'schedules.json') : undefined,
      deadLetterFile: dataDir ? join(dataDir, 'scheduler-dlq.jsonl') : undefined,
    });
    stoppers.push(schedulerApi.stop);

    let openGate: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => (openGate = resolve));
    const verifyToken = await createTokenVerifier({ publicJwk: signingKey.publicJwk });
    const http: HttpServer = await startHttpServer({
      port: options.port ?? 0,
      host,
      verifyToken,
      corsOrigins: env.CORS_ORIGINS.split(',').map((origin) => origin.trim()).filter(Boolean),
      region,
      ready,
    });
    stoppers.push(() => {
      openGate();
      return http.stop();
    });

    const fullEnv: Record<string, string> = {
      ...env,
      EVENTBRIDGE_ENDPOINT: eventBus.endpoint,
      API_BASE_URL: http.url,
      SCHEDULER_ENDPOINT: schedulerApi.endpoint,
      SCHEDULER_GROUP: 'postlaunch',
      SLA_ESCALATION_FUNCTION_ARN: `arn:aws:lambda:${region}:${LOCAL_ACCOUNT}:function:${SLA_ESCALATION_FUNCTION}`,
      SLA_SCHEDULER_ROLE_ARN: `arn:aws:iam::${LOCAL_ACCOUNT}:role/local-scheduler`,
      SLA_SCHEDULE_DLQ_ARN: `arn:aws:sqs:${region}:${LOCAL_ACCOUNT}:local-scheduler-dlq`,
    };
    applyEnvironment(fullEnv);
    openGate();
    await preloadFunctions();

    const streamPoller = await startStreamPoller({
      endpoint: dynamoEndpoint,
      tableName,
      region,
      // A fresh table: read everything. An existing one without a checkpoint: skip its history
      // rather than re-send old emails; with a checkpoint, resume exactly where we stopped.
      startPosition: created ? 'TRIM_HORIZON' : (options.streamStartPosition ?? 'LATEST'),
      checkpointFile: dataDir ? join(dataDir, `stream-checkpoint-${tableName}.json`) : undefined,
      deadLetterFile: dataDir ? join(dataDir, 'stream-dlq.jsonl') : undefined,
    });
    stoppers.push(streamPoller.stop);

    let scheduler: Scheduler | undefined;
    if (options.schedules !== false) {
      const active = startScheduler({ companyTimeZone: env.COMPANY_TIME_ZONE, region });
      stoppers.push(active.stop);
      scheduler = active;
    }

    return {
      apiUrl: http.url,
      docsUrl: `${http.url}/docs`,
      dynamoEndpoint,
      sesEndpoint,
      eventBusEndpoint: eventBus.endpoint,
      schedulerEndpoint: schedulerApi.endpoint,
      tableName,
      dynamo,
      eventBus,
      streamPoller,
      scheduler,
      schedulerApi,
      signingKey,
      env: fullEnv,
      token: (roles, extra) => mintToken({ key: signingKey, roles, ...extra }),
      idle: async () => {
        // A delivery may write again (e.g. a dedupe record), which comes back on the stream.
        for (let round = 0; round < 3; round += 1) {
          await streamPoller.idle();
          await eventBus.idle();
          await schedulerApi.idle();
        }
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/**
 * Sets the functions' environment, then checks config really reads it: config is parsed once
 * per process, so a module that read it earlier would leave the functions on other endpoints.
 */
function applyEnvironment(env: Record<string, string>): void {
  Object.assign(process.env, env);
  // Locally the cursor key is CURSOR_SECRET; an inherited ARN would send functions to AWS.
  delete process.env.CURSOR_SECRET_ARN;
  const config = getConfig();
  const stale = (['TABLE_NAME', 'DYNAMODB_ENDPOINT', 'EVENTBRIDGE_ENDPOINT', 'SES_ENDPOINT', 'API_BASE_URL'] as const).filter((name) => config[name] !== env[name]);
  if (stale.length) {
    throw new Error(
      `configuration was read before the local stack set it (${stale.join(', ')} differ); start the stack before importing modules that read config`,
    );
  }
}

/** Imports every function now, like a Lambda cold start, so a broken module shows at start-up. */
async function preloadFunctions(): Promise<void> {
  const results = await Promise.allSettled(manifest.map((spec) => loadHandler(spec)));
  results.forEach((result, index) => {
    if (result.status === 'rejected') log.warn(`${manifest[index]?.entry} did not load; its routes and events will fail until it does`, result.reason);
  });
}

function newSecret(): string {
  return randomBytes(48).toString('base64url');
}

function loadOrCreateSecret(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    const secret = newSecret();
    writeFileSync(file, secret, { mode: 0o600 });
    return secret;
  }
}
