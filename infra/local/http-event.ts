import { randomBytes } from 'node:crypto';
import type { APIGatewayEventRequestContextJWTAuthorizer, APIGatewayEventRequestContextV2, APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import type { RouteMatch } from './routes';

/**
 * Builds the event API Gateway's HTTP API hands a Lambda proxy integration (payload 2.0)
 * behind a JWT authorizer, field for field, so handlers cannot tell the local server from AWS.
 */
export interface IncomingRequest {
  method: string;
  /** Path and query exactly as received (`/products?status=active`). */
  url: string;
  /** Header values per lower-case name, repeated headers kept apart (node's `headersDistinct`). */
  headers: Record<string, string[] | undefined>;
  body: Buffer;
  sourceIp: string;
  /** `host:port` the client addressed. */
  domainName: string;
  protocol?: string;
}

export const LOCAL_API_ID = 'local';

/**
 * The JWT authorizer passes every claim to Lambda as a string: numbers and booleans as their
 * text, arrays flattened to `[a b]` (this is what `cognito:groups` looks like in AWS), objects
 * as JSON (AWS's own rendering of nested claims is not documented; none of ours are nested).
 */
export function flattenClaims(payload: Record<string, unknown>): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) claims[name] = `[${value.map(String).join(' ')}]`;
    else if (typeof value === 'object') claims[name] = JSON.stringify(value);
    else claims[name] = String(value);
  }
  return claims;
}

/** API Gateway base64-encodes any body whose media type is not textual. */
export function isTextual(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return /^text\//.test(type) || /(^|[/+])(json|xml|javascript|yaml|x-www-form-urlencoded|graphql)$/.test(type);
}

export function newRequestId(): string {
  // API Gateway's ids look like `JmHh7hXYoAMEVUQ=`: 16 base64 characters.
  return `${randomBytes(12).toString('base64').slice(0, 15)}=`;
}

export function buildHttpEvent(
  request: IncomingRequest,
  match: RouteMatch,
  claims: Record<string, string> | undefined,
  now: Date = new Date(),
): APIGatewayProxyEventV2WithJWTAuthorizer {
  const queryIndex = request.url.indexOf('?');
  const rawPath = queryIndex === -1 ? request.url : request.url.slice(0, queryIndex);
  const rawQueryString = queryIndex === -1 ? '' : request.url.slice(queryIndex + 1);
  const routeKey = `${match.route.method} ${match.route.path}`;

  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (const [name, values] of Object.entries(request.headers)) {
    if (!values?.length) continue;
    // Payload 2.0 moves cookies out of the headers into their own array.
    if (name === 'cookie') cookies = values.flatMap((value) => value.split(';')).map((cookie) => cookie.trim()).filter(Boolean);
    else headers[name] = values.join(',');
  }
  const port = request.domainName.split(':')[1] ?? '80';
  headers['x-forwarded-for'] = headers['x-forwarded-for'] ? `${headers['x-forwarded-for']},${request.sourceIp}` : request.sourceIp;
  headers['x-forwarded-port'] = port;
  headers['x-forwarded-proto'] = 'http';

  const requestId = newRequestId();
  const requestContext: APIGatewayEventRequestContextV2 & { authorizer?: APIGatewayEventRequestContextJWTAuthorizer } = {
    accountId: '000000000000',
    apiId: LOCAL_API_ID,
    domainName: request.domainName,
    domainPrefix: request.domainName.split(/[.:]/)[0] ?? request.domainName,
    http: {
      method: request.method,
      path: rawPath,
      protocol: request.protocol ?? 'HTTP/1.1',
      sourceIp: request.sourceIp,
      userAgent: headers['user-agent'] ?? '',
    },
    requestId,
    routeKey,
    stage: '$default',
    time: clfTime(now),
    timeEpoch: now.getTime(),
    // ID tokens carry no `scope` claim, so API Gateway passes `scopes: null`.
    ...(claims ? { authorizer: { jwt: { claims, scopes: null } } } : {}),
  };
  const event: Omit<APIGatewayProxyEventV2WithJWTAuthorizer, 'requestContext'> & { requestContext: typeof requestContext } = {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString,
    ...(cookies?.length ? { cookies } : {}),
    headers,
    ...(rawQueryString ? { queryStringParameters: parseQuery(rawQueryString) } : {}),
    ...(match.pathParameters ? { pathParameters: match.pathParameters } : {}),
    requestContext,
    isBase64Encoded: false,
  };
  if (request.body.byteLength > 0) {
    const textual = isTextual(headers['content-type']);
    event.body = textual ? request.body.toString('utf8') : request.body.toString('base64');
    event.isBase64Encoded = !textual;
  }
  // The aws-lambda type insists on an authorizer; AWS sends none on public routes, and neither do we.
  return event as APIGatewayProxyEventV2WithJWTAuthorizer;
}

/** Repeated keys are comma-joined, values URL-decoded, as in `queryStringParameters`. */
export function parseQuery(rawQueryString: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(rawQueryString)) {
    result[key] = key in result ? `${result[key]},${value}` : value;
  }
  return result;
}

/** `12/Mar/2020:19:03:58 +0000`, the format of `requestContext.time`. */
function clfTime(date: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}
