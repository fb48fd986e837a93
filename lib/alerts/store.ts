import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../platform/db';
import type { Page } from '../platform/pagination';
import { queryPage } from '../platform/query';
import { isConditionFailure, oldItemOf, transactWrite, type TransactItems } from '../platform/transact';
import type { Alert, AlertKind, AlertListQuery, AlertStatus } from './schema';
import { withoutKeys } from '../platform/items';

/**
 * Keys of the alert register — the only place that knows them.
 *   alert        pk ALERT#<id>                              sk ALERT
 *                gsi1 ALERTS#<status> / <since>#<id>          (by status, newest first)
 *                gsi2 ALERTS#<status>#<kind> / <since>#<id>   (by status and kind)
 *                <since> = openedAt while open, resolvedAt once resolved
 *   latch        pk ALERT_LATCH#<kind>#<subjectKey>        sk LATCH
 *                the subject+kind's current open alert (or none) and the time of the last
 *                event applied; every open/resolve is conditional on its version
 *   event mark   pk ALERT_EVENT#<eventId>                  sk ALERT_EVENT  (TTL 35 days)
 *                written in the same transaction: an event is applied at most once
 */
type Item = Record<string, unknown>;

const EVENT_MARK_TTL_DAYS = 35;

const alertKey = (id: string) => ({ pk: `ALERT#${id}`, sk: 'ALERT' });
const latchKey = (kind: AlertKind, subjectKey: string) => ({ pk: `ALERT_LATCH#${kind}#${subjectKey}`, sk: 'LATCH' });
const eventMarkKey = (eventId: string) => ({ pk: `ALERT_EVENT#${eventId}`, sk: 'ALERT_EVENT' });

function indexKeys(kind: AlertKind, status: AlertStatus, since: string, id: string) {
  return { gsi1pk: `ALERTS#${status}`, gsi1sk: `${since}#${id}`, gsi2pk: `ALERTS#${status}#${kind}`, gsi2sk: `${since}#${id}` };
}

function toAlert(item: Item): Alert {
  return withoutKeys<Alert>(item, ['sourceEventId']);
}

export interface Latch {
  openAlertId: string | null;
  /** Time of the last event applied. */
  asOf: string;
  /** The level's write counter at the last event applied; older events do not move the latch. */
  sequence: number;
  version: number;
}

export async function getLatch(kind: AlertKind, subjectKey: string): Promise<Latch | undefined> {
  const result = await db.send(new GetCommand({ TableName: tableName, Key: latchKey(kind, subjectKey), ConsistentRead: true }));
  if (!result.Item) return undefined;
  const { openAlertId, asOf, sequence, version } = result.Item as Latch;
  return { openAlertId: openAlertId ?? null, asOf, sequence: sequence ?? 0, version };
}

/** One step of the register, applied whole or not at all. */
export interface AlertTransition {
  eventId: string;
  kind: AlertKind;
  subjectKey: string;
  now: Date;
  /** The latch as read (undefined = none yet) and what it becomes; omitted = untouched. */
  latch?: { read: Latch | undefined; next: { openAlertId: string | null; asOf: string; sequence: number } };
  create?: Alert;
  resolve?: { id: string; resolvedAt: string };
}

export type TransitionOutcome = 'applied' | 'duplicate' | 'raced';

class DuplicateEvent extends Error {}
class LatchMoved extends Error {}

/**
 * Writes the event mark, the latch, the new alert and the resolved one in one transaction.
 * The mark makes a replayed event a no-op ('duplicate'); the latch's version makes a
 * concurrent event for the same subject+kind lose ('raced': read again and re-decide), which
 * is what keeps at most one alert open per subject+kind.
 */
