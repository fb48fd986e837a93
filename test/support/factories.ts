import { randomUUID } from 'node:crypto';
import type { ProductCreate, WarehouseCreate } from '../../lib/catalog/schema';
import type { Actor } from '../../lib/platform/auth';
import type { Clock } from '../../lib/platform/clock';
import type { ServiceContext } from '../../lib/platform/context';
import { newId } from '../../lib/platform/ids';
import type { Role } from '../../lib/platform/roles';

export function anActor(roles: Role[] = ['admin'], overrides: Partial<Actor> = {}): Actor {
  return { userId: `user-${randomUUID()}`, email: 'tester@example.com', roles, ...overrides };
}

/** A unique suffix so tests sharing a table never collide on unique fields. */
export function unique(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`.toUpperCase();
}

export function aProduct(overrides: Partial<ProductCreate> = {}): ProductCreate {
  return {
    sku: unique('SKU'),
    name: 'Smart lock S2',
    category: 'smart-lock',
    launchDate: '2026-03-01',
    listPrice: { amount: 129_900, currency: 'CNY' },
    warrantyMonths: 24,
    ownerDepartment: 'rnd',
    ...overrides,
  };
}

export function aWarehouse(overrides: Partial<WarehouseCreate> = {}): WarehouseCreate {
  return {
    code: unique('WH').slice(0, 20),
    name: 'Shanghai central',
    address: { line1: '88 Century Ave', city: 'Shanghai', country: 'CN' },
    ...overrides,
  };
}

/** A clock the test moves by hand. */
export function fixedClock(iso: string): Clock & { set(iso: string): void } {
  let now = new Date(iso);
  return { now: () => new Date(now), set: (next: string) => (now = new Date(next)) };
}

export function testContext(clock: Clock = fixedClock('2026-11-27T08:00:00Z')): ServiceContext {
  return { clock, newId };
}
