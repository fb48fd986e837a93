import { randomBytes, randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { manifest } from '../manifest';
import type { FunctionSpec } from '../manifest/types';
import { invoke, LOCAL_ACCOUNT } from './lambda';
import { localLog } from './log';

/**
 * The local EventBridge Scheduler API, for the schedules functions create at run time (the SLA
 * checkpoints). It speaks the REST-JSON operations `@aws-sdk/client-scheduler` sends —
 * `CreateSchedule` (POST /schedules/{Name}), `GetSchedule` (GET) and `DeleteSchedule` (DELETE) —
 * so the real client pointed at SCHEDULER_ENDPOINT works unchanged. One-time schedules
 * (`at(…)`) fire on the local clock by invoking their target function in-process, with
 * Scheduler's context keywords filled in, retried, then dead-lettered; `ActionAfterCompletion:
 * DELETE` removes them after. `runDue(now)` fires what is due at a test's clock. Loopback only.
 * (The manifest's cron schedules are `scheduler.ts`'s.)
 */
export interface SchedulerApiOptions {
  port?: number;
  host?: string;
  region: string;
  /** Keeps the schedules across restarts (e.g. `.data/schedules.json`). */
  stateFile?: string;
  /** Appends each dead letter as one JSON line (e.g. `.data/scheduler-dlq.jsonl`). */
  deadLetterFile?: string;
  /** Delivery attempts when the schedule's retry policy allows more; default 3. */
  attempts?: number;
  retryDelayMs?: number;
  /** How often the real clock is checked for due schedules (ms); 0 disables (tests drive `runDue`). */
  tickMs?: number;
  /** How a target is run; defaults to invoking the function in-process. */
  invoker?: (spec: FunctionSpec, event: unknown) => Promise<unknown>;
}

export interface LocalSchedule {
  name: string;
  groupName: string;
  arn: string;
  scheduleExpression: string;
  scheduleExpressionTimezone: string;
  /** When a one-time schedule fires (UTC ISO). */
  at: string;
  state: 'ENABLED' | 'DISABLED';
  actionAfterCompletion: 'NONE' | 'DELETE';
  target: { Arn: string; RoleArn: string; Input?: string; RetryPolicy?: { MaximumRetryAttempts?: number }; DeadLetterConfig?: { Arn?: string } };
  flexibleTimeWindow: unknown;
  description?: string;
  createdAt: string;
  /** Set once it has run (kept only when ActionAfterCompletion is NONE). */
  completedAt?: string;
}

export interface SchedulerDeadLetter {
  schedule: string;
  functionName: string;
  input: unknown;
  error: string;
  failedAt: string;
}

export interface SchedulerApi {
  endpoint: string;
  /** Fires every enabled schedule due at `now`; resolves when they have run. Returns how many fired. */
  runDue(now: Date): Promise<number>;
  schedules(): LocalSchedule[];
  deadLetters: SchedulerDeadLetter[];
  idle(): Promise<void>;
  stop(): Promise<void>;
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const NAME = /^[0-9a-zA-Z\-_.]{1,64}$/;
const AT = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/;
const log = localLog('scheduler-api');

export async function startSchedulerApi(options: SchedulerApiOptions): Promise<SchedulerApi> {
  const schedules = new Map<string, LocalSchedule>(loadState(options.stateFile).map((schedule) => [keyOf(schedule.groupName, schedule.name), schedule]));
  const firing = new Set<string>();
  const inFlight = new Set<Promise<void>>();
  const deadLetters: SchedulerDeadLetter[] = [];
  const attempts = options.attempts ?? 3;
  const retryDelayMs = options.retryDelayMs ?? 200;
  const run = options.invoker ?? ((spec: FunctionSpec, event: unknown) => invoke(spec, event, options.region));
  const save = () => {
    if (!options.stateFile) return;
    mkdirSync(dirname(options.stateFile), { recursive: true });
    writeFileSync(options.stateFile, `${JSON.stringify([...schedules.values()], null, 2)}\n`);
  };

  const fire = async (key: string, schedule: LocalSchedule) => {
    const spec = functionOf(schedule.target.Arn);
    const allowed = Math.min(attempts, (schedule.target.RetryPolicy?.MaximumRetryAttempts ?? 185) + 1);
    let lastError = 'no target';
    for (let attempt = 1; spec && attempt <= allowed; attempt += 1) {
      const input = withContext(schedule, attempt);
      try {
        await run(spec, input);
        lastError = '';
        break;
      } catch (error) {
        lastError = error instanceof Error ? error.message : String(error);
        if (attempt < allowed) {
          log.warn(`${schedule.name} → ${spec.name} failed (attempt ${attempt}/${allowed}); retrying`, error);
          await sleep(retryDelayMs * 2 ** (attempt - 1));
        }
      }
    }
    if (lastError) {
      const letter: SchedulerDeadLetter = { schedule: schedule.name, functionName: spec?.name ?? schedule.target.Arn, input: withContext(schedule, allowed), error: lastError, failedAt: new Date().toISOString() };
      deadLetters.push(letter);
      if (options.deadLetterFile) {
        mkdirSync(dirname(options.deadLetterFile), { recursive: true });
        appendFileSync(options.deadLetterFile, `${JSON.stringify(letter)}\n`);
      }
      log.error(`${schedule.name} gave up after ${allowed} attempts; dead-lettered: ${lastError}`);
    }
    if (schedule.actionAfterCompletion === 'DELETE') schedules.delete(key);
    else schedule.completedAt = new Date().toISOString();
    save();
  };

  const runDue = async (now: Date): Promise<number> => {
    const due = [...schedules.entries()].filter(
      ([key, schedule]) => schedule.state === 'ENABLED' && !schedule.completedAt && !firing.has(key) && Date.parse(schedule.at) <= now.getTime(),
    );
    const runs = due.map(([key, schedule]) => {
      firing.add(key);
      log.info(`${schedule.name} → ${schedule.target.Arn}`);
      const done = fire(key, schedule).finally(() => {
        firing.delete(key);
        inFlight.delete(done);
      });
      inFlight.add(done);
      return done;
    });
    await Promise.all(runs);
    return runs.length;
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const known = error instanceof ApiError ? error : new ApiError(500, 'InternalServerException', 'local scheduler failure');
      if (!(error instanceof ApiError)) log.error('request failed', error);
      if (!res.headersSent) reply(res, known.status, { Message: known.message }, known.type);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://local');
    const match = /^\/schedules\/([^/]+)$/.exec(url.pathname);
    const raw = (await readBody(req)).toString('utf8');
    if (!match) throw new ApiError(404, 'ResourceNotFoundException', `The local scheduler supports CreateSchedule, GetSchedule and DeleteSchedule only, not ${req.method} ${url.pathname}`);
    const name = decodeURIComponent(match[1] ?? '');
    if (!NAME.test(name)) throw new ApiError(400, 'ValidationException', `Schedule name "${name}" must be 1-64 characters of [0-9a-zA-Z-_.]`);
    if (req.method === 'POST') {
      const body = parseBody(raw);
      const groupName = typeof body.GroupName === 'string' && body.GroupName ? body.GroupName : 'default';
      const key = keyOf(groupName, name);
      const schedule = toSchedule(name, groupName, body, options.region);
      if (schedules.has(key)) throw new ApiError(409, 'ConflictException', `Schedule ${name} already exists.`);
      schedules.set(key, schedule);
      save();
      return reply(res, 200, { ScheduleArn: schedule.arn });
    }
    const groupName = url.searchParams.get('groupName') || 'default';
    const key = keyOf(groupName, name);
    const schedule = schedules.get(key);
    if (!schedule) throw new ApiError(404, 'ResourceNotFoundException', `Schedule ${name} does not exist.`);
    if (req.method === 'GET') {
      return reply(res, 200, {
        Arn: schedule.arn,
        GroupName: schedule.groupName,
        Name: schedule.name,
        ScheduleExpression: schedule.scheduleExpression,
        ScheduleExpressionTimezone: schedule.scheduleExpressionTimezone,
        State: schedule.state,
        ActionAfterCompletion: schedule.actionAfterCompletion,
        Target: schedule.target,
        FlexibleTimeWindow: schedule.flexibleTimeWindow,
        Description: schedule.description,
        CreationDate: Date.parse(schedule.createdAt) / 1000,
        LastModificationDate: Date.parse(schedule.createdAt) / 1000,
      });
    }
    if (req.method === 'DELETE') {
      schedules.delete(key);
      save();
      return reply(res, 200, {});
    }
    throw new ApiError(405, 'ValidationException', `${req.method} is not supported`);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const tickMs = options.tickMs ?? 1000;
  const timer = tickMs > 0 ? setInterval(() => void runDue(new Date()), tickMs) : undefined;
  timer?.unref();
  const idle = async () => {
    while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
  };

  return {
    endpoint: `http://${address.address}:${address.port}`,
    runDue,
    schedules: () => [...schedules.values()],
    deadLetters,
    idle,
    stop: async () => {
      if (timer) clearInterval(timer);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await idle();
    },
  };
}

function keyOf(groupName: string, name: string): string {
  return `${groupName}/${name}`;
}

function parseBody(raw: string): Record<string, unknown> {
  try {
    const body = JSON.parse(raw || '{}') as unknown;
    if (body && typeof body === 'object' && !Array.isArray(body)) return body as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new ApiError(400, 'ValidationException', 'The request body is not a JSON object.');
}

function toSchedule(name: string, groupName: string, body: Record<string, unknown>, region: string): LocalSchedule {
  const expression = String(body.ScheduleExpression ?? '');
  const timeZone = typeof body.ScheduleExpressionTimezone === 'string' && body.ScheduleExpressionTimezone ? body.ScheduleExpressionTimezone : 'UTC';
  const at = atInstant(expression, timeZone);
  const target = body.Target as LocalSchedule['target'] | undefined;
  if (!target || typeof target.Arn !== 'string' || typeof target.RoleArn !== 'string') throw new ApiError(400, 'ValidationException', 'Target.Arn and Target.RoleArn are required.');
  if (!functionOf(target.Arn)) throw new ApiError(400, 'ValidationException', `Target ${target.Arn} is not a function of this stack.`);
  if (!body.FlexibleTimeWindow) throw new ApiError(400, 'ValidationException', 'FlexibleTimeWindow is required.');
  return {
    name,
    groupName,
    arn: `arn:aws:scheduler:${region}:${LOCAL_ACCOUNT}:schedule/${groupName}/${name}`,
    scheduleExpression: expression,
    scheduleExpressionTimezone: timeZone,
    at: at.toISOString(),
    state: body.State === 'DISABLED' ? 'DISABLED' : 'ENABLED',
    actionAfterCompletion: body.ActionAfterCompletion === 'DELETE' ? 'DELETE' : 'NONE',
    target,
    flexibleTimeWindow: body.FlexibleTimeWindow,
    description: typeof body.Description === 'string' ? body.Description : undefined,
    createdAt: new Date().toISOString(),
  };
}

/** `at(yyyy-mm-ddThh:mm:ss)` read as wall time in `timeZone`. Cron and rate belong to the manifest, not here. */
function atInstant(expression: string, timeZone: string): Date {
  const match = AT.exec(expression);
  if (!match) throw new ApiError(400, 'ValidationException', `The local scheduler runs one-time schedules only: at(yyyy-mm-ddThh:mm:ss), not "${expression}".`);
  const [, y, mo, d, h, mi, s] = match.map(Number) as [number, number, number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  if (timeZone === 'UTC') return new Date(wall);
  try {
    // The zone's offset at that wall time (checked twice, for the instant near a DST change).
    const first = wall - offsetMs(new Date(wall), timeZone);
    return new Date(wall - offsetMs(new Date(first), timeZone));
  } catch {
    throw new ApiError(400, 'ValidationException', `Unknown time zone "${timeZone}".`);
  }
}

function offsetMs(instant: Date, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(instant)
      .map((part) => [part.type, part.value]),
  );
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

function functionOf(arn: string): FunctionSpec | undefined {
  const name = /^arn:aws:lambda:[^:]*:[^:]*:function:([^:]+)(?::.*)?$/.exec(arn)?.[1];
  return name ? manifest.find((spec) => spec.name === name) : undefined;
}

/** Scheduler's context keywords, replaced in the input as AWS does at each attempt. */
function withContext(schedule: LocalSchedule, attempt: number): unknown {
  const input = (schedule.target.Input ?? '{}')
    .replaceAll('<aws.scheduler.scheduled-time>', `${schedule.at.slice(0, 19)}Z`)
    .replaceAll('<aws.scheduler.schedule-arn>', schedule.arn)
    .replaceAll('<aws.scheduler.execution-id>', randomBytes(8).toString('hex'))
    .replaceAll('<aws.scheduler.attempt-number>', String(attempt));
  try {
    return JSON.parse(input) as unknown;
  } catch {
    return input;
  }
}

function loadState(file: string | undefined): LocalSchedule[] {
  if (!file) return [];
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LocalSchedule[];
  } catch {
    return [];
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function reply(res: ServerResponse, status: number, body: unknown, errorType?: string): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  res.end(text);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
