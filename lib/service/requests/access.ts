import type { Actor } from '../../platform/auth';
import { ROLES, type Role } from '../../platform/roles';

/**
 * Who may do what with service requests (pure data: the manifest and the service both read it).
 * Service runs the workflow; management reads everything and may reassign; the responsible
 * department writes the investigation of what is assigned to it — and nothing else.
 */
export const SERVICE_WORKFLOW_ROLES: readonly Role[] = ['service', 'admin'];
export const ASSIGN_ROLES: readonly Role[] = ['service', 'management', 'admin'];
/** Route-level: every department may try; the service checks that the request is assigned to the caller's. */
export const INVESTIGATION_ROLES: readonly Role[] = ROLES.filter((role) => role !== 'management');
/** Customers' contact details (email, phone) reach these roles only. */
export const CONTACT_ROLES: readonly Role[] = ['service', 'sales', 'management', 'admin'];

export function seesContacts(actor: Actor): boolean {
  return actor.roles.some((role) => CONTACT_ROLES.includes(role));
}

/** The department responsible for the request (admin acts for any). */
export function investigates(actor: Actor, department: Role | undefined): boolean {
  return actor.roles.includes('admin') || (department !== undefined && actor.roles.includes(department));
}
