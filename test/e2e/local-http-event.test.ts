import { describe, expect, it } from 'vitest';
import { parseGroupsClaim } from '../../lib/platform/auth';
import { allRoutes } from '../../infra/manifest';
import type { ManifestRoute } from '../../infra/manifest';
import { renderDocsPage } from '../../infra/local/docs-page';
import { buildHttpEvent, flattenClaims, parseQuery, type IncomingRequest } from '../../infra/local/http-event';
import { RouteTable } from '../../infra/local/routes';

function route(method: ManifestRoute['method'], path: string): ManifestRoute {
  return { method, path, summary: '', roles: ['sales'], status: 200, functionName: 'catalog', operationId: `${method} ${path}` };
}

function request(overrides: Partial<IncomingRequest> = {}): IncomingRequest {
  return {
    method: 'GET',
    url: '/products/abc',
    headers: { host: ['127.0.0.1:3000'], 'user-agent': ['vitest'] },
    body: Buffer.alloc(0),
    sourceIp: '127.0.0.1',
    domainName: '127.0.0.1:3000',
    ...overrides,
  };
}

describe('local API: JWT claims as API Gateway hands them to Lambda', () => {
  it('flattens cognito:groups to "[a b]", which the one parser reads back', () => {
    const claims = flattenClaims({ sub: 'u1', 'cognito:groups': ['sales', 'service'], exp: 1700000000, email_verified: true });
    expect(claims).toEqual({ sub: 'u1', 'cognito:groups': '[sales service]', exp: '1700000000', email_verified: 'true' });
    expect(parseGroupsClaim(claims['cognito:groups'])).toEqual(['sales', 'service']);
  });

  it('passes every claim as a string', () => {
    const claims = flattenClaims({ a: 1, b: false, c: ['x'], d: { nested: true } });
    expect(Object.values(claims).every((value) => typeof value === 'string')).toBe(true);
  });
});

describe('local API: the payload 2.0 event', () => {
  const match = { route: route('GET', '/products/{id}'), pathParameters: { id: 'a b/c' } };

  it('carries routeKey, stage, URL-decoded path parameters and the authorizer claims', () => {
    const event = buildHttpEvent(request({ url: '/products/a%20b%2Fc' }), match, { sub: 'u1', 'cognito:groups': '[sales]' });
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'GET /products/{id}',
      rawPath: '/products/a%20b%2Fc',
      rawQueryString: '',
      pathParameters: { id: 'a b/c' },
      isBase64Encoded: false,
      requestContext: {
        routeKey: 'GET /products/{id}',
        stage: '$default',
        http: { method: 'GET', path: '/products/a%20b%2Fc', sourceIp: '127.0.0.1', userAgent: 'vitest' },
        authorizer: { jwt: { claims: { sub: 'u1', 'cognito:groups': '[sales]' }, scopes: null } },
      },
    });
    expect(event.queryStringParameters).toBeUndefined();
    expect(event.body).toBeUndefined();
    expect(event.requestContext.requestId).toMatch(/^[A-Za-z0-9+/]{15}=$/);
    expect(event.requestContext.time).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
  });

  it('comma-joins repeated query keys and repeated headers, and moves cookies out of the headers', () => {
    const event = buildHttpEvent(
      request({ url: '/products?status=active&status=launched&q=a%2Bb', headers: { accept: ['a/b', 'c/d'], cookie: ['x=1; y=2'] } }),
      { route: route('GET', '/products'), pathParameters: undefined },
      undefined,
    );
    expect(event.rawQueryString).toBe('status=active&status=launched&q=a%2Bb');
    expect(event.queryStringParameters).toEqual({ status: 'active,launched', q: 'a+b' });
    expect(event.headers.accept).toBe('a/b,c/d');
    expect(event.headers.cookie).toBeUndefined();
    expect(event.cookies).toEqual(['x=1', 'y=2']);
    expect(event.pathParameters).toBeUndefined();
    expect('authorizer' in event.requestContext).toBe(false);
  });

  it('sends JSON as text and binary bodies base64-encoded', () => {
    const json = buildHttpEvent(request({ method: 'POST', headers: { 'content-type': ['application/json'] }, body: Buffer.from('{"a":1}') }), match, undefined);
    expect(json).toMatchObject({ body: '{"a":1}', isBase64Encoded: false });
    const binary = buildHttpEvent(request({ method: 'POST', headers: { 'content-type': ['image/png'] }, body: Buffer.from([0, 1, 2]) }), match, undefined);
    expect(binary).toMatchObject({ body: Buffer.from([0, 1, 2]).toString('base64'), isBase64Encoded: true });
  });

  it('parses a query without values', () => {
    expect(parseQuery('a&b=')).toEqual({ a: '', b: '' });
  });
});

describe('local API: routing', () => {
  const table = new RouteTable([route('GET', '/products/{id}'), route('GET', '/products/search'), route('PATCH', '/products/{id}'), route('GET', '/products')]);

  it('prefers a literal segment over a parameter', () => {
    const found = table.lookup('GET', '/products/search');
    expect(found.kind === 'match' && found.match.route.path).toBe('/products/search');
  });

  it('reports the allowed methods for a known path', () => {
    expect(table.lookup('DELETE', '/products/1')).toEqual({ kind: 'wrong-method', allowed: ['GET', 'PATCH'] });
  });

  it('does not match an empty segment or an unknown path', () => {
    expect(table.lookup('GET', '/products/').kind).toBe('no-path');
    expect(table.lookup('GET', '/nothing').kind).toBe('no-path');
  });

  it('routes every manifest route to itself', () => {
    const manifestTable = new RouteTable(allRoutes());
    for (const manifestRoute of allRoutes()) {
      const path = manifestRoute.path.replace(/\{[^}]+\}/g, 'x1');
      const found = manifestTable.lookup(manifestRoute.method, path);
      expect(found.kind === 'match' && found.match.route.operationId).toBe(manifestRoute.operationId);
    }
  });
});

describe('local API: the docs page', () => {
  it('lists each operation with its roles and links schema references, escaping text', () => {
    const html = renderDocsPage({
      info: { title: 'postlaunch', version: '1' },
      paths: {
        '/products/{id}': {
          get: {
            tags: ['catalog'],
            operationId: 'getProduct',
            summary: 'One <product>',
            'x-roles': ['sales', 'admin'],
            parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
            responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Product' } } } } },
          },
        },
      },
      components: { schemas: { Product: { type: 'object' } } },
    });
    expect(html).toContain('GET</span> <code>/products/{id}</code>');
    expect(html).toContain('One &lt;product&gt;');
    expect(html).toContain('Roles: <b>sales, admin</b>');
    expect(html).toContain('<a href="#schema-Product">Product</a>');
    expect(html).not.toMatch(/<script|<link/);
  });
});
