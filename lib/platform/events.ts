import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { getConfig, localCredentials } from './config';

/** Domain events travel in a versioned `{ metadata, data }` envelope. */
export interface EventMetadata {
  /** Deterministic id, derived from the stream record: the dedupe key downstream. */
  id: string;
  type: string;
  version: number;
  source: string;
  occurredAt: string;
}

export interface DomainEvent<T = unknown> {
  metadata: EventMetadata;
  data: T;
}

const config = getConfig();
const client = new EventBridgeClient({
  region: config.AWS_REGION,
  ...(config.EVENTBRIDGE_ENDPOINT ? { endpoint: config.EVENTBRIDGE_ENDPOINT } : {}),
  ...localCredentials(config.EVENTBRIDGE_ENDPOINT),
});

const PUT_EVENTS_BATCH = 10;

/** Publishes to the bus; throws if any entry was refused so the stream batch is retried. */
export async function publishEvents(events: DomainEvent[]): Promise<void> {
  for (let start = 0; start < events.length; start += PUT_EVENTS_BATCH) {
    const batch = events.slice(start, start + PUT_EVENTS_BATCH);
    const entries: PutEventsRequestEntry[] = batch.map((event) => ({
      EventBusName: config.EVENT_BUS_NAME,
      Source: event.metadata.source,
      DetailType: event.metadata.type,
      Time: new Date(event.metadata.occurredAt),
      Detail: JSON.stringify(event),
    }));
    const result = await client.send(new PutEventsCommand({ Entries: entries }));
    if (result.FailedEntryCount) {
      const failures = (result.Entries ?? []).filter((entry) => entry.ErrorCode).map((entry) => `${entry.ErrorCode}: ${entry.ErrorMessage}`);
      throw new Error(`EventBridge refused ${result.FailedEntryCount} event(s): ${failures.join('; ')}`);
    }
  }
}
