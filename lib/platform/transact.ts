import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { db } from './db';

export type TransactItems = NonNullable<TransactWriteCommandInput['TransactItems']>;
type Item = Record<string, unknown>;

/** DynamoDB's own limit; callers bound their inputs so a transaction always fits. */
export const MAX_TRANSACTION_ACTIONS = 100;

/**
 * Maps the failed condition at `index` (with the item as it was, when DynamoDB returned it)
 * to the domain error the caller should see.
 */
export type ConditionFailureMapper = (index: number, oldItem: Item | undefined) => Error;

const MAX_ATTEMPTS = 5;

/**
 * Runs one all-or-nothing transaction. Conflicts with concurrent transactions are retried
 * with jittered backoff; a failed condition becomes the caller's domain error (usually 409).
 */
export async function transactWrite(items: TransactItems, onConditionFailed: ConditionFailureMapper): Promise<void> {
  if (items.length === 0) return;
  if (items.length > MAX_TRANSACTION_ACTIONS) {
    throw new Error(`transaction has ${items.length} actions; the limit is ${MAX_TRANSACTION_ACTIONS}`);
  }
  const withOldImages = items.map(returnOldItemOnFailure);
  for (let attempt = 1; ; attempt++) {
    try {
      await db.send(new TransactWriteCommand({ TransactItems: withOldImages }));
      return;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      const failed = reasons.findIndex((reason) => reason.Code === 'ConditionalCheckFailed');
      if (failed >= 0) {
        const raw = reasons[failed]?.Item;
        throw onConditionFailed(failed, raw ? unmarshall(raw) : undefined);
      }
      const retriable = reasons.some((reason) => reason.Code === 'TransactionConflict' || reason.Code === 'ThrottlingError');
      if (!retriable || attempt >= MAX_ATTEMPTS) throw error;
      await sleep(backoff(attempt));
    }
  }
}

/** The old item of a single conditional write that failed, when DynamoDB returned it. */
export function oldItemOf(error: unknown): Item | undefined {
  if (error instanceof ConditionalCheckFailedException && error.Item) return unmarshall(error.Item);
  return undefined;
}

export function isConditionFailure(error: unknown): error is ConditionalCheckFailedException {
  return error instanceof ConditionalCheckFailedException;
}

function returnOldItemOnFailure(item: TransactItems[number]): TransactItems[number] {
  const returnOld = { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const };
  if (item.Put?.ConditionExpression) return { Put: { ...item.Put, ...returnOld } };
  if (item.Update?.ConditionExpression) return { Update: { ...item.Update, ...returnOld } };
  if (item.Delete?.ConditionExpression) return { Delete: { ...item.Delete, ...returnOld } };
  if (item.ConditionCheck) return { ConditionCheck: { ...item.ConditionCheck, ...returnOld } };
  return item;
}

function backoff(attempt: number): number {
  const ceiling = Math.min(1000, 25 * 2 ** attempt);
  return Math.random() * ceiling;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
