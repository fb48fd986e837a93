import type { EventBridgeEvent } from 'aws-lambda';
import { getConfig } from '../lib/platform/config';
import { defaultContext } from '../lib/platform/context';
import type { DomainEvent } from '../lib/platform/events';
import { logger } from '../lib/platform/logger';
import type { SlaCheckpointsChanged } from '../lib/service/events';
import { syncCheckpointSchedules, type SyncResult } from '../lib/service/sla/schedules';

getConfig();

/** SlaCheckpointsChanged → one-time Scheduler schedules created / deleted; idempotent, so retries are safe. */
export const handler = async (event: EventBridgeEvent<string, DomainEvent<SlaCheckpointsChanged>>): Promise<SyncResult> => {
  const domainEvent = event.detail;
  logger.resetKeys();
  logger.appendKeys({ eventId: domainEvent.metadata.id, eventType: domainEvent.metadata.type });
  return syncCheckpointSchedules(defaultContext, domainEvent.data);
};
