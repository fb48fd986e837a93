import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { newId } from '../../lib/platform/ids';
import { bulkPut } from './bulk-write';

/**
 * Copies of a real shipped order, written in bulk: the order item exactly as the store keeps
 * it, under new ids (its listing keys too). Tests and the bench use them to grow the number of
 * orders tenfold in seconds where the API would take most of an hour. The copies add order items
 * only: the figures ten times the orders would add change the aggregates' values, not how many
 * aggregate items there are — which is what a reader of aggregates must not notice.
 */
export async function cloneOrder(doc: DynamoDBDocumentClient, tableName: string, orderId: string, copies: number): Promise<void> {
  const original = (await doc.send(new GetCommand({ TableName: tableName, Key: { pk: `ORDER#${orderId}`, sk: 'ORDER' } }))).Item;
  if (!original) throw new Error(`no order ${orderId} to copy`);
  const items = Array.from({ length: copies }, () => {
    const id = newId();
    return { ...original, pk: `ORDER#${id}`, id, gsi1sk: id, gsi2sk: id };
  });
  await bulkPut(doc, tableName, items);
}
