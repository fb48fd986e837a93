import { createHash } from 'node:crypto';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../db';
import { ConflictError, IdempotencyKeyReusedError, ValidationError } from '../errors';
import { isConditionFailure, oldItemOf } from '../transact';
import type { HttpResult } from './types';

/**
 * Idempotency-Key on creates, kept in the single table. A key is scoped to the caller and the
 * route, so two users (or two routes) can never collide. The record is claimed before the
 * handler runs; a success is stored for replay; an error releases the claim so the client
 * may retry. Records expire (TTL) after a day.
 */
const RECORD_TTL_SECONDS = 24 * 60 * 60;
/** A claim older than this is treated as abandoned (the Lambda timed out mid-request). */
const IN_PROGRESS_LEASE_MS = 60_000;
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

export interface IdempotencyScope {
  userId: string;
  routeKey: string;
  key: string;
}

export type Claim = { kind: 'claimed'; recordKey: string } | { kind: 'replay'; response: HttpResult };

export function validateIdempotencyKey(key: string): void {
  if (!KEY_PATTERN.test(key)) {
    throw new ValidationError('Idempotency-Key must be 1–255 visible ASCII characters.', [{ path: '$.headers.idempotency-key', message: 'invalid key' }]);
  }
}

export async function claimIdempotencyKey(scope: IdempotencyScope, request: unknown, now: Date): Promise<Claim> {
  validateIdempotencyKey(scope.key);
  const recordKey = `IDEMPOTENCY#${sha256(`${scope.userId}\n${scope.routeKey}\n${scope.key}`)}`;
  const requestHash = sha256(JSON.stringify(request) ?? '');
  const nowSeconds = Math.floor(now.getTime() / 1000);
  try {
    await db.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          pk: recordKey,
          sk: 'IDEMPOTENCY',
          type: 'IdempotencyRecord',
          status: 'in-progress',
          requestHash,
          leaseUntil: now.getTime() + IN_PROGRESS_LEASE_MS,
          expiresAt: nowSeconds + RECORD_TTL_SECONDS,
        },
        // Free, expired (TTL deletes lazily), or an abandoned in-progress claim.
        ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :nowSeconds OR (#status = :inProgress AND leaseUntil < :nowMs)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':nowSeconds': nowSeconds, ':inProgress': 'in-progress', ':nowMs': now.getTime() },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { kind: 'claimed', recordKey };
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const existing = oldItemOf(error);
    if (existing?.requestHash !== requestHash) {
      throw new IdempotencyKeyReusedError('This Idempotency-Key was already used with a different request. Use a new key for a new request.');
    }
    if (existing.status !== 'completed' || typeof existing.response !== 'string') {
      throw new ConflictError('A request with this Idempotency-Key is still being processed. Retry in a moment.');
    }
    const stored = JSON.parse(existing.response) as HttpResult;
    return { kind: 'replay', response: { ...stored, headers: { ...stored.headers, 'idempotent-replayed': 'true' } } };
  }
}

export async function completeIdempotencyKey(recordKey: string, response: HttpResult): Promise<void> {
  await db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: { pk: recordKey, sk: 'IDEMPOTENCY' },
      UpdateExpression: 'SET #status = :completed, #response = :response REMOVE leaseUntil',
      ExpressionAttributeNames: { '#status': 'status', '#response': 'response' },
      ExpressionAttributeValues: { ':completed': 'completed', ':response': JSON.stringify(response) },
    }),
  );
}

export async function releaseIdempotencyKey(recordKey: string): Promise<void> {
  await db.send(new DeleteCommand({ TableName: tableName, Key: { pk: recordKey, sk: 'IDEMPOTENCY' } }));
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}
