import type { Actor } from '../platform/auth';
import type { Role } from '../platform/roles';

/**
 * Who may do what with customers (pure data: the manifest and the service both read it).
 * Sales keep the customer records; sales and service talk to customers, so both record
 * interactions, follow-ups and feedback and see who to call; management and admin do all.
 */
export const CUSTOMER_WRITERS: readonly Role[] = ['sales', 'management', 'admin'];
export const CUSTOMER_CONTACT_ROLES: readonly Role[] = ['sales', 'service', 'management', 'admin'];

/**
 * Contacts and preferences are personal data: only the departments that deal with the customer
 * see them. Everyone else (market, R&D, production, procurement) gets the customer without them.
 */
export function seesCustomerContacts(actor: Actor): boolean {
  return actor.roles.some((role) => CUSTOMER_CONTACT_ROLES.includes(role));
}

/** Interactions and follow-ups are read by the same roles that see contacts. */
export function readsInteractions(actor: Actor): boolean {
  return seesCustomerContacts(actor);
}
