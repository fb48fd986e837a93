import type { EventBridgeEvent } from 'aws-lambda';
import { getConfig } from '../lib/platform/config';
import { systemClock } from '../lib/platform/clock';
import type { DomainEvent } from '../lib/platform/events';
import { logger } from '../lib/platform/logger';
import { notify } from '../lib/notifications';

getConfig();

/** Domain events → emails to the heads concerned; idempotent per event id and recipient. */
export const handler = async (event: EventBridgeEvent<string, DomainEvent>): Promise<void> => {
  const domainEvent = event.detail;
  logger.resetKeys();
  logger.appendKeys({ eventId: domainEvent.metadata.id, eventType: domainEvent.metadata.type });
  const sent = await notify(domainEvent, systemClock.now());
  logger.info('notification handled', { sent });
};
