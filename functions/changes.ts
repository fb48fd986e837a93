import type { DynamoDBStreamEvent } from 'aws-lambda';
import { domainEventsOf } from '../lib/domain-events';
import { toItemChange } from '../lib/platform/changes';
import { getConfig } from '../lib/platform/config';
import { publishEvents } from '../lib/platform/events';
import { logger } from '../lib/platform/logger';

getConfig();

/**
 * Change path: committed table changes → domain events on the bus. A failure throws, so the
 * batch is retried (bisected on error) and, in the end, sent to the on-failure queue; event
 * ids are derived from stream record ids, so a retried batch yields the same ids.
 */
export const handler = async (event: DynamoDBStreamEvent): Promise<void> => {
  const events = event.Records.flatMap((record) => {
    const change = toItemChange(record);
    return change ? domainEventsOf(change) : [];
  });
  if (events.length === 0) return;
  await publishEvents(events);
  logger.info('published domain events', { count: events.length, types: [...new Set(events.map((e) => e.metadata.type))] });
};
