import { afterAll, beforeAll, inject } from 'vitest';
import type { Role } from '../../lib/platform/roles';
import { startLocalStack, type LocalStack } from '../../infra/local/stack';

/**
 * The e2e harness: the real local stack (HTTP API, event bus, stream poller) in this test
 * file's process, on the run's shared DynamoDB Local and SES, with this file's own table.
 */
export async function startApi(): Promise<LocalStack> {
  return startLocalStack({
    dynamoEndpoint: inject('dynamoEndpoint'),
    sesEndpoint: inject('sesEndpoint'),
    tableName: process.env.TABLE_NAME,
    corsOrigins: 'https://app.example.com',
    port: 0,
    schedules: false,
    quiet: true,
  });
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- test assertions read arbitrary JSON
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

export function client(stack: LocalStack) {
  const tokens = new Map<string, string>();
  const tokenFor = async (role: Role) => {
    if (!tokens.has(role)) tokens.set(role, await stack.token([role], { email: `${role}@example.com`, userId: `user-${role}` }));
    return tokens.get(role) as string;
  };
  const call = async (method: string, path: string, options: CallOptions = {}): Promise<ApiResponse> => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const response = await fetch(`${stack.apiUrl}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON (e.g. the docs page): keep the text.
    }
    return { status: response.status, headers: response.headers, body: parsed };
  };
  return {
    call,
    tokenFor,
    as: async (role: Role) => {
      const token = await tokenFor(role);
      return (method: string, path: string, options: Omit<CallOptions, 'token'> = {}) => call(method, path, { ...options, token });
    },
  };
}

export type ApiClient = ReturnType<typeof client>;

/**
 * Starts the stack before this file's tests and stops it after them. Read `stack` and `api`
 * inside tests or hooks (they exist once `beforeAll` has run).
 */
export function useApi(): { readonly stack: LocalStack; readonly api: ApiClient } {
  let stack: LocalStack | undefined;
  let api: ApiClient | undefined;
  beforeAll(async () => {
    stack = await startApi();
    api = client(stack);
  });
  afterAll(async () => {
    await stack?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the local stack is not started yet (use it inside a test)');
    return value;
  };
  return {
    get stack() {
      return started(stack);
    },
    get api() {
      return started(api);
    },
  };
}
