import { randomUUID } from 'node:crypto';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, inject } from 'vitest';
import { ensureTable, localDynamoClient } from '../../infra/local/dynamodb';

/**
 * Runs in each test file's worker before the file is imported: points config at the shared
 * local twins and gives the file a table of its own, deleted when the file is done.
 */
const dynamoEndpoint = inject('dynamoEndpoint');
const tableName = `test-${randomUUID()}`;

Object.assign(process.env, {
  TABLE_NAME: tableName,
  EVENT_BUS_NAME: 'postlaunch',
  MAIL_FROM: 'postlaunch@example.com',
  CORS_ORIGINS: 'https://app.example.com',
  CURSOR_SECRET: 'test-cursor-secret-0123456789abcdef0123456789',
  DYNAMODB_ENDPOINT: dynamoEndpoint,
  SES_ENDPOINT: inject('sesEndpoint'),
  AWS_REGION: 'us-east-1',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
});

await ensureTable(dynamoEndpoint, tableName);

afterAll(async () => {
  const client = localDynamoClient(dynamoEndpoint);
  await client.send(new DeleteTableCommand({ TableName: tableName }));
  client.destroy();
});
