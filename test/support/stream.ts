import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { inject } from 'vitest';
import { localDynamoClient } from '../../infra/local/dynamodb';
import { toLambdaRecord } from '../../infra/local/stream-records';
import { toItemChange, type ItemChange } from '../../lib/platform/changes';

/**
 * Every committed new image of one item type in this test file's table, in commit order per item: the stream is
 * the one record of the order DynamoDB applied writes in.
 */
export async function committedImages(type: string): Promise<Array<Record<string, unknown>>> {
  return (await committedChanges(type)).flatMap((change) => (change.newItem ? [change.newItem] : []));
}

/** The same, as the item changes the changes function sees (old and new images). */
export async function committedChanges(type: string): Promise<ItemChange[]> {
  const endpoint = inject('dynamoEndpoint');
  const tableName = process.env.TABLE_NAME as string;
  const dynamo = localDynamoClient(endpoint);
  const streams = new DynamoDBStreamsClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    const table = await dynamo.send(new DescribeTableCommand({ TableName: tableName }));
    const streamArn = table.Table?.LatestStreamArn as string;
    const description = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    const changes: ItemChange[] = [];
    for (const shard of description.StreamDescription?.Shards ?? []) {
      let iterator = (await streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
      let emptyReads = 0;
      while (iterator && emptyReads < 2) {
        const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
        const records = page.Records ?? [];
        emptyReads = records.length === 0 ? emptyReads + 1 : 0;
        for (const record of records) {
          const image = record.dynamodb?.NewImage ?? record.dynamodb?.OldImage;
          // Filter before converting: other items may hold empty maps the streams client mangles.
          if (image?.type?.S !== type) continue;
          const change = toItemChange(toLambdaRecord(record, streamArn, 'local'));
          if (change) changes.push(change);
        }
        iterator = page.NextShardIterator;
      }
    }
    return changes;
  } finally {
    dynamo.destroy();
    streams.destroy();
  }
}
