import { createProduct, createWarehouse } from '../../lib/catalog/service';
import { recordMovement } from '../../lib/inventory/service';
import { aProduct, anActor, aWarehouse, testContext } from './factories';

export const keeper = anActor(['production'], { email: 'stock@example.com' });

/** A fresh product and warehouse, with `onHand` units received (no lot) when given. */
export async function aStockedLevel(onHand = 0): Promise<{ productId: string; warehouseId: string }> {
  const [product, warehouse] = await Promise.all([createProduct(testContext(), keeper, aProduct()), createWarehouse(testContext(), keeper, aWarehouse())]);
  const level = { productId: product.id, warehouseId: warehouse.id };
  if (onHand > 0) await receive(level, onHand);
  return level;
}

export function receive(level: { productId: string; warehouseId: string }, quantity: number, lot?: { number: string; expiresOn?: string }) {
  return recordMovement(testContext(), keeper, { kind: 'receipt', source: 'purchase', lines: [{ ...level, quantity, ...(lot ? { lot } : {}) }] });
}

export function issue(level: { productId: string; warehouseId: string }, quantity: number, lotNumber?: string) {
  return recordMovement(testContext(), keeper, { kind: 'issue', purpose: 'sale', reference: 'SO-1', lines: [{ ...level, quantity, ...(lotNumber ? { lotNumber } : {}) }] });
}
