import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import * as z from 'zod';
import { runAtInstant } from '../../lib/platform/clock';
import { allRoutes, httpFunctions, type ManifestRoute } from '../manifest';
import type { HttpFunctionSpec } from '../manifest/types';
import { renderDocsPage } from './docs-page';
import { buildHttpEvent, flattenClaims, newRequestId, type IncomingRequest } from './http-event';
import type { TokenVerifier } from './jwt';
import { invoke } from './lambda';
import { localLog } from './log';
import { RouteTable } from './routes';

/**
 * The local API Gateway: one HTTP server for every route of the manifest. It does what the
 * HTTP API does before and after the Lambda — route, verify the JWT, answer CORS preflight,
 * cap the body at 10 MB — and invokes the module's handler in this process.
 */
export interface HttpServerOptions {
  port: number;
  host?: string;
  /** Verifies bearer tokens for non-public routes (see `createTokenVerifier`). */
  verifyToken: TokenVerifier;
  /** Allowed CORS origins (CORS_ORIGINS). */
  corsOrigins: readonly string[];
  region: string;
  /**
   * Requests wait for this before any function runs: the stack binds the port first (to learn
   * API_BASE_URL) and sets the environment the functions' config reads only afterwards.
   */
  ready?: Promise<unknown>;
}

export interface HttpServer {
  url: string;
  stop(): Promise<void>;
}

/** API Gateway's own payload limit; the Lambda's 256 KiB JSON limit is the function's business. */
export const MAX_REQUEST_BYTES = 10 * 1024 * 1024;
const CORS_ALLOW_HEADERS = 'authorization,content-type,idempotency-key,if-match,x-request-id';
const CORS_EXPOSE_HEADERS = 'etag,x-request-id,idempotent-replayed';
const CORS_MAX_AGE = '600';
/**
 * Local only: the request's handler runs with `systemClock.now()` pinned to this instant, so
 * `npm run demo` can book history (shipments, complaints, movements) in past months through the
 * public API. API Gateway never runs this file: in AWS the header means nothing.
 */
export const CLOCK_HEADER = 'x-postlaunch-clock';
const isoInstant = z.iso.datetime({ offset: true });

const log = localLog('api');

type Result = APIGatewayProxyStructuredResultV2;

export async function startHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const routes = allRoutes();
  const table = new RouteTable(routes);
  const specs = new Map(httpFunctions().map((spec) => [spec.name, spec]));
  const methods = [...new Set(routes.map((route) => route.method))].sort().join(',');
  const context: ServeContext = { ...options, table, specs, methods, routes };

  const server = createServer((req, res) => {
    serve(context, req, res).catch((error: unknown) => {
      log.error(`${req.method} ${req.url} failed`, error);
      if (!res.headersSent) send(res, problem(500, 'Internal server error', 'The local API failed; see its log.'));
      else res.destroy();
    });
  });
  // Keep-alive sockets would otherwise hold `stop()` open until they time out.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${address.address}:${address.port}`,
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

interface ServeContext extends HttpServerOptions {
  table: RouteTable;
  specs: Map<string, HttpFunctionSpec>;
  methods: string;
  routes: ManifestRoute[];
}

async function serve(context: ServeContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? 'GET';
  const url = req.url ?? '/';
  const path = url.split('?')[0] ?? '/';
  const origin = req.headers.origin;

  if (method === 'OPTIONS') return send(res, preflight(context, req));

  const body = await readBody(req);
  if (body === 'too-large') {
    return send(res, withCors(context, origin, problem(413, 'Payload too large', `The request body exceeds ${MAX_REQUEST_BYTES} bytes.`)), true);
  }

  if (path === '/docs' && method === 'GET') return send(res, await docsPage(context, req));

  const lookup = context.table.lookup(method, path);
  if (lookup.kind === 'no-path') return send(res, withCors(context, origin, problem(404, 'Not found', `No route for ${method} ${path}.`)));
  if (lookup.kind === 'wrong-method') {
    const refused = problem(405, 'Method not allowed', `${path} accepts ${lookup.allowed.join(', ')}.`);
    refused.headers = { ...refused.headers, allow: lookup.allowed.join(', ') };
    return send(res, withCors(context, origin, refused));
  }

  const { route } = lookup.match;
  let claims: Record<string, string> | undefined;
  if (route.roles !== 'public') {
    const token = bearerToken(req.headers.authorization);
    // Like API Gateway's JWT authorizer: a missing or bad token never reaches the Lambda.
    if (!token) return send(res, withCors(context, origin, unauthorized('A bearer token is required (npm run token -- --role <role>).')));
    try {
      claims = flattenClaims(await context.verifyToken(token));
    } catch (error) {
      return send(res, withCors(context, origin, unauthorized(`The bearer token was refused: ${error instanceof Error ? error.message : String(error)}`)));
    }
  }

  const pinned = req.headers[CLOCK_HEADER];
  let instant: Date | undefined;
  if (pinned !== undefined) {
    const parsed = isoInstant.safeParse(pinned);
    if (!parsed.success) {
      return send(res, withCors(context, origin, problem(400, 'Bad request', `${CLOCK_HEADER} must be one ISO 8601 instant with a time zone, e.g. 2026-03-01T10:00:00+08:00.`)));
    }
    instant = new Date(parsed.data);
  }

  const incoming = toIncoming(req, body);
  const event = buildHttpEvent(incoming, lookup.match, claims, instant);
  const result = instant ? await runAtInstant(instant, () => invokeRoute(context, route, event)) : await invokeRoute(context, route, event);
  send(res, withCors(context, origin, result));
}

