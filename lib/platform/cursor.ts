import { createHmac, timingSafeEqual } from 'node:crypto';
import { ValidationError } from './errors';
import { getCursorKey } from './secrets';

/**
 * Opaque, tamper-evident list cursors. A cursor is the DynamoDB key to resume from plus the
 * scope of the query it belongs to (route and filters), signed with HMAC-SHA256: a client can
 * neither forge a start key nor reuse a cursor with other filters.
 */
export type StartKey = Record<string, unknown>;

export async function encodeCursor(key: StartKey | undefined, scope: string): Promise<string | null> {
  if (!key) return null;
  const payload = Buffer.from(JSON.stringify({ k: key, s: scope })).toString('base64url');
  return `${payload}.${await sign(payload)}`;
}

export async function decodeCursor(cursor: string | undefined, scope: string): Promise<StartKey | undefined> {
  if (cursor === undefined) return undefined;
  const invalid = () => new ValidationError('The cursor is not valid for this list.', [{ path: '$.query.cursor', message: 'invalid or tampered cursor' }]);
  const [payload, signature] = cursor.split('.');
  if (!payload || !signature) throw invalid();
  const expected = Buffer.from(await sign(payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw invalid();
  const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { k: StartKey; s: string };
  if (decoded.s !== scope) throw invalid();
  return decoded.k;
}

async function sign(payload: string): Promise<string> {
  return createHmac('sha256', await getCursorKey()).update(payload).digest('base64url');
}
