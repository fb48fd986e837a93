import type { DepartmentCode } from './schema';

/**
 * What each department head receives by email. This list says only what postlaunch sends
 * today; each module adds its alerts here when it starts sending them, so a new head's
 * welcome email never promises mail that does not exist.
 */
const EVERY_HEAD = ['A notice when the head of your department changes.'];

const BY_DEPARTMENT: Partial<Record<DepartmentCode, string[]>> = {
  admin: ['A daily warning (08:00 company time) when a department has no head, since its alerts would reach nobody.'],
  management: ['A daily warning (08:00 company time) when a department has no head, since its alerts would reach nobody.'],
};

export function subscriptionsOf(code: DepartmentCode): string[] {
  return [...EVERY_HEAD, ...(BY_DEPARTMENT[code] ?? [])];
}
