import { randomUUID } from 'node:crypto';
import { createProduct, createWarehouse } from '../../lib/catalog/service';
import { customerCreate } from '../../lib/customers/schema';
import { createCustomer } from '../../lib/customers/service';
import { channelCreate } from '../../lib/partners/schema';
import { createChannel } from '../../lib/partners/service';
import { createRep } from '../../lib/sales-team/service';
import { aProduct, anActor, aWarehouse, testContext } from './factories';
import { receive } from './inventory';

export const seller = anActor(['sales'], { email: 'seller@example.com' });

export interface SalesWorld {
  customerId: string;
  channelId: string;
  repId: string;
  region: string;
  warehouseId: string;
  products: string[];
}

/**
 * A customer of its own region with an owner rep, a direct channel, one warehouse and products
 * priced `listPrice` (CNY) costing `standardCost`, with `stock[i]` units of product i on hand.
 */
export async function aSalesWorld(options: { listPrice?: number; standardCost?: number; stock?: number[] } = {}): Promise<SalesWorld> {
  const { listPrice = 10_000, standardCost = 6_000, stock = [0, 0] } = options;
  const region = `region-${randomUUID().slice(0, 8)}`;
  const context = testContext();
  const keeper = anActor(['admin']);
  const rep = await createRep(context, keeper, { userId: `rep-${randomUUID()}`, name: 'Li Na', region, hiredOn: '2024-03-01', active: true });
  const [customer, channel, warehouse] = await Promise.all([
    createCustomer(context, keeper, customerCreate.parse({ type: 'business', name: `Customer ${randomUUID().slice(0, 6)}`, region, ownerRepId: rep.id })),
    createChannel(context, keeper, channelCreate.parse({ name: 'Company store', kind: 'offline', type: 'direct-store' })),
    createWarehouse(context, keeper, aWarehouse()),
  ]);
  const products = await Promise.all(
    stock.map(() => createProduct(context, keeper, aProduct({ listPrice: { amount: listPrice, currency: 'CNY' }, standardCost: { amount: standardCost, currency: 'CNY' } }))),
  );
  await Promise.all(products.map((product, index) => ((stock[index] ?? 0) > 0 ? receive({ productId: product.id, warehouseId: warehouse.id }, stock[index] ?? 0) : undefined)));
  return { customerId: customer.id, channelId: channel.id, repId: rep.id, region, warehouseId: warehouse.id, products: products.map((product) => product.id) };
}