async function invokeRoute(context: ServeContext, route: ManifestRoute, event: APIGatewayProxyEventV2WithJWTAuthorizer): Promise<Result> {
  await context.ready;
  const spec = context.specs.get(route.functionName);
  if (!spec) throw new Error(`manifest route ${route.operationId} names unknown function ${route.functionName}`);
  try {
    return toStructured(await invoke<APIGatewayProxyEventV2WithJWTAuthorizer, unknown>(spec, event, context.region));
  } catch (error) {
    // What a client of API Gateway sees when the Lambda errors or times out: a bare 500.
    log.error(`${spec.name} failed on ${event.routeKey} (request ${event.requestContext.requestId})`, error);
    const failed = problem(500, 'Internal server error', 'The function failed; see the local stack log.');
    failed.headers = { ...failed.headers, 'apigw-requestid': event.requestContext.requestId };
    return failed;
  }
}

/** Payload 2.0 lets a function return any JSON; a value without `statusCode` becomes a 200 JSON body. */
function toStructured(value: unknown): Result {
  if (value && typeof value === 'object' && 'statusCode' in value) return value as Result;
  if (typeof value === 'string') return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: value };
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value ?? null) };
}

function toIncoming(req: IncomingMessage, body: Buffer): IncomingRequest {
  const host = req.headers.host ?? `${req.socket.localAddress}:${req.socket.localPort}`;
  return {
    method: req.method ?? 'GET',
    url: req.url ?? '/',
    headers: req.headersDistinct,
    body,
    sourceIp: (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
    domainName: host,
    protocol: `HTTP/${req.httpVersion}`,
  };
}

function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_REQUEST_BYTES) {
    req.resume();
    return Promise.resolve('too-large');
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > MAX_REQUEST_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  // API Gateway accepts the token with or without the `Bearer` scheme.
  const token = header.replace(/^Bearer\s+/i, '').trim();
  return token || undefined;
}

/** CORS preflight as API Gateway's `corsPreflight` answers it: the Lambda is not called. */
function preflight(context: ServeContext, req: IncomingMessage): Result {
  const origin = req.headers.origin;
  const requested = req.headers['access-control-request-method'];
  if (!origin || !requested || !originAllowed(context, origin)) return { statusCode: 204, headers: {} };
  return {
    statusCode: 204,
    headers: {
      'access-control-allow-origin': origin,
      'access-control-allow-methods': context.methods,
      'access-control-allow-headers': CORS_ALLOW_HEADERS,
      'access-control-max-age': CORS_MAX_AGE,
      vary: 'origin',
    },
  };
}

/** With CORS configured, API Gateway replaces whatever CORS headers the function returned. */
function withCors(context: ServeContext, origin: string | undefined, result: Result): Result {
  const headers: Record<string, string | number | boolean> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) {
    if (!name.toLowerCase().startsWith('access-control-')) headers[name] = value;
  }
  if (origin && originAllowed(context, origin)) {
    headers['access-control-allow-origin'] = origin;
    headers['access-control-expose-headers'] = CORS_EXPOSE_HEADERS;
    headers.vary = 'origin';
  }
  return { ...result, headers };
}

function originAllowed(context: ServeContext, origin: string): boolean {
  return context.corsOrigins.includes('*') || context.corsOrigins.includes(origin);
}

function problem(status: number, title: string, detail: string): Result {
  return {
    statusCode: status,
    headers: { 'content-type': 'application/problem+json' },
    body: JSON.stringify({ type: 'about:blank', title, status, detail, requestId: newRequestId() }),
  };
}

function unauthorized(detail: string): Result {
  const result = problem(401, 'Unauthorized', detail);
  result.headers = { ...result.headers, 'www-authenticate': 'Bearer' };
  return result;
}

function send(res: ServerResponse, result: Result, close = false): void {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name.toLowerCase()] = String(value);
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  const body = result.body === undefined ? Buffer.alloc(0) : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
  if (body.byteLength > 0 && !headers['content-type']) headers['content-type'] = 'application/json';
  headers['content-length'] = String(body.byteLength);
  if (close) headers.connection = 'close';
  res.writeHead(result.statusCode ?? 200, headers);
  res.end(body);
}

async function docsPage(context: ServeContext, req: IncomingMessage): Promise<Result> {
  const route = context.routes.find((candidate) => candidate.method === 'GET' && candidate.path === '/openapi.json');
  if (!route) return problem(404, 'Not found', 'The manifest has no GET /openapi.json route.');
  const lookup = context.table.lookup('GET', '/openapi.json');
  if (lookup.kind !== 'match') return problem(404, 'Not found', 'GET /openapi.json is not routable.');
  const event = buildHttpEvent(toIncoming(req, Buffer.alloc(0)), lookup.match, undefined);
  const result = await invokeRoute(context, route, { ...event, rawPath: '/openapi.json', rawQueryString: '' });
  if (result.statusCode !== 200 || !result.body) return result;
  const text = result.isBase64Encoded ? Buffer.from(result.body, 'base64').toString('utf8') : result.body;
  return { statusCode: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: renderDocsPage(JSON.parse(text) as unknown) };
}
