import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import type { FunctionSpec } from '../manifest/types';
import { entryUrl } from './paths';

/**
 * Runs a manifest function in this process the way Lambda would: the module is imported once
 * (its "cold start", after the stack has set the environment config reads), then every
 * invocation gets a fresh Context and the function's own timeout.
 */
export type LambdaHandler<E, R> = (event: E, context: Context) => Promise<R>;

const ACCOUNT = '000000000000';
const loaded = new Map<string, Promise<LambdaHandler<unknown, unknown>>>();

export function loadHandler<E, R>(spec: FunctionSpec): Promise<LambdaHandler<E, R>> {
  let pending = loaded.get(spec.entry);
  if (!pending) {
    pending = importHandler(spec);
    // A failed import (e.g. the entry does not exist yet) is retried on the next invocation.
    pending.catch(() => loaded.delete(spec.entry));
    loaded.set(spec.entry, pending);
  }
  return pending as Promise<LambdaHandler<E, R>>;
}

async function importHandler(spec: FunctionSpec): Promise<LambdaHandler<unknown, unknown>> {
  const module = (await import(entryUrl(spec.entry))) as { handler?: unknown };
  if (typeof module.handler !== 'function') throw new Error(`${spec.entry} has no exported handler function`);
  return module.handler as LambdaHandler<unknown, unknown>;
}

export function defaultTimeoutSeconds(spec: FunctionSpec): number {
  return spec.timeoutSeconds ?? (spec.kind === 'http' ? 10 : 60);
}

export function lambdaContext(spec: FunctionSpec, region: string, deadline: number): Context {
  const unsupported = () => {
    throw new Error('callback-style completion is not supported; return a promise');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: spec.name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:${ACCOUNT}:function:${spec.name}`,
    memoryLimitInMB: String(spec.memoryMb ?? 512),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${spec.name}`,
    logStreamName: `local/${new Date().toISOString().slice(0, 10)}/[$LATEST]${randomUUID().replaceAll('-', '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}

export class LambdaTimeoutError extends Error {
  constructor(name: string, seconds: number) {
    super(`${name} timed out after ${seconds} s`);
    this.name = 'LambdaTimeoutError';
  }
}

/** Invokes the function, failing like Lambda when it runs past its timeout. */
export async function invoke<E, R>(spec: FunctionSpec, event: E, region: string): Promise<R> {
  const handler = await loadHandler<E, R>(spec);
  const seconds = defaultTimeoutSeconds(spec);
  const deadline = Date.now() + seconds * 1000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new LambdaTimeoutError(spec.name, seconds)), seconds * 1000);
  });
  try {
    // Lambda hands over and returns JSON: round-trip both so a handler can neither share objects
    // with its caller nor return something (an `undefined` header, a Date) AWS would not carry.
    const result = await Promise.race([handler(wire(event), lambdaContext(spec, region, deadline)), timeout]);
    return (result === undefined ? undefined : wire(result)) as R;
  } finally {
    clearTimeout(timer);
  }
}

function wire<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export { ACCOUNT as LOCAL_ACCOUNT };
