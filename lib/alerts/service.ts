import { isStockAlertEvent, isStockRecovered, type RecoveredThreshold, type StockAlertType, type StockThresholdCrossed } from '../inventory/events';
import { auditName, type Actor } from '../platform/auth';
import type { ServiceContext } from '../platform/context';
import { ConflictError, NotFoundError } from '../platform/errors';
import type { DomainEvent } from '../platform/events';
import type { Page } from '../platform/pagination';
import { cursorScope } from '../platform/query';
import type { Alert, AlertKind, AlertListQuery, StockSubject } from './schema';
import { acknowledgeAlertRecord, applyTransition, getAlertRecord, getLatch, queryAlerts, type TransitionOutcome } from './store';

const OPENS: Record<StockAlertType, AlertKind> = {
  StockBelowMinimum: 'stock-below-minimum',
  StockBelowSafety: 'stock-below-safety',
  StockAboveMaximum: 'stock-above-maximum',
};

const RESOLVES: Record<RecoveredThreshold, AlertKind> = {
  minimum: 'stock-below-minimum',
  safety: 'stock-below-safety',
  maximum: 'stock-above-maximum',
};

export type RecordOutcome = 'opened' | 'resolved' | 'recorded-resolved' | 'superseded-and-opened' | 'stale' | 'duplicate' | 'ignored';

/** Only the events the register keeps: anything else routed here is ignored, not an error. */
export async function recordAlertEvent(context: ServiceContext, event: DomainEvent): Promise<RecordOutcome> {
  if (isStockAlertEvent(event)) {
    const kind = OPENS[event.metadata.type];
    return openAlert(context, event.metadata.id, kind, event.data);
  }
  if (isStockRecovered(event)) return resolveAlert(context, event.metadata.id, RESOLVES[event.data.threshold], event.data);
  return 'ignored';
}

/** Concurrent events for one subject+kind are rare; a few re-reads settle any race. */
const MAX_ATTEMPTS = 5;

/**
 * Opens an alert for the episode an event starts. The bus does not keep order, so the latch
 * remembers the level's write counter (`sequence`) at the last event applied:
 * - no alert open, event newer → open one;
 * - an alert open, event newer → the recovery that ended that episode has not arrived yet
 *   (it must exist: crossings alternate), so resolve it now and open the new one; the late
 *   recovery will then be older than the latch and change nothing;
 * - event older than the latch → its episode ended before we heard of it: record the alert
 *   already resolved (at the latch's time, the first moment we know it was over).
 */
async function openAlert(context: ServiceContext, eventId: string, kind: AlertKind, crossed: StockThresholdCrossed): Promise<RecordOutcome> {
  const subject: StockSubject = { productId: crossed.productId, warehouseId: crossed.warehouseId };
  const subjectKey = subjectKeyOf(subject);
  const at = crossed.occurredAt;
  const sequence = crossed.sequence;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const latch = await getLatch(kind, subjectKey);
    const alert: Alert = {
      id: context.newId(),
      kind,
      subject,
      status: 'open',
      openedAt: at,
      resolvedAt: null,
      figures: { onHand: crossed.onHand, reserved: crossed.reserved, available: crossed.available, band: crossed.band, thresholds: crossed.thresholds },
      acknowledgedAt: null,
      acknowledgedBy: null,
      version: 1,
    };
    const base = { eventId, kind, subjectKey, now: context.clock.now() };
    let outcome: TransitionOutcome;
    let result: RecordOutcome;
    if (latch && latch.sequence >= sequence) {
      outcome = await applyTransition({ ...base, create: { ...alert, status: 'resolved', resolvedAt: latch.asOf } });
      result = 'recorded-resolved';
    } else {
      const supersedes = latch?.openAlertId ?? undefined;
      outcome = await applyTransition({
        ...base,
        latch: { read: latch, next: { openAlertId: alert.id, asOf: at, sequence } },
        create: alert,
        ...(supersedes ? { resolve: { id: supersedes, resolvedAt: at } } : {}),
      });
      result = supersedes ? 'superseded-and-opened' : 'opened';
    }
    if (outcome === 'applied') return result;
    if (outcome === 'duplicate') return 'duplicate';
  }
  throw new ConflictError(`Could not record ${kind} for ${subjectKey}: the alert kept changing.`);
}

/** Resolves the open alert of the episode a recovery ends; an older recovery changes nothing. */
async function resolveAlert(context: ServiceContext, eventId: string, kind: AlertKind, recovered: StockThresholdCrossed): Promise<RecordOutcome> {
  const subjectKey = subjectKeyOf({ productId: recovered.productId, warehouseId: recovered.warehouseId });
  const at = recovered.occurredAt;
  const sequence = recovered.sequence;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const latch = await getLatch(kind, subjectKey);
    if (latch && latch.sequence >= sequence) return 'stale';
    const open = latch?.openAlertId ?? undefined;
    // With nothing open (its opening event still on its way, or lost), the latch still moves:
    // a late opening event then sees it is older and records its alert as already resolved.
    const outcome = await applyTransition({
      eventId,
      kind,
      subjectKey,
      now: context.clock.now(),
      latch: { read: latch, next: { openAlertId: null, asOf: at, sequence } },
      ...(open ? { resolve: { id: open, resolvedAt: at } } : {}),
    });
    if (outcome === 'applied') return open ? 'resolved' : 'stale';
    if (outcome === 'duplicate') return 'duplicate';
  }
  throw new ConflictError(`Could not resolve ${kind} for ${subjectKey}: the alert kept changing.`);
}

function subjectKeyOf(subject: StockSubject): string {
  return `${subject.productId}#${subject.warehouseId}`;
}

export async function getAlert(id: string): Promise<Alert> {
  const alert = await getAlertRecord(id);
  if (!alert) throw new NotFoundError(`No alert ${id}.`);
  return alert;
}

export async function listAlerts(query: AlertListQuery): Promise<Page<Alert>> {
  return queryAlerts(query, cursorScope('alerts', query));
}

/** Records who took the alert in hand and when; an alert is acknowledged once. */
export async function acknowledgeAlert(context: ServiceContext, actor: Actor, id: string): Promise<Alert> {
  const outcome = await acknowledgeAlertRecord(id, context.clock.now().toISOString(), auditName(actor));
  if ('missing' in outcome) throw new NotFoundError(`No alert ${id}.`);
  if ('already' in outcome) {
    const { acknowledgedBy, acknowledgedAt } = outcome.already;
    throw new ConflictError(`The alert was already acknowledged by ${acknowledgedBy ?? 'someone'} at ${acknowledgedAt ?? 'an earlier time'}.`, {
      acknowledgedBy,
      acknowledgedAt,
    });
  }
  return outcome.acknowledged;
}
