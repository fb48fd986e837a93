import { eventFromChange, type ChangeMapper, type ItemChange } from '../platform/changes';
import type { DomainEvent } from '../platform/events';
import { STOCK_BANDS, type StockBand, type Thresholds } from './schema';

export const INVENTORY_SOURCE = 'postlaunch.inventory';

/** The threshold crossings the change path publishes (StockRecovered re-arms the others). */
export const STOCK_ALERT_TYPES = ['StockBelowMinimum', 'StockBelowSafety', 'StockAboveMaximum'] as const;
export type StockAlertType = (typeof STOCK_ALERT_TYPES)[number];
export const STOCK_EVENT_TYPES = [...STOCK_ALERT_TYPES, 'StockRecovered'] as const;
export type StockEventType = (typeof STOCK_EVENT_TYPES)[number];

export type RecoveredThreshold = 'safety' | 'minimum' | 'maximum';

/** The level as the write that crossed the threshold left it. */
export interface StockThresholdCrossed {
  productId: string;
  warehouseId: string;
  onHand: number;
  reserved: number;
  available: number;
  thresholds: Thresholds | null;
  band: StockBand;
  previousBand: StockBand;
  occurredAt: string;
  /** The level's write counter after this change: orders events exactly, unlike clocks. */
  sequence: number;
}

export interface StockRecovered extends StockThresholdCrossed {
  threshold: RecoveredThreshold;
}

const isBelowMinimum = (band: StockBand) => band === 'below-minimum' || band === 'below-safety';
const isBelowSafety = (band: StockBand) => band === 'below-safety';
const isAboveMaximum = (band: StockBand) => band === 'above-maximum';

/**
 * Each watched condition, and the events for entering and leaving it. Comparing the old and
 * new image's band (kept equal to `bandOf(available, thresholds)` in the same write) makes
 * every crossing exactly one event, and a move within a band none: the latch is the band
 * itself, so nothing else has to be stored to avoid an email per decrement.
 */
const CONDITIONS: ReadonlyArray<{ holds: (band: StockBand) => boolean; enter: StockAlertType; threshold: RecoveredThreshold }> = [
  { holds: isBelowMinimum, enter: 'StockBelowMinimum', threshold: 'minimum' },
  { holds: isBelowSafety, enter: 'StockBelowSafety', threshold: 'safety' },
  { holds: isAboveMaximum, enter: 'StockAboveMaximum', threshold: 'maximum' },
];

export const inventoryChanges: ChangeMapper = (change) => {
  const after = stockLevelOf(change.newItem);
  if (!after) return [];
  // A level seen for the first time (or without a band yet) was `ok`: no thresholds, no alert.
  const previousBand = stockLevelOf(change.oldItem)?.band ?? 'ok';
  if (previousBand === after.band) return [];
  const sequence = typeof change.newItem?.changeSeq === 'number' ? change.newItem.changeSeq : 0;
  const data: StockThresholdCrossed = { ...after, previousBand, occurredAt: occurredAtOf(change), sequence };
  const events: DomainEvent[] = [];
  for (const condition of CONDITIONS) {
    const before = condition.holds(previousBand);
    const now = condition.holds(after.band);
    if (!before && now) events.push(eventFromChange(change, INVENTORY_SOURCE, condition.enter, data));
    if (before && !now) {
      const recovered: StockRecovered = { ...data, threshold: condition.threshold };
      events.push(eventFromChange(change, INVENTORY_SOURCE, 'StockRecovered', recovered, condition.threshold));
    }
  }
  return events;
};

export function isStockAlertEvent(event: DomainEvent): event is DomainEvent<StockThresholdCrossed> & { metadata: { type: StockAlertType } } {
  return event.metadata.source === INVENTORY_SOURCE && (STOCK_ALERT_TYPES as readonly string[]).includes(event.metadata.type);
}

export function isStockRecovered(event: DomainEvent): event is DomainEvent<StockRecovered> {
  return event.metadata.source === INVENTORY_SOURCE && event.metadata.type === 'StockRecovered';
}

type Level = Omit<StockThresholdCrossed, 'previousBand' | 'occurredAt' | 'sequence'>;

/** Reads a stock level out of a stream image; anything else (or a malformed image) is not one. */
function stockLevelOf(item: Record<string, unknown> | undefined): Level | undefined {
  if (item?.type !== 'StockLevel') return undefined;
  const { productId, warehouseId, onHand, reserved, available, thresholds, band } = item;
  if (typeof productId !== 'string' || typeof warehouseId !== 'string') return undefined;
  if (typeof onHand !== 'number' || typeof reserved !== 'number' || typeof available !== 'number') return undefined;
  if (typeof band !== 'string' || !(STOCK_BANDS as readonly string[]).includes(band)) return undefined;
  return {
    productId,
    warehouseId,
    onHand,
    reserved,
    available,
    thresholds: isThresholds(thresholds) ? thresholds : null,
    band: band as StockBand,
  };
}

function isThresholds(value: unknown): value is Thresholds {
  if (!value || typeof value !== 'object') return false;
  const fields = ['safety', 'minimum', 'maximum', 'reorderQuantity', 'leadTimeDays'];
  return fields.every((field) => typeof (value as Record<string, unknown>)[field] === 'number');
}

/** When the write happened: the level's own stamp (milliseconds), else the stream's (seconds). */
function occurredAtOf(change: ItemChange): string {
  const stamp = change.newItem?.updatedAt;
  return typeof stamp === 'string' ? stamp : change.committedAt;
}
