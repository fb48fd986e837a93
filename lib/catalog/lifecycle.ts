import type { ProductStatus } from './schema';

/** The only moves a product's status may make; anything else is a 409. */
const NEXT: Record<ProductStatus, ProductStatus | undefined> = {
  launched: 'active',
  active: 'phasing-out',
  'phasing-out': 'discontinued',
  discontinued: undefined,
};

export function canMove(from: ProductStatus, to: ProductStatus): boolean {
  return NEXT[from] === to;
}

export function allowedNext(from: ProductStatus): ProductStatus[] {
  const next = NEXT[from];
  return next ? [next] : [];
}
