import { ConflictError, PreconditionFailedError } from './errors';

/** Fails fast when the client's If-Match names another version than the one stored. */
export function assertIfMatch(ifMatch: number | undefined, currentVersion: number): void {
  if (ifMatch !== undefined && ifMatch !== currentVersion) {
    throw new PreconditionFailedError(`The resource is at version ${currentVersion}, not ${ifMatch}. Re-read it and retry.`, { currentVersion });
  }
}

/**
 * A version-conditioned write lost a race. With If-Match the client asked for exactly that
 * version (412); without it, someone else changed the item between our read and write (409).
 */
export function lostUpdateError(ifMatch: number | undefined): Error {
  return ifMatch !== undefined
    ? new PreconditionFailedError('The resource changed since the version in If-Match. Re-read it and retry.')
    : new ConflictError('The resource was changed by someone else at the same time. Re-read it and retry.');
}
