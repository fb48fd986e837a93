import { eventFromChange, type ChangeMapper } from '../platform/changes';
import type { DomainEvent } from '../platform/events';
import { withoutKeys } from '../platform/items';
import type { IntelListItem } from './intel/schema';

export const MARKET_SOURCE = 'postlaunch.market';
/** An entry first qualified for the importance-3 email (rule `market-alerts` → notify). */
export const MARKET_ALERT_RAISED = 'MarketAlertRaised';

export interface MarketAlertRaised {
  /** The entry as the write left it, without its body. */
  entry: IntelListItem;
}

/**
 * Market intelligence entries (`INTEL#<id> / INTEL`) → MarketAlertRaised, when the write set the
 * entry's `alertedAt` (the service sets it once, the first time the entry is an importance-3
 * competitor move or price change, and never clears it): once per entry, on creation or on the
 * edit that raised it.
 */
export const marketChanges: ChangeMapper = (change) => {
  const after = change.newItem;
  if (after?.type !== 'MarketIntel' || after.sk !== 'INTEL') return [];
  if (typeof after.alertedAt !== 'string' || typeof change.oldItem?.alertedAt === 'string') return [];
  const { body: _body, ...entry } = withoutKeys<IntelListItem & { body?: string }>(after, ['searchTokens', 'authorUserId']);
  return [eventFromChange<MarketAlertRaised>(change, MARKET_SOURCE, MARKET_ALERT_RAISED, { entry })];
};

export function isMarketAlertRaised(event: DomainEvent): event is DomainEvent<MarketAlertRaised> {
  return event.metadata.source === MARKET_SOURCE && event.metadata.type === MARKET_ALERT_RAISED;
}
