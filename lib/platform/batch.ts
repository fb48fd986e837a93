import { BatchGetCommand, type BatchGetCommandOutput } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './db';

type Item = Record<string, unknown>;
export interface ItemKey {
  pk: string;
  sk: string;
}

/** DynamoDB's own limit per BatchGetItem. */
const BATCH_SIZE = 100;
const MAX_ATTEMPTS = 8;

export interface BatchGetOptions {
  /** Read only these attributes (e.g. a list page that leaves bodies out). */
  projection?: { ProjectionExpression: string; ExpressionAttributeNames?: Record<string, string> };
}

/**
 * Items by key, in the order of `keys`; keys with no item are left out. Batches of 100; keys
 * DynamoDB leaves unprocessed (throttling) are retried with jittered backoff, and still
 * unprocessed after that is an error rather than a silently short answer.
 */
export async function batchGetItems(keys: readonly ItemKey[], options: BatchGetOptions = {}): Promise<Item[]> {
  const found = new Map<string, Item>();
  const keyOf = (key: { pk: unknown; sk: unknown }) => `${String(key.pk)}\n${String(key.sk)}`;
  const unique = [...new Map(keys.map((key) => [keyOf(key), { pk: key.pk, sk: key.sk }])).values()];
  // The keys are always read too: they are how answers are matched to what was asked.
  const projection = options.projection && {
    ProjectionExpression: `${options.projection.ProjectionExpression}, #batchPk, #batchSk`,
    ExpressionAttributeNames: { ...options.projection.ExpressionAttributeNames, '#batchPk': 'pk', '#batchSk': 'sk' },
  };
  for (let start = 0; start < unique.length; start += BATCH_SIZE) {
    let pending: Item[] = unique.slice(start, start + BATCH_SIZE);
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > MAX_ATTEMPTS) throw new Error(`BatchGet left ${pending.length} keys unprocessed`);
      if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(1000, 25 * 2 ** attempt)));
      const result: BatchGetCommandOutput = await db.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ...projection } } }));
      for (const item of result.Responses?.[tableName] ?? []) found.set(keyOf(item as ItemKey), item);
      pending = result.UnprocessedKeys?.[tableName]?.Keys ?? [];
    }
  }
  return keys.flatMap((key) => {
    const item = found.get(keyOf(key));
    return item ? [item] : [];
  });
}