export async function applyTransition(transition: AlertTransition): Promise<TransitionOutcome> {
  const { eventId, kind, subjectKey, now } = transition;
  const items: TransactItems = [
    {
      Put: {
        TableName: tableName,
        Item: {
          ...eventMarkKey(eventId),
          type: 'AlertEventMark',
          appliedAt: now.toISOString(),
          expiresAt: Math.floor(now.getTime() / 1000) + EVENT_MARK_TTL_DAYS * 86_400,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ];
  const latchIndex = transition.latch ? items.length : -1;
  if (transition.latch) {
    const { read, next } = transition.latch;
    items.push({
      Put: {
        TableName: tableName,
        Item: { ...latchKey(kind, subjectKey), type: 'AlertLatch', kind, subjectKey, ...next, version: (read?.version ?? 0) + 1 },
        ...(read
          ? { ConditionExpression: 'version = :read', ExpressionAttributeValues: { ':read': read.version } }
          : { ConditionExpression: 'attribute_not_exists(pk)' }),
      },
    });
  }
  if (transition.resolve) {
    const { id, resolvedAt } = transition.resolve;
    items.push({
      Update: {
        TableName: tableName,
        Key: alertKey(id),
        UpdateExpression: 'SET #status = :resolved, resolvedAt = :at, gsi1pk = :gsi1pk, gsi1sk = :gsi1sk, gsi2pk = :gsi2pk, gsi2sk = :gsi2sk ADD version :one',
        ConditionExpression: '#status = :open',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':resolved': 'resolved',
          ':open': 'open',
          ':at': resolvedAt,
          ':one': 1,
          ...prefixed(indexKeys(kind, 'resolved', resolvedAt, id)),
        },
      },
    });
  }
  if (transition.create) {
    const alert = transition.create;
    const since = alert.status === 'open' ? alert.openedAt : (alert.resolvedAt ?? alert.openedAt);
    items.push({
      Put: {
        TableName: tableName,
        Item: { ...alertKey(alert.id), ...indexKeys(alert.kind, alert.status, since, alert.id), type: 'Alert', sourceEventId: eventId, ...alert },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
  }
  try {
    await transactWrite(items, (index) => {
      if (index === 0) return new DuplicateEvent(eventId);
      if (index === latchIndex) return new LatchMoved(subjectKey);
      return new Error(`alert register out of step with its latch (${kind} ${subjectKey}, action ${index})`);
    });
    return 'applied';
  } catch (error) {
    if (error instanceof DuplicateEvent) return 'duplicate';
    if (error instanceof LatchMoved) return 'raced';
    throw error;
  }
}

function prefixed(keys: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(keys).map(([key, value]) => [`:${key}`, value]));
}

export async function getAlertRecord(id: string): Promise<Alert | undefined> {
  const result = await db.send(new GetCommand({ TableName: tableName, Key: alertKey(id) }));
  return result.Item ? toAlert(result.Item) : undefined;
}

export type AcknowledgeOutcome = { acknowledged: Alert } | { missing: true } | { already: Alert };

/** Records who acknowledged, once: the condition tells a second acknowledgement from a missing alert. */
export async function acknowledgeAlertRecord(id: string, at: string, by: string): Promise<AcknowledgeOutcome> {
  try {
    const result = await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: alertKey(id),
        UpdateExpression: 'SET acknowledgedAt = :at, acknowledgedBy = :by ADD version :one',
        // Stored as NULL until acknowledged (the view always has the field).
        ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(acknowledgedAt) OR attribute_type(acknowledgedAt, :null))',
        ExpressionAttributeValues: { ':at': at, ':by': by, ':one': 1, ':null': 'NULL' },
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { acknowledged: toAlert(result.Attributes ?? {}) };
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const old = oldItemOf(error);
    return old ? { already: toAlert(old) } : { missing: true };
  }
}

export async function queryAlerts(query: AlertListQuery, scope: string): Promise<Page<Alert>> {
  const byKind = query.kind !== undefined;
  return queryPage(
    {
      index: byKind ? 'gsi2' : 'gsi1',
      keyCondition: byKind ? 'gsi2pk = :pk' : 'gsi1pk = :pk',
      values: { ':pk': byKind ? `ALERTS#${query.status}#${query.kind}` : `ALERTS#${query.status}` },
      newestFirst: true,
      limit: query.limit,
      cursor: query.cursor,
      scope,
    },
    toAlert,
  );
}
