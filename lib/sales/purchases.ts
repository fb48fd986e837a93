import { queryOrders, getPurchaseHistory } from './store';

export interface CustomerPurchases {
  totals: { orders: number; revenue: number; quantity: number; firstMonth: string; lastMonth: string } | null;
  byProduct: Array<{ productId: string; quantity: number; revenue: number }>;
  recentOrders: Array<{ id: string; status: string; orderDate: string; createdAt: string; total: number; currency: string }>;
}

const RECENT_ORDERS = 10;

/**
 * What a customer has bought, for the customer's page: the running totals and per-product
 * figures the shipments keep (net of returns), and the latest orders (two queries).
 */
export async function customerPurchases(customerId: string): Promise<CustomerPurchases> {
  const [history, recent] = await Promise.all([getPurchaseHistory(customerId), queryOrders({ customerId, limit: RECENT_ORDERS }, `customer-purchases&${customerId}`)]);
  const summary = history.summary;
  return {
    totals: summary ? { orders: summary.orders, revenue: summary.revenue, quantity: summary.quantity, firstMonth: summary.firstMonth, lastMonth: summary.lastMonth } : null,
    byProduct: history.byProduct.sort((a, b) => b.revenue - a.revenue || a.productId.localeCompare(b.productId)),
    recentOrders: recent.items.map((order) => ({ id: order.id, status: order.status, orderDate: order.orderDate, createdAt: order.createdAt, total: order.total, currency: order.currency })),
  };
}
