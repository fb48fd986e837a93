import { salesFunction } from '../../infra/manifest/sales';
import { defaultContext } from '../../lib/platform/context';
import { httpFunction } from '../../lib/platform/http/http-function';
import { created, versioned } from '../../lib/platform/http/reply';
import { productDemandForecast } from '../../lib/sales/forecast-service';
import { getInvoice, issueInvoice, listInvoices, recordPayment } from '../../lib/sales/invoices';
import { cancelOrder, confirmOrder, createOrder, getOrder, listOrders, returnOrderGoods, shipOrder } from '../../lib/sales/orders';
import { salesSummary } from '../../lib/sales/summary';

export const handler = httpFunction(salesFunction, {
  createOrder: async ({ actor, body }) => created('orders', await createOrder(defaultContext, actor, body)),
  listOrders: async ({ query }) => ({ body: await listOrders(query) }),
  getOrder: async ({ params }) => versioned(await getOrder(params.id)),
  confirmOrder: async ({ actor, params }) => versioned(await confirmOrder(defaultContext, actor, params.id)),
  shipOrder: async ({ actor, params, body }) => versioned(await shipOrder(defaultContext, actor, params.id, body)),
  cancelOrder: async ({ actor, params, body }) => versioned(await cancelOrder(defaultContext, actor, params.id, body)),
  returnOrderGoods: async ({ actor, params, body }) => versioned(await returnOrderGoods(defaultContext, actor, params.id, body)),
  issueInvoice: async ({ actor, params, body }) => created('invoices', await issueInvoice(defaultContext, actor, params.id, body)),
  listInvoices: async ({ query }) => ({ body: await listInvoices(query) }),
  getInvoice: async ({ params }) => versioned(await getInvoice(params.id)),
  recordPayment: async ({ actor, params, body }) => versioned(await recordPayment(defaultContext, actor, params.id, body)),
  salesSummary: async ({ query }) => ({ body: await salesSummary(query) }),
  forecastDemand: async ({ params, query }) => ({ body: await productDemandForecast(defaultContext, params.productId, query.months) }),
});
