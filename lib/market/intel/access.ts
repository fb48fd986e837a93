import type { Actor } from '../../platform/auth';
import type { Role } from '../../platform/roles';

/** `market` keeps the intelligence, competitors and market figures; `admin` may too. */
export const MARKET_WRITERS: readonly Role[] = ['market', 'admin'];
/** `sales` also add field reports (kind `sales-field-report`) and edit their own; the service checks which. */
export const INTEL_AUTHORS: readonly Role[] = [...MARKET_WRITERS, 'sales'];

/** May write any entry (not only their own field reports). */
export function writesAnyIntel(actor: Actor): boolean {
  return actor.roles.some((role) => MARKET_WRITERS.includes(role));
}
