import type { MiddlewareObj } from '@middy/core';
import type { HttpFunctionSpec, RouteSpec } from '../../../infra/manifest/types';
import { actorFromClaims, authorize } from '../auth';
import { systemClock } from '../clock';
import { NotFoundError } from '../errors';
import { logger } from '../logger';
import { readJsonBody } from './body';
import { parseIfMatch } from './etag';
import { claimIdempotencyKey, completeIdempotencyKey, releaseIdempotencyKey } from './idempotency';
import { toProblemResponse } from './problem';
import type { HttpContext, HttpEvent, HttpResult, RouteHandler, RouteState } from './types';
import { parseInput } from './validation';

type Middleware = MiddlewareObj<HttpEvent, HttpResult, Error, HttpContext>;

function state(context: HttpContext): RouteState {
  if (!context.route) throw new Error('route not resolved');
  return context.route;
}

/** Tags every log line and every response with the request id. */
export function requestId(): Middleware {
  const tag = (request: { event: HttpEvent; response: HttpResult | null }) => {
    if (request.response) request.response.headers = { ...request.response.headers, 'x-request-id': request.event.requestContext.requestId };
  };
  return {
    before: (request) => {
      // One process serves many invocations (and, locally, many functions): start clean.
      logger.resetKeys();
      logger.appendKeys({ requestId: request.event.requestContext.requestId, routeKey: request.event.routeKey });
    },
    after: tag,
    onError: tag,
  };
}

/** Finds the manifest route for the event; a route not in the manifest does not exist. */
export function resolveRoute(spec: HttpFunctionSpec, handlers: Record<string, RouteHandler<RouteSpec>>): Middleware {
  const table = new Map<string, RouteState>();
  for (const [key, route] of Object.entries(spec.routes)) {
    const handler = handlers[key];
    if (!handler) throw new Error(`${spec.name}: no handler for manifest route ${key}`);
    table.set(`${route.method} ${route.path}`, { key, route, handler });
  }
  const extra = Object.keys(handlers).filter((key) => !(key in spec.routes));
  if (extra.length) throw new Error(`${spec.name}: handlers for routes missing from the manifest: ${extra.join(', ')}`);

  return {
    before: (request) => {
      const found = table.get(request.event.routeKey);
      if (!found) throw new NotFoundError(`No route ${request.event.routeKey}.`);
      request.context.route = { ...found };
    },
  };
}

/** Role check against the manifest, from the claims API Gateway's JWT authorizer verified. */
export function authorizeRoute(): Middleware {
  return {
    before: (request) => {
      const current = state(request.context);
      if (current.route.roles === 'public') return;
      const actor = actorFromClaims(request.event.requestContext.authorizer?.jwt?.claims);
      authorize(actor, current.route.roles);
      current.actor = actor;
    },
  };
}

/** JSON body (256 KiB limit) and zod validation of params, query and body. */
export function validateInput(): Middleware {
  return {
    before: (request) => {
      const current = state(request.context);
      const { route } = current;
      const { event } = request;
      const body = route.body ? readJsonBody(event) : undefined;
      current.input = {
        params: route.params ? parseInput(route.params, 'params', event.pathParameters ?? {}) : undefined,
        query: route.query ? parseInput(route.query, 'query', event.queryStringParameters ?? {}) : undefined,
        body: route.body ? parseInput(route.body, 'body', body) : undefined,
        actor: current.actor ?? { userId: 'anonymous', email: undefined, roles: [] },
        ifMatch: route.ifMatch ? parseIfMatch(event.headers['if-match']) : undefined,
        requestId: event.requestContext.requestId,
      };
    },
  };
}

/** Idempotency-Key on the routes the manifest marks idempotent. */
export function idempotency(): Middleware {
  return {
    before: async (request) => {
      const current = state(request.context);
      const key = request.event.headers['idempotency-key'];
      if (!current.route.idempotent || key === undefined || !current.input) return;
      const claim = await claimIdempotencyKey(
        { userId: current.input.actor.userId, routeKey: request.event.routeKey, key },
        { params: current.input.params, body: current.input.body },
        systemClock.now(),
      );
      if (claim.kind === 'replay') current.replay = claim.response;
      else current.idempotencyRecord = claim.recordKey;
    },
    after: async (request) => {
      const record = request.context.route?.idempotencyRecord;
      if (record && request.response) await completeIdempotencyKey(record, request.response);
    },
    onError: async (request) => {
      const record = request.context.route?.idempotencyRecord;
      if (record) await releaseIdempotencyKey(record);
    },
  };
}

/** Every error becomes problem+json; nothing internal leaks. */
export function problemErrorHandler(): Middleware {
  return {
    onError: (request) => {
      if (request.response) return;
      request.response = toProblemResponse(request.error, request.event.requestContext.requestId);
    },
  };
}
