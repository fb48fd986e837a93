import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import type { EventBridgeEvent } from 'aws-lambda';
import { manifest } from '../manifest';
import type { EventFunctionSpec, EventRuleSpec } from '../manifest/types';
import { invoke, LOCAL_ACCOUNT } from './lambda';
import { localLog } from './log';

/**
 * The local EventBridge bus. It speaks the AWS JSON 1.1 protocol for `AWSEvents.PutEvents`, so
 * `@aws-sdk/client-eventbridge` pointed at EVENTBRIDGE_ENDPOINT works unchanged, and delivers
 * each accepted entry to every manifest rule that matches it — after answering, with retries
 * and a dead-letter list, as the real bus delivers asynchronously to its targets.
 */
export interface EventBusOptions {
  port?: number;
  host?: string;
  /** The bus the rules live on (EVENT_BUS_NAME). */
  busName: string;
  region: string;
  /** Appends each dead letter here as one JSON line (e.g. `.data/event-dlq.jsonl`). */
  deadLetterFile?: string;
  /** Delivery attempts per target before dead-lettering. */
  attempts?: number;
  /** First retry delay; doubles each attempt. */
  retryDelayMs?: number;
  /** How a target is run; defaults to invoking the function in-process. Tests may record instead. */
  invoker?: (spec: EventFunctionSpec, event: EventBridgeEvent<string, unknown>) => Promise<unknown>;
}

export interface DeadLetter {
  rule: string;
  functionName: string;
  event: EventBridgeEvent<string, unknown>;
  error: string;
  failedAt: string;
}

export interface EventBus {
  endpoint: string;
  stop(): Promise<void>;
  /** Resolves when no delivery is in flight (including retries). */
  idle(): Promise<void>;
  deadLetters: DeadLetter[];
}

interface PutEventsEntry {
  Source?: string;
  DetailType?: string;
  Detail?: string;
  EventBusName?: string;
  Resources?: string[];
  /** The SDK sends epoch seconds. */
  Time?: number | string;
}

type EntryResult = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

const MAX_ENTRIES = 10;
const MAX_BODY_BYTES = 256 * 1024;
const log = localLog('bus');

