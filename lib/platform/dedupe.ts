import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './db';
import { isConditionFailure } from './transact';

/**
 * "Exactly once" for side effects outside the table (emails): claim a key with a conditional
 * put before acting; if acting fails, release it so the retry can act. Claims expire by TTL.
 */
const DEFAULT_TTL_DAYS = 35;

export async function claimOnce(key: string, now: Date, ttlDays = DEFAULT_TTL_DAYS): Promise<boolean> {
  try {
    await db.send(
      new PutCommand({
        TableName: tableName,
        Item: { pk: `ONCE#${key}`, sk: 'ONCE', type: 'OnceClaim', claimedAt: now.toISOString(), expiresAt: Math.floor(now.getTime() / 1000) + ttlDays * 86_400 },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

export async function releaseClaim(key: string): Promise<void> {
  await db.send(new DeleteCommand({ TableName: tableName, Key: { pk: `ONCE#${key}`, sk: 'ONCE' } }));
}

/** Runs `action` once per key, across retries and duplicate deliveries, for `ttlDays`. */
export async function once(key: string, now: Date, action: () => Promise<void>, ttlDays = DEFAULT_TTL_DAYS): Promise<boolean> {
  if (!(await claimOnce(key, now, ttlDays))) return false;
  try {
    await action();
    return true;
  } catch (error) {
    await releaseClaim(key);
    throw error;
  }
}
