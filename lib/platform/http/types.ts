import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { z, ZodType } from 'zod';
import type { HttpFunctionSpec, RouteSpec } from '../../../infra/manifest/types';
import type { Actor } from '../auth';

export type HttpEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type HttpResult = APIGatewayProxyStructuredResultV2;

type Input<T> = T extends ZodType ? z.output<T> : undefined;

/** What a route handler receives: validated input and the caller. */
export interface RouteRequest<R extends RouteSpec = RouteSpec> {
  params: Input<R['params']>;
  query: Input<R['query']>;
  body: Input<R['body']>;
  actor: Actor;
  /** Version from `If-Match`, when the client sent one. */
  ifMatch: number | undefined;
  requestId: string;
}

/** What a route handler returns; the chain turns it into the HTTP response. */
export interface Reply {
  body?: unknown;
  /** The item's version, sent back as the ETag. */
  version?: number;
  headers?: Record<string, string>;
  /** Sends `body` (a string) as is with this content type, instead of the route's JSON (e.g. a CSV download). */
  contentType?: string;
  /** Overrides the route's declared status (rare: e.g. 200 on an upsert that updated). */
  status?: number;
}

export type RouteHandler<R extends RouteSpec> = (request: RouteRequest<R>) => Promise<Reply>;

export type RouteHandlers<S extends HttpFunctionSpec> = { [K in keyof S['routes']]: RouteHandler<S['routes'][K]> };

/** Per-invocation state the middlewares hand to each other. */
export interface RouteState {
  key: string;
  route: RouteSpec;
  handler: RouteHandler<RouteSpec>;
  actor?: Actor;
  body?: unknown;
  input?: RouteRequest;
  /** Set when an idempotent replay answers instead of the handler. */
  replay?: HttpResult;
  idempotencyRecord?: string;
}

export type HttpContext = Context & { route?: RouteState };
