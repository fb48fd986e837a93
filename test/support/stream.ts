import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { localDynamoClient } from '../../infra/local/dynamodb';

/**
 * Every committed new image of one item type in this test file's table, in commit order per item: the stream is
 * the one record of the order DynamoDB applied writes in.
 */
export async function committedImages(type: string): Promise<Array<Record<string, unknown>>> {
  const endpoint = inject('dynamoEndpoint');
  const tableName = process.env.TABLE_NAME as string;
  const dynamo = localDynamoClient(endpoint);
  const streams = new DynamoDBStreamsClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    const table = await dynamo.send(new DescribeTableCommand({ TableName: tableName }));
    const streamArn = table.Table?.LatestStreamArn as string;
    const description = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    const images: Array<Record<string, unknown>> = [];
    for (const shard of description.StreamDescription?.Shards ?? []) {
      let iterator = (await streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
      let emptyReads = 0;
      while (iterator && emptyReads < 2) {
        const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
        const records = page.Records ?? [];
        emptyReads = records.length === 0 ? emptyReads + 1 : 0;
        for (const record of records) {
          const image = record.dynamodb?.NewImage;
          // Filter before unmarshalling: other items may hold empty maps the streams client mangles.
          if (image && image.type?.S === type) images.push(unmarshall(image as Record<string, AttributeValue>));
        }
        iterator = page.NextShardIterator;
      }
    }
    return images;
  } finally {
    dynamo.destroy();
    streams.destroy();
  }
}
