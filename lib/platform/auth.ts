import { ForbiddenError, UnauthorizedError } from './errors';
import { isRole, type Role } from './roles';

/** Who is calling: taken from the JWT claims API Gateway's authorizer verified. */
export interface Actor {
  userId: string;
  email: string | undefined;
  roles: Role[];
}

export type JwtClaims = Record<string, string | number | boolean | string[]>;

/**
 * API Gateway's HTTP API hands array claims to Lambda flattened into one string:
 * `cognito:groups` arrives as `"[sales service]"`. This is the one parser for that shape
 * (a real array, from other callers, is accepted too).
 */
export function parseGroupsClaim(value: JwtClaims[string] | undefined): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.map(String);
  const text = String(value).trim();
  const inner = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  return inner
    .split(/[\s,]+/)
    .map((group) => group.trim())
    .filter(Boolean);
}

export function actorFromClaims(claims: JwtClaims | undefined): Actor {
  const subject = claims?.sub;
  if (typeof subject !== 'string' || subject.length === 0) throw new UnauthorizedError('A valid bearer token is required.');
  const email = typeof claims?.email === 'string' ? claims.email : undefined;
  const roles = parseGroupsClaim(claims?.['cognito:groups']).filter(isRole);
  return { userId: subject, email, roles };
}

export function authorize(actor: Actor, allowed: readonly Role[]): void {
  if (!actor.roles.some((role) => allowed.includes(role))) {
    throw new ForbiddenError(`This action needs one of the roles: ${allowed.join(', ')}.`);
  }
}

/** Audit identity written into items: the user id, with the email when known for readability. */
export function auditName(actor: Actor): string {
  return actor.email ?? actor.userId;
}
