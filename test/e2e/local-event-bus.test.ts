import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { EventBridgeEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { startEventBus, type EventBus } from '../../infra/local/event-bus';
import { setQuiet } from '../../infra/local/log';
import type { EventFunctionSpec } from '../../infra/manifest/types';

setQuiet(true);

interface Delivery {
  functionName: string;
  event: EventBridgeEvent<string, unknown>;
}

/** The real SDK client, pointed at the local bus exactly as lib/platform/events.ts points it. */
function clientFor(bus: EventBus): EventBridgeClient {
  return new EventBridgeClient({ endpoint: bus.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
}

describe('local event bus', () => {
  let bus: EventBus | undefined;
  let client: EventBridgeClient | undefined;

  afterEach(async () => {
    client?.destroy();
    await bus?.stop();
    bus = undefined;
  });

  async function start(invoker: (spec: EventFunctionSpec, event: EventBridgeEvent<string, unknown>) => Promise<unknown>) {
    bus = await startEventBus({ busName: 'postlaunch', region: 'us-east-1', retryDelayMs: 5, invoker });
    client = clientFor(bus);
    return { bus, client };
  }

  it('delivers a PutEvents entry from the SDK to the rule that matches it, after answering', async () => {
    const deliveries: Delivery[] = [];
    const { bus: started, client: sdk } = await start(async (spec, event) => {
      deliveries.push({ functionName: spec.name, event });
    });
    const detail = { metadata: { id: 'e1', type: 'DepartmentHeadChanged' }, data: { code: 'sales' } };

    const result = await sdk.send(
      new PutEventsCommand({
        Entries: [
          { EventBusName: 'postlaunch', Source: 'postlaunch.organization', DetailType: 'DepartmentHeadChanged', Detail: JSON.stringify(detail), Time: new Date('2026-03-01T08:00:00.123Z') },
          { EventBusName: 'postlaunch', Source: 'postlaunch.organization', DetailType: 'SomethingElse', Detail: '{}' },
        ],
      }),
    );
    await started.idle();

    expect(result.FailedEntryCount).toBe(0);
    expect(result.Entries?.every((entry) => typeof entry.EventId === 'string')).toBe(true);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({
      functionName: 'notify',
      event: {
        version: '0',
        id: result.Entries?.[0]?.EventId,
        'detail-type': 'DepartmentHeadChanged',
        source: 'postlaunch.organization',
        time: '2026-03-01T08:00:00Z',
        region: 'us-east-1',
        resources: [],
        detail,
      },
    });
  });

  it('does not deliver events put on another bus', async () => {
    const deliveries: Delivery[] = [];
    const { bus: started, client: sdk } = await start(async (spec, event) => {
      deliveries.push({ functionName: spec.name, event });
    });
    await sdk.send(new PutEventsCommand({ Entries: [{ EventBusName: 'default', Source: 'postlaunch.organization', DetailType: 'DepartmentHeadChanged', Detail: '{}' }] }));
    await started.idle();
    expect(deliveries).toHaveLength(0);
  });

  it('refuses a malformed entry without refusing the others', async () => {
    const { client: sdk } = await start(async () => undefined);
    const result = await sdk.send(
      new PutEventsCommand({
        Entries: [
          { EventBusName: 'postlaunch', Source: 'postlaunch.organization', DetailType: 'X', Detail: 'not json' },
          { EventBusName: 'postlaunch', Source: 'postlaunch.organization', DetailType: 'X', Detail: '{}' },
        ],
      }),
    );
    expect(result.FailedEntryCount).toBe(1);
    expect(result.Entries?.[0]).toMatchObject({ ErrorCode: 'InvalidArgument' });
    expect(result.Entries?.[1]?.EventId).toBeDefined();
  });

  it('retries a failing target, then dead-letters the event', async () => {
    let attempts = 0;
    const { bus: started, client: sdk } = await start(async () => {
      attempts += 1;
      throw new Error('SES is down');
    });
    await sdk.send(
      new PutEventsCommand({ Entries: [{ EventBusName: 'postlaunch', Source: 'postlaunch.organization', DetailType: 'DepartmentHeadChanged', Detail: '{"a":1}' }] }),
    );
    await started.idle();
    expect(attempts).toBe(3);
    expect(started.deadLetters).toHaveLength(1);
    expect(started.deadLetters[0]).toMatchObject({ functionName: 'notify', rule: 'department-head-changed', error: 'SES is down', event: { detail: { a: 1 } } });
  });
});