export async function startEventBus(options: EventBusOptions): Promise<EventBus> {
  const targets = manifest
    .filter((spec): spec is EventFunctionSpec => spec.kind === 'event')
    .flatMap((spec) => spec.rules.map((rule) => ({ spec, rule })));
  const attempts = options.attempts ?? 3;
  const retryDelayMs = options.retryDelayMs ?? 200;
  const run = options.invoker ?? ((spec: EventFunctionSpec, event: EventBridgeEvent<string, unknown>) => invoke(spec, event, options.region));
  const deadLetters: DeadLetter[] = [];
  const inFlight = new Set<Promise<void>>();
  let idleWaiters: (() => void)[] = [];

  const settle = () => {
    if (inFlight.size > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    waiters.forEach((resolve) => resolve());
  };

  const deliver = async (spec: EventFunctionSpec, rule: EventRuleSpec, event: EventBridgeEvent<string, unknown>) => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await run(spec, event);
        return;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (attempt < attempts) {
          log.warn(`${spec.name} failed on ${event['detail-type']} ${event.id} (attempt ${attempt}/${attempts}); retrying`, error);
          await sleep(retryDelayMs * 2 ** (attempt - 1));
          continue;
        }
        const letter: DeadLetter = { rule: rule.name, functionName: spec.name, event, error: message, failedAt: new Date().toISOString() };
        deadLetters.push(letter);
        if (options.deadLetterFile) {
          mkdirSync(dirname(options.deadLetterFile), { recursive: true });
          appendFileSync(options.deadLetterFile, `${JSON.stringify(letter)}\n`);
        }
        log.error(`${spec.name} gave up on ${event['detail-type']} ${event.id} after ${attempts} attempts; dead-lettered${options.deadLetterFile ? ` to ${options.deadLetterFile}` : ''}`, error);
        return;
      }
    }
  };

  const schedule = (entry: PutEventsEntry, eventId: string) => {
    const busName = busNameOf(entry.EventBusName);
    const event: EventBridgeEvent<string, unknown> = {
      version: '0',
      id: eventId,
      'detail-type': entry.DetailType ?? '',
      source: entry.Source ?? '',
      account: LOCAL_ACCOUNT,
      time: eventTime(entry.Time),
      region: options.region,
      resources: entry.Resources ?? [],
      detail: JSON.parse(entry.Detail ?? '{}') as unknown,
    };
    for (const { spec, rule } of targets) {
      if (busName !== options.busName || !rule.source.includes(event.source) || !rule.detailType.includes(event['detail-type'])) continue;
      // Each matching rule is its own delivery, as with EventBridge targets.
      const delivery = deliver(spec, rule, event).finally(() => {
        inFlight.delete(delivery);
        settle();
      });
      inFlight.add(delivery);
    }
  };

  const server = createServer((req, res) => {
    handle(req, res, schedule).catch((error: unknown) => {
      log.error('PutEvents failed', error);
      if (!res.headersSent) reply(res, 500, { __type: 'InternalException', message: 'local bus failure' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;

  const idle = () => (inFlight.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve)));
  return {
    endpoint: `http://${address.address}:${address.port}`,
    deadLetters,
    idle,
    stop: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      // Let deliveries already accepted finish, like a bus that does not lose acknowledged events.
      await idle();
    },
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, schedule: (entry: PutEventsEntry, id: string) => void): Promise<void> {
  const target = req.headers['x-amz-target'];
  const raw = await readBody(req);
  if (target !== 'AWSEvents.PutEvents') {
    return reply(res, 400, { __type: 'UnknownOperationException', message: `The local bus supports only PutEvents, not ${String(target)}` });
  }
  if (raw.byteLength > MAX_BODY_BYTES) return reply(res, 400, { __type: 'ValidationException', message: 'Total size of the entries in the request is over the limit.' });
  let request: { Entries?: PutEventsEntry[] };
  try {
    request = JSON.parse(raw.toString('utf8')) as { Entries?: PutEventsEntry[] };
  } catch {
    return reply(res, 400, { __type: 'SerializationException', message: 'The request body is not JSON.' });
  }
  const entries = request.Entries ?? [];
  if (entries.length < 1 || entries.length > MAX_ENTRIES) {
    return reply(res, 400, { __type: 'ValidationException', message: `Entries must hold 1 to ${MAX_ENTRIES} events, not ${entries.length}.` });
  }
  const accepted: [PutEventsEntry, string][] = [];
  const results: EntryResult[] = entries.map((entry) => {
    const problem = validateEntry(entry);
    if (problem) return { ErrorCode: 'InvalidArgument', ErrorMessage: problem };
    const id = randomUUID();
    accepted.push([entry, id]);
    return { EventId: id };
  });
  reply(res, 200, { FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length, Entries: results });
  // Delivery starts only after the caller has its answer, as with the real bus.
  for (const [entry, id] of accepted) schedule(entry, id);
}

function validateEntry(entry: PutEventsEntry): string | undefined {
  if (!entry.Source) return 'Parameter Source is not valid. Reason: Source is a required argument.';
  if (!entry.DetailType) return 'Parameter DetailType is not valid. Reason: DetailType is a required argument.';
  if (!entry.Detail) return 'Parameter Detail is not valid. Reason: Detail is a required argument.';
  try {
    const detail = JSON.parse(entry.Detail) as unknown;
    if (!detail || typeof detail !== 'object' || Array.isArray(detail)) return 'Detail is malformed: it must be a JSON object.';
  } catch {
    return 'Detail is malformed.';
  }
  return undefined;
}

/** Entries may name the bus by name or ARN; no name means the default bus. */
function busNameOf(value: string | undefined): string {
  if (!value) return 'default';
  return value.startsWith('arn:') ? (value.split('/').pop() ?? value) : value;
}

/** EventBridge times are whole seconds, `2026-01-31T08:00:00Z`. */
function eventTime(time: number | string | undefined): string {
  const date = time === undefined ? new Date() : typeof time === 'number' ? new Date(time * 1000) : new Date(time);
  return `${(Number.isNaN(date.getTime()) ? new Date() : date).toISOString().slice(0, 19)}Z`;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'content-length': Buffer.byteLength(text), 'x-amzn-requestid': randomUUID() });
  res.end(text);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
