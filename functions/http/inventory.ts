import { inventoryFunction } from '../../infra/manifest/inventory';
import {
  assertMayRecord,
  getLevel,
  getMovement,
  listLevels,
  listMovements,
  listTurnover,
  recordMovement,
  setThresholds,
} from '../../lib/inventory/service';
import { defaultContext } from '../../lib/platform/context';
import { httpFunction } from '../../lib/platform/http/http-function';

export const handler = httpFunction(inventoryFunction, {
  listStock: async ({ query }) => ({ body: await listLevels(query) }),
  getStock: async ({ params }) => {
    const level = await getLevel(params.productId, params.warehouseId);
    return { body: level, version: level.version };
  },
  setThresholds: async ({ params, body, ifMatch }) => {
    const level = await setThresholds(defaultContext, params.productId, params.warehouseId, body, ifMatch);
    return { body: level, version: level.version };
  },
  getTurnover: async ({ query }) => ({ body: await listTurnover(query, defaultContext.clock.now()) }),
  recordMovement: async ({ actor, body }) => {
    assertMayRecord(actor, body.kind);
    const movement = await recordMovement(defaultContext, actor, body);
    return { body: movement, headers: { location: `/stock-movements/${movement.id}` } };
  },
  listMovements: async ({ query }) => ({ body: await listMovements(query) }),
  getMovement: async ({ params }) => ({ body: await getMovement(params.id) }),
});
