import { describe, expect, it } from 'vitest';
import { allRoutes, type ManifestRoute } from '../../infra/manifest';
import { DEFAULT_SETTINGS } from '../../lib/organization/defaults';
import { ROLES, type Role } from '../../lib/platform/roles';
import { aProduct, aWarehouse } from '../support/factories';
import { useApi } from '../support/api';
import { uniqueEmail } from '../support/mail';

const harness = useApi();

interface Request {
  path: string;
  body?: unknown;
}

/** A valid request for every manifest route; a route without one fails the guard test below. */
const fixtures: Record<string, () => Promise<Request>> = {
  health: async () => ({ path: '/health' }),
  openapi: async () => ({ path: '/openapi.json' }),
  listDepartments: async () => ({ path: '/departments' }),
  updateDepartment: async () => ({ path: '/departments/sales', body: { head: { name: 'Sales head', email: uniqueEmail('sales') } } }),
  getSettings: async () => ({ path: '/settings' }),
  updateSettings: async () => ({ path: '/settings', body: DEFAULT_SETTINGS }),
  createProduct: async () => ({ path: '/products', body: aProduct() }),
  listProducts: async () => ({ path: '/products?status=launched&limit=5' }),
  getProduct: async () => ({ path: `/products/${await newProductId()}` }),
  updateProduct: async () => ({ path: `/products/${await newProductId()}`, body: { name: 'Renamed' } }),
  changeProductStatus: async () => ({ path: `/products/${await newProductId()}/status`, body: { status: 'active', reason: 'first shipments out' } }),
  createWarehouse: async () => ({ path: '/warehouses', body: aWarehouse() }),
  listWarehouses: async () => ({ path: '/warehouses' }),
  getWarehouse: async () => {
    const admin = await harness.api.as('admin');
    const created = await admin('POST', '/warehouses', { body: aWarehouse() });
    return { path: `/warehouses/${created.body.id}` };
  },
};

function fixtureFor(route: ManifestRoute): Promise<Request> {
  const fixture = fixtures[route.operationId];
  if (!fixture) throw new Error(`no fixture for ${route.operationId}`);
  return fixture();
}

async function newProductId(): Promise<string> {
  const admin = await harness.api.as('admin');
  const created = await admin('POST', '/products', { body: aProduct() });
  expect(created.status).toBe(201);
  return created.body.id;
}


const routes = allRoutes();
const name = (route: ManifestRoute) => `${route.method} ${route.path} (${route.operationId})`;

describe('api: the route × role matrix', () => {
  it('has a request fixture for every manifest route', () => {
    expect(routes.map((route) => route.operationId).filter((id) => !fixtures[id])).toEqual([]);
  });

  it.each(routes.filter((route) => route.roles === 'public').map((route) => [name(route), route] as const))('%s is public', async (_name, route) => {
    const request = await fixtureFor(route);
    const response = await harness.api.call(route.method, request.path);
    expect(response.status).toBe(route.status);
  });

  const guarded = routes.filter((route): route is ManifestRoute & { roles: readonly Role[] } => route.roles !== 'public');

  it.each(guarded.map((route) => [name(route), route] as const))('%s: 401 without a token, 403 for other roles, 2xx for its roles', async (_name, route) => {
    const request = await fixtureFor(route);
    const anonymous = await harness.api.call(route.method, request.path, { body: request.body });
    expect(anonymous.status).toBe(401);

    const forged = await harness.api.call(route.method, request.path, { body: request.body, token: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' });
    expect(forged.status).toBe(401);

    for (const role of ROLES.filter((candidate) => !route.roles.includes(candidate))) {
      const refused = await harness.api.call(route.method, request.path, { body: request.body, token: await harness.api.tokenFor(role) });
      expect(refused.status, `${role} must be refused`).toBe(403);
      expect(refused.headers.get('content-type')).toBe('application/problem+json');
    }
    for (const role of route.roles) {
      // A fresh fixture per role: some routes (status moves, creates) change what they touch.
      const fresh = await fixtureFor(route);
      const allowed = await harness.api.call(route.method, fresh.path, { body: fresh.body, token: await harness.api.tokenFor(role) });
      expect(allowed.status, `${role} must be allowed: ${JSON.stringify(allowed.body)}`).toBe(route.status);
    }
  });

  it('a refused write changes nothing', async () => {
    const request = await fixtures.updateProduct?.() as Request;
    const refused = await harness.api.call('PATCH', request.path, { body: { name: 'Sneaky' }, token: await harness.api.tokenFor('market') });
    expect(refused.status).toBe(403);
    const read = await harness.api.call('GET', request.path, { token: await harness.api.tokenFor('market') });
    expect(read.body).toMatchObject({ name: 'Smart lock S2', version: 1 });
  });
});

describe('api: the OpenAPI document', () => {
  it('documents every manifest route with its roles', async () => {
    const response = await harness.api.call('GET', '/openapi.json');
    expect(response.body.openapi).toBe('3.1.0');
    for (const route of routes) {
      const operation = response.body.paths?.[route.path]?.[route.method.toLowerCase()];
      expect(operation, `${name(route)} is missing from openapi.json`).toBeDefined();
      expect(operation.operationId).toBe(route.operationId);
      expect(operation['x-roles']).toEqual(route.roles);
    }
  });

  it('serves a readable docs page', async () => {
    const response = await harness.api.call('GET', '/docs');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(response.body).toContain('/products/{id}');
  });
});
