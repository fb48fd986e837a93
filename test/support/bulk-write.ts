import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * Puts items in bulk for tests and the bench: BatchWriteItem, 25 items a call, `inFlight` calls
 * at a time, unprocessed items retried with a growing pause. Only for loading data sets —
 * the product's own writes are conditional or transactional.
 */
export async function bulkPut(doc: DynamoDBDocumentClient, tableName: string, items: ReadonlyArray<Record<string, unknown>>, inFlight = 16): Promise<void> {
  const batches: Array<ReadonlyArray<Record<string, unknown>>> = [];
  for (let start = 0; start < items.length; start += 25) batches.push(items.slice(start, start + 25));
  let next = 0;
  const worker = async () => {
    for (let batch = batches[next++]; batch; batch = batches[next++]) {
      let pending = batch.map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 1; pending.length; attempt++) {
        if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt)));
        const result = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
        pending = (result.UnprocessedItems?.[tableName] ?? []) as typeof pending;
      }
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
}
