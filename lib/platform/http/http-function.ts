import middy from '@middy/core';
import httpCors from '@middy/http-cors';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpSecurityHeaders from '@middy/http-security-headers';
import type { HttpFunctionSpec, RouteSpec } from '../../../infra/manifest/types';
import { getConfig } from '../config';
import { etagOf } from './etag';
import { authorizeRoute, idempotency, problemErrorHandler, requestId, resolveRoute, validateInput } from './middlewares';
import type { HttpContext, HttpEvent, HttpResult, Reply, RouteHandler, RouteHandlers, RouteState } from './types';

/**
 * Builds a module's Lambda handler: one middy chain for every route of the manifest entry.
 * Middlewares run top to bottom on the way in and bottom to top on the way out, so the error
 * handler sits below CORS and security headers, which then decorate error responses too.
 */
export function httpFunction<S extends HttpFunctionSpec>(spec: S, handlers: RouteHandlers<S>) {
  const config = getConfig();
  return middy<HttpEvent, HttpResult, Error, HttpContext>()
    .use(httpHeaderNormalizer())
    .use(requestId())
    .use(httpCors({ origins: config.CORS_ORIGINS, credentials: false, exposeHeaders: 'ETag, Location, X-Request-Id, Idempotent-Replayed', maxAge: 600 }))
    .use(httpSecurityHeaders())
    .use(problemErrorHandler())
    .use(resolveRoute(spec, handlers as Record<string, RouteHandler<RouteSpec>>))
    .use(authorizeRoute())
    .use(validateInput())
    .use(idempotency())
    .handler(async (_event, context) => {
      const current = context.route as RouteState;
      if (current.replay) return current.replay;
      if (!current.input) throw new Error('input not validated');
      const reply = await current.handler(current.input);
      return toResult(current.route, reply);
    });
}

function toResult(route: RouteSpec, reply: Reply): HttpResult {
  const status = reply.status ?? route.status;
  const headers: Record<string, string> = { ...reply.headers };
  if (reply.version !== undefined) headers.etag = etagOf(reply.version);
  if (status === 204 || reply.body === undefined) return { statusCode: status, headers };
  const contentType = reply.contentType ?? route.contentType;
  if (contentType) {
    headers['content-type'] = contentType;
    return { statusCode: status, headers, body: String(reply.body) };
  }
  // The response schema is the documentation: parse so the docs can never lie about a field.
  const body = route.response ? route.response.parse(reply.body) : reply.body;
  headers['content-type'] = 'application/json';
  return { statusCode: status, headers, body: JSON.stringify(body) };
}
