import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { handler as catalogHandler } from '../../functions/http/catalog';
import { notify } from '../../lib/notifications';
import { organizationChanges } from '../../lib/organization/events';
import { publishEvents } from '../../lib/platform/events';
import type { HttpEvent } from '../../lib/platform/http/types';
import { emailsTo, uniqueEmail } from '../support/mail';

/** Fault injection: the AWS services fail, our code must neither lose nor double anything. */
const mocks: Array<{ restore(): void }> = [];
afterEach(() => {
  for (const mock of mocks.splice(0)) mock.restore();
});

function headChanged(email: string) {
  const [event] = organizationChanges({
    recordId: `record-${email}`,
    kind: 'INSERT',
    oldItem: undefined,
    newItem: { pk: 'DEPARTMENT', sk: 'DEPARTMENT#sales', type: 'Department', code: 'sales', name: 'Sales', head: { name: 'Liu Yang', email }, version: 1, updatedAt: '2026-11-27T08:00:00.000Z', updatedBy: 'admin@example.com' },
    committedAt: '2026-11-27T08:00:01.000Z',
  });
  if (!event) throw new Error('no event derived');
  return event;
}

describe('faults: the event bus refuses an event', () => {
  it('throws, so the stream batch is retried instead of the event being lost', async () => {
    const bus = mockClient(EventBridgeClient);
    mocks.push(bus);
    bus.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'try again' }] });
    await expect(publishEvents([headChanged('x@example.com')])).rejects.toThrow(/refused 1 event/);
  });
});

describe('faults: SES is down while a head is being told', () => {
  it('fails the delivery, releases the once-claim, and the retry sends exactly one email', async () => {
    const email = uniqueEmail('retry-head');
    const event = headChanged(email);
    const ses = mockClient(SESv2Client);
    mocks.push(ses);
    ses.on(SendEmailCommand).rejects(Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailable' }));
    await expect(notify(event, new Date())).rejects.toThrow('Service unavailable');
    ses.restore();

    expect(await notify(event, new Date())).toBe(1);
    expect(await notify(event, new Date())).toBe(0);
    expect(await emailsTo(email)).toHaveLength(1);
  });
});

describe('faults: DynamoDB throttles a read', () => {
  it('answers 503 problem+json with Retry-After and no internals', async () => {
    const dynamo = mockClient(DynamoDBDocumentClient);
    mocks.push(dynamo);
    dynamo.on(GetCommand).rejects(new ProvisionedThroughputExceededException({ message: 'Throughput exceeded for table secret-table', $metadata: {} }));
    const id = '01JB0000000000000000000000';
    const event = {
      version: '2.0',
      routeKey: 'GET /products/{id}',
      rawPath: `/products/${id}`,
      rawQueryString: '',
      headers: {},
      pathParameters: { id },
      isBase64Encoded: false,
      requestContext: { requestId: 'req-throttle', routeKey: 'GET /products/{id}', http: { method: 'GET', path: `/products/${id}` }, authorizer: { jwt: { claims: { sub: 'u1', 'cognito:groups': '[sales]' }, scopes: null } } },
    } as unknown as HttpEvent;
    const context = { functionName: 'catalog', awsRequestId: 'a', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;
    const response = (await catalogHandler(event, context)) as APIGatewayProxyStructuredResultV2;
    expect(response.statusCode).toBe(503);
    expect(response.headers?.['retry-after']).toBe('1');
    expect(response.body).not.toContain('secret-table');
    expect(JSON.parse(response.body as string).requestId).toBe('req-throttle');
  });
});
