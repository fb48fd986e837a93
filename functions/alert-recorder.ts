import type { EventBridgeEvent } from 'aws-lambda';
import { recordAlertEvent } from '../lib/alerts/service';
import { getConfig } from '../lib/platform/config';
import { defaultContext } from '../lib/platform/context';
import type { DomainEvent } from '../lib/platform/events';
import { logger } from '../lib/platform/logger';

getConfig();

/** Threshold crossings → the alert register; a replayed event changes nothing. */
export const handler = async (event: EventBridgeEvent<string, DomainEvent>): Promise<void> => {
  const domainEvent = event.detail;
  logger.resetKeys();
  logger.appendKeys({ eventId: domainEvent.metadata.id, eventType: domainEvent.metadata.type });
  const outcome = await recordAlertEvent(defaultContext, domainEvent);
  logger.info('alert event recorded', { outcome });
};
