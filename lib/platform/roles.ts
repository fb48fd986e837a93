/** Departments double as roles: a user's Cognito groups are the departments they act for. */
export const ROLES = ['market', 'sales', 'rnd', 'production', 'procurement', 'service', 'management', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ALL_ROLES: readonly Role[] = ROLES;

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
