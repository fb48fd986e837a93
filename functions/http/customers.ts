import { customersFunction } from '../../infra/manifest/customers';
import {
  completeFollowUp,
  createCustomer,
  createFollowUp,
  customerFor,
  customerPage,
  listCustomers,
  listFeedback,
  listFollowUps,
  listInteractions,
  recordFeedback,
  recordInteraction,
  updateCustomer,
} from '../../lib/customers/service';
import type { PurchaseHistory } from '../../lib/customers/schema';
import { defaultContext } from '../../lib/platform/context';
import { httpFunction } from '../../lib/platform/http/http-function';
import { created, versioned } from '../../lib/platform/http/reply';
import { customerPurchases, type CustomerPurchases } from '../../lib/sales/purchases';

/** The page's schema must describe exactly what the sales module returns: this fails to compile when they drift apart. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _purchasesMatchSchema: Same<CustomerPurchases, PurchaseHistory> = true;

export const handler = httpFunction(customersFunction, {
  createCustomer: async ({ actor, body }) => {
    const customer = await createCustomer(defaultContext, actor, body);
    return { ...created('customers', customer), body: customerFor(actor, customer) };
  },
  listCustomers: async ({ actor, query }) => {
    const page = await listCustomers(query);
    return { body: { ...page, items: page.items.map((customer) => customerFor(actor, customer)) } };
  },
  getCustomer: async ({ actor, params }) => {
    const [page, purchases] = await Promise.all([customerPage(actor, params.id), customerPurchases(params.id)]);
    return versioned({ ...page, purchases });
  },
  updateCustomer: async ({ actor, params, body, ifMatch }) => {
    const customer = await updateCustomer(defaultContext, actor, params.id, body, ifMatch);
    return { ...versioned(customer), body: customerFor(actor, customer) };
  },
  recordInteraction: async ({ actor, params, body }) => versioned(await recordInteraction(defaultContext, actor, params.id, body)),
  listInteractions: async ({ params, query }) => ({ body: await listInteractions(params.id, query) }),
  createFollowUp: async ({ actor, params, body }) => versioned(await createFollowUp(defaultContext, actor, params.id, body)),
  listFollowUps: async ({ query }) => ({ body: await listFollowUps(defaultContext, query) }),
  completeFollowUp: async ({ actor, params }) => versioned(await completeFollowUp(defaultContext, actor, params.id)),
  recordFeedback: async ({ actor, body }) => versioned(await recordFeedback(defaultContext, actor, body)),
  listFeedback: async ({ query }) => ({ body: await listFeedback(query) }),
});
