import { createHash } from 'node:crypto';
import type { AttributeValue as StreamAttributeValue, DynamoDBRecord } from 'aws-lambda';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DomainEvent } from './events';

type Item = Record<string, unknown>;

/** One committed item change, as the stream reports it. */
export interface ItemChange {
  /** The stream record's id: unique per change, stable across redeliveries. */
  recordId: string;
  kind: 'INSERT' | 'MODIFY' | 'REMOVE';
  oldItem: Item | undefined;
  newItem: Item | undefined;
  /** When the change was committed. */
  committedAt: string;
}

/** A module's rule for which changes are domain events. Pure: no I/O. */
export type ChangeMapper = (change: ItemChange) => DomainEvent[];

export function toItemChange(record: DynamoDBRecord): ItemChange | undefined {
  const kind = record.eventName;
  if (!kind || !record.eventID) return undefined;
  const seconds = record.dynamodb?.ApproximateCreationDateTime;
  return {
    recordId: record.eventID,
    kind,
    oldItem: image(record.dynamodb?.OldImage),
    newItem: image(record.dynamodb?.NewImage),
    committedAt: new Date(seconds ? seconds * 1000 : Date.now()).toISOString(),
  };
}

/**
 * Builds an event whose id is derived from the stream record and the event type, so a
 * redelivered record yields the same id and downstream dedupe holds. `discriminator` tells
 * apart several events of one type from one change (e.g. two thresholds recovered at once).
 */
export function eventFromChange<T>(change: ItemChange, source: string, type: string, data: T, discriminator?: string): DomainEvent<T> {
  const seed = discriminator === undefined ? `${change.recordId}\n${type}` : `${change.recordId}\n${type}\n${discriminator}`;
  const id = createHash('sha256').update(seed).digest('hex').slice(0, 32);
  return { metadata: { id, type, version: 1, source, occurredAt: change.committedAt }, data };
}

function image(value: Record<string, StreamAttributeValue> | undefined): Item | undefined {
  // The Lambda stream types and the SDK's AttributeValue describe the same wire shape.
  return value ? unmarshall(value as Record<string, AttributeValue>) : undefined;
}
