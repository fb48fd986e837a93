import type { ZodType } from 'zod';
import type { Role } from '../../lib/platform/roles';

/**
 * The shape of the manifest: pure data describing every function and what triggers it.
 * No CDK import here — the stacks, the local stack and the OpenAPI generator all read it.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteSpec {
  method: HttpMethod;
  /** API Gateway path template, e.g. `/products/{id}`. */
  path: string;
  summary: string;
  /** Roles allowed to call the route, or `public` for the two unauthenticated routes. */
  roles: readonly Role[] | 'public';
  params?: ZodType;
  query?: ZodType;
  body?: ZodType;
  response?: ZodType;
  /** Success status. */
  status: 200 | 201 | 202 | 204;
  /** The route accepts an `Idempotency-Key` header (creates). */
  idempotent?: boolean;
  /** The route honours `If-Match` (writes to a versioned item). */
  ifMatch?: boolean;
  /** Response content type when it is not JSON (e.g. the docs page). */
  contentType?: string;
}

interface FunctionBase {
  /** Logical name: also the local stack's key and the CDK construct id. */
  name: string;
  description: string;
  /** Entry file, relative to the repository root. */
  entry: string;
  memoryMb?: number;
  timeoutSeconds?: number;
}

export interface HttpFunctionSpec extends FunctionBase {
  kind: 'http';
  routes: Record<string, RouteSpec>;
}

export interface StreamFunctionSpec extends FunctionBase {
  kind: 'stream';
  batchSize: number;
  maxRetries: number;
}

export interface EventRuleSpec {
  name: string;
  source: readonly string[];
  detailType: readonly string[];
}

export interface EventFunctionSpec extends FunctionBase {
  kind: 'event';
  rules: readonly EventRuleSpec[];
}

export interface ScheduleSpec {
  name: string;
  description: string;
  /** Five-field cron (minute hour day-of-month month day-of-week), evaluated in `timeZone`. */
  cron: string;
  /** `company` means the company time zone from deploy context / local config. */
  timeZone: 'company' | string;
}

export interface ScheduleFunctionSpec extends FunctionBase {
  kind: 'schedule';
  schedules: readonly ScheduleSpec[];
}

export type FunctionSpec = HttpFunctionSpec | StreamFunctionSpec | EventFunctionSpec | ScheduleFunctionSpec;

export function defineHttpFunction<const S extends HttpFunctionSpec>(spec: S): S {
  return spec;
}
