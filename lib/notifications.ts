import { getConfig } from './platform/config';
import { once } from './platform/dedupe';
import type { DomainEvent } from './platform/events';
import { logger } from './platform/logger';
import { sendEmail, type Email } from './platform/mail';
import { isStockAlertEvent } from './inventory/events';
import { loadStockAlertEmails } from './inventory/notifications';
import { isMarketAlertRaised } from './market/events';
import { marketAlertEmails } from './market/notifications';
import { departmentHeadChangedEmails } from './organization/notifications';
import { isDepartmentHeadChanged } from './organization/events';
import { isServiceEmailEvent } from './service/events';
import { serviceEmails } from './service/notifications';

/**
 * Which emails a domain event causes. A module adds its event types here. Async because some
 * emails look up what they show (product names, recent issues) and who receives them.
 * StockRecovered sends nothing: it resolves the alert (see docs/decisions.md).
 */
export async function emailsFor(event: DomainEvent): Promise<Email[]> {
  const { API_BASE_URL } = getConfig();
  if (isDepartmentHeadChanged(event)) return departmentHeadChangedEmails(event, API_BASE_URL);
  if (isStockAlertEvent(event)) return loadStockAlertEmails(event, event.metadata.type, API_BASE_URL);
  if (isServiceEmailEvent(event)) return serviceEmails(event, event.metadata.type, API_BASE_URL);
  if (isMarketAlertRaised(event)) return marketAlertEmails(event, API_BASE_URL);
  logger.warn('no notification for event type', { type: event.metadata.type });
  return [];
}

/**
 * Sends each email at most once per event and recipient: the event id is the dedupe key, so
 * EventBridge's at-least-once redelivery and retries never double an email.
 */
export async function notify(event: DomainEvent, now: Date): Promise<number> {
  let sent = 0;
  for (const email of await emailsFor(event)) {
    const key = `email#${event.metadata.id}#${email.to.join(',').toLowerCase()}`;
    const did = await once(key, now, async () => {
      const messageId = await sendEmail(email);
      logger.info('email sent', { eventId: event.metadata.id, type: event.metadata.type, to: email.to, messageId });
    });
    if (did) sent++;
  }
  return sent;
}
