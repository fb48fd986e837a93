import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { allRoutes, type ManifestRoute } from '../../infra/manifest';
import type { StockThresholdCrossed } from '../../lib/inventory/events';
import type { DomainEvent } from '../../lib/platform/events';
import { DEFAULT_SETTINGS } from '../../lib/organization/defaults';
import { ROLES, type Role } from '../../lib/platform/roles';
import { aProduct, aWarehouse, testContext } from '../support/factories';
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
  listStock: async () => ({ path: '/stock?below=minimum' }),
  getStock: async () => {
    const level = await newLevel();
    return { path: `/stock/${level.productId}/${level.warehouseId}` };
  },
  setThresholds: async () => {
    const level = await newLevel();
    return { path: `/stock/${level.productId}/${level.warehouseId}/thresholds`, body: { safety: 1, minimum: 5, maximum: 50, reorderQuantity: 10, leadTimeDays: 3 } };
  },
  getTurnover: async () => ({ path: `/stock/turnover?month=${new Date().toISOString().slice(0, 7)}` }),
  recordMovement: async () => {
    const level = await newLevel();
    return { path: '/stock-movements', body: { kind: 'receipt', source: 'purchase', lines: [{ ...level, quantity: 3 }] } };
  },
  listMovements: async () => {
    const level = await newLevel();
    return { path: `/stock-movements?productId=${level.productId}` };
  },
  getMovement: async () => {
    const level = await newLevel();
    const admin = await harness.api.as('admin');
    const created = await admin('POST', '/stock-movements', { body: { kind: 'receipt', source: 'purchase', lines: [{ ...level, quantity: 3 }] } });
    return { path: `/stock-movements/${created.body.id}` };
  },
  openStocktake: async () => {
    const level = await newStockedLevel();
    return { path: '/stocktakes', body: { warehouseId: level.warehouseId, productIds: [level.productId] } };
  },
  listStocktakes: async () => ({ path: '/stocktakes?status=open&limit=5' }),
  getStocktake: async () => ({ path: `/stocktakes/${(await newStocktake()).id}` }),
  recordCounts: async () => {
    const stocktake = await newStocktake();
    return { path: `/stocktakes/${stocktake.id}/counts`, body: { counts: [{ productId: stocktake.productId, counted: 1 }] } };
  },
  closeStocktake: async () => ({ path: `/stocktakes/${(await newStocktake()).id}/close` }),
  getWarehouse: async () => {
    const admin = await harness.api.as('admin');
    const created = await admin('POST', '/warehouses', { body: aWarehouse() });
    return { path: `/warehouses/${created.body.id}` };
  },
  listAlerts: async () => ({ path: '/alerts?status=open&kind=stock-below-minimum&limit=5' }),
  getAlert: async () => ({ path: `/alerts/${await newAlertId()}` }),
  acknowledgeAlert: async () => ({ path: `/alerts/${await newAlertId()}/acknowledge` }),
};

function fixtureFor(route: ManifestRoute): Promise<Request> {
  const fixture = fixtures[route.operationId];
  if (!fixture) throw new Error(`no fixture for ${route.operationId}`);
  return fixture();
}

/** An open alert, recorded straight from a crossing event (the stream path has its own e2e test). */
async function newAlertId(): Promise<string> {
  // Imported here: these modules read config, which the local stack sets when it starts.
  const { listAlerts, recordAlertEvent } = await import('../../lib/alerts/service');
  const { INVENTORY_SOURCE } = await import('../../lib/inventory/events');
  const { newId } = await import('../../lib/platform/ids');
  const event: DomainEvent<StockThresholdCrossed> = {
    metadata: { id: randomUUID(), type: 'StockBelowMinimum', version: 1, source: INVENTORY_SOURCE, occurredAt: new Date().toISOString() },
    data: {
      productId: newId(),
      warehouseId: newId(),
      onHand: 9,
      reserved: 0,
      available: 9,
      thresholds: { safety: 3, minimum: 10, maximum: 100, reorderQuantity: 50, leadTimeDays: 14 },
      band: 'below-minimum',
      previousBand: 'ok',
      occurredAt: new Date().toISOString(),
      sequence: 1,
    },
  };
  expect(await recordAlertEvent(testContext(), event)).toBe('opened');
  const page = await listAlerts({ status: 'open', kind: 'stock-below-minimum', limit: 100 });
  const alert = page.items.find((candidate) => candidate.subject.productId === event.data.productId);
  if (!alert) throw new Error('the recorded alert is not listed');
  return alert.id;
}

async function newLevel(): Promise<{ productId: string; warehouseId: string }> {
  const admin = await harness.api.as('admin');
  const warehouse = await admin('POST', '/warehouses', { body: aWarehouse() });
  return { productId: await newProductId(), warehouseId: warehouse.body.id };
}

async function newStockedLevel(): Promise<{ productId: string; warehouseId: string }> {
  const level = await newLevel();
  const admin = await harness.api.as('admin');
  const receipt = await admin('POST', '/stock-movements', { body: { kind: 'receipt', source: 'purchase', lines: [{ ...level, quantity: 3 }] } });
  expect(receipt.status).toBe(201);
  return level;
}

async function newStocktake(): Promise<{ id: string; productId: string }> {
  const level = await newStockedLevel();
  const admin = await harness.api.as('admin');
  const opened = await admin('POST', '/stocktakes', { body: { warehouseId: level.warehouseId, productIds: [level.productId] } });
  expect(opened.status).toBe(201);
  return { id: opened.body.id, productId: level.productId };
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
