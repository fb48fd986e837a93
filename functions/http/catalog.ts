import { catalogFunction } from '../../infra/manifest/catalog';
import {
  changeProductStatus,
  createProduct,
  createWarehouse,
  getProduct,
  getWarehouse,
  listProducts,
  listWarehouses,
  updateProduct,
} from '../../lib/catalog/service';
import { defaultContext } from '../../lib/platform/context';
import { httpFunction } from '../../lib/platform/http/http-function';
import { created, versioned } from '../../lib/platform/http/reply';


export const handler = httpFunction(catalogFunction, {
  createProduct: async ({ actor, body }) => created('products', await createProduct(defaultContext, actor, body)),
  listProducts: async ({ query }) => ({ body: await listProducts(query) }),
  getProduct: async ({ params }) => versioned(await getProduct(params.id)),
  updateProduct: async ({ actor, params, body, ifMatch }) => versioned(await updateProduct(defaultContext, actor, params.id, body, ifMatch)),
  changeProductStatus: async ({ actor, params, body, ifMatch }) =>
    versioned(await changeProductStatus(defaultContext, actor, params.id, body, ifMatch)),
  createWarehouse: async ({ actor, body }) => created('warehouses', await createWarehouse(defaultContext, actor, body)),
  listWarehouses: async ({ query }) => ({ body: await listWarehouses(query) }),
  getWarehouse: async ({ params }) => versioned(await getWarehouse(params.id)),
});
