import { describe, expect, it } from 'vitest';
import { actorFromClaims, authorize, parseGroupsClaim } from '../../../lib/platform/auth';
import { ForbiddenError, UnauthorizedError } from '../../../lib/platform/errors';

describe('auth: cognito:groups claim', () => {
  it('reads the flattened string API Gateway hands to Lambda', () => {
    expect(parseGroupsClaim('[sales service]')).toEqual(['sales', 'service']);
  });

  it('reads a single group and an empty list', () => {
    expect(parseGroupsClaim('[admin]')).toEqual(['admin']);
    expect(parseGroupsClaim('[]')).toEqual([]);
    expect(parseGroupsClaim(undefined)).toEqual([]);
  });

  it('accepts a real array too', () => {
    expect(parseGroupsClaim(['market', 'rnd'])).toEqual(['market', 'rnd']);
  });

  it('keeps only known roles on the actor', () => {
    const actor = actorFromClaims({ sub: 'u1', email: 'a@example.com', 'cognito:groups': '[sales intruders]' });
    expect(actor).toEqual({ userId: 'u1', email: 'a@example.com', roles: ['sales'] });
  });

  it('refuses claims without a subject', () => {
    expect(() => actorFromClaims({})).toThrow(UnauthorizedError);
    expect(() => actorFromClaims(undefined)).toThrow(UnauthorizedError);
  });

  it('lets a role in only when it is allowed', () => {
    const actor = actorFromClaims({ sub: 'u1', 'cognito:groups': '[market]' });
    expect(() => authorize(actor, ['production', 'admin'])).toThrow(ForbiddenError);
    expect(() => authorize(actor, ['market'])).not.toThrow();
  });
});
