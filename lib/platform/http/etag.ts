import { ValidationError } from '../errors';

/** ETags are the item's version: strong, quoted. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

/** `If-Match: "3"` → 3; `*` or absent → undefined (no precondition). */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"(\d{1,15})"\s*$/.exec(header);
  if (!match?.[1]) {
    throw new ValidationError('If-Match must be an ETag this API returned, e.g. "3".', [{ path: '$.headers.if-match', message: 'malformed ETag' }]);
  }
  return Number(match[1]);
}
