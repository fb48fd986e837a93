import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * Counts what a piece of work reads through a document client: items returned by every
 * GetItem, Query, BatchGetItem and TransactGetItems, and every command by name (a Scan shows up
 * there). The monthly job reports it, and the tests and the bench compare it across data sizes:
 * the reports must read aggregates, so ten times the orders must read the same items.
 */
export interface ReadMeter {
  itemsRead: number;
  commands: Record<string, number>;
  stop(): void;
}

export function meterReads(client: DynamoDBDocumentClient): ReadMeter {
  const name = `read-meter-${Math.random().toString(36).slice(2)}`;
  const meter: ReadMeter = {
    itemsRead: 0,
    commands: {},
    stop: () => void client.middlewareStack.remove(name),
  };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const command = context.commandName ?? 'unknown';
      meter.commands[command] = (meter.commands[command] ?? 0) + 1;
      meter.itemsRead += countItems(result.output as Record<string, unknown>);
      return result;
    },
    { step: 'initialize', name },
  );
  return meter;
}

function countItems(output: Record<string, unknown>): number {
  let count = 0;
  if (Array.isArray(output.Items)) count += output.Items.length;
  if (output.Item) count += 1;
  if (output.Responses && typeof output.Responses === 'object') {
    // BatchGetItem: table → items; TransactGetItems: [{ Item }].
    if (Array.isArray(output.Responses)) count += output.Responses.filter((entry) => (entry as { Item?: unknown }).Item).length;
    else for (const items of Object.values(output.Responses as Record<string, unknown[]>)) count += items.length;
  }
  return count;
}
