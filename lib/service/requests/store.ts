import { GetCommand, QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { decodeCursor, encodeCursor } from '../../platform/cursor';
import { db, tableName } from '../../platform/db';
import type { Page } from '../../platform/pagination';
import { queryPage } from '../../platform/query';
import type { TransactItems } from '../../platform/transact';
import type { ServiceRequest, ServiceRequestListQuery } from './schema';
import { batchGetItems } from '../../platform/batch';

/**
 * Keys of the service requests — the only place that knows them (figures: `analysis.ts`).
 *   request          pk SERVICE_REQUEST#<id>   sk REQUEST
 *                    gsi1 SERVICE_REQUESTS#STATUS#<status> / <id>
 *                    gsi2 SERVICE_REQUESTS#DEPARTMENT#<department> / <id>     (only once assigned)
 *                    gsi3 SLA_OPEN / <earliest unmet deadline>#<id>           (keys only; only while a
 *                         deadline is unmet and the request is not closed — read by the SLA sweep too)
 *   listing copy     pk SERVICE_REQUEST#<id>   sk LISTING                       (a full copy of the request,
 *                    gsi1 SERVICE_REQUESTS / <id>                               written in the transaction of
 *                    gsi2 SERVICE_REQUESTS#PRODUCT#<productId> / <id>          every request write)
 *   reference series pk SERVICE_REQUEST_SEQUENCE#<C|S>#<year>   sk SEQUENCE      (last number issued)
 * Sort keys ESCALATION#… and SCHEDULE#… under SERVICE_REQUEST#<id> belong to the SLA module.
 *
 * The item keeps the request's own type as `requestType`: `type` is the table's entity type.
 */
const requestKey = (id: string) => ({ pk: `SERVICE_REQUEST#${id}`, sk: 'REQUEST' });
const listingKey = (id: string) => ({ pk: `SERVICE_REQUEST#${id}`, sk: 'LISTING' });
const sequenceKey = (series: ReferenceSeries, year: number) => ({ pk: `SERVICE_REQUEST_SEQUENCE#${series}#${year}`, sk: 'SEQUENCE' });
export const SLA_OPEN = 'SLA_OPEN';

/** `C` numbers complaints, `S` consultations and repairs. */
export type ReferenceSeries = 'C' | 'S';

type Item = Record<string, unknown>;
const INTERNAL = new Set(['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', 'type', 'requestType']);

/** The request held by a stored item (or a stream image of one). */
export function serviceRequestOfItem(item: Item): ServiceRequest {
  const request = Object.fromEntries(Object.entries(item).filter(([key]) => !INTERNAL.has(key)));
  return { ...request, type: item.requestType } as ServiceRequest;
}

/**
 * The earliest deadline whose clock still runs, or undefined when none does or the request is
 * closed: the SLA_OPEN index holds exactly the requests that can still breach (or have).
 */
export function openDeadlineOf(request: ServiceRequest): string | undefined {
  if (request.status === 'closed') return undefined;
  const open = [
    request.sla.firstRespondedAt === undefined ? request.sla.firstResponseDueAt : undefined,
    request.sla.resolvedAt === undefined ? request.sla.resolutionDueAt : undefined,
  ].filter((due): due is string => due !== undefined);
  return open.sort()[0];
}

function requestItem(request: ServiceRequest): Item {
  const { type: requestType, ...rest } = request;
  const deadline = openDeadlineOf(request);
  return {
    ...requestKey(request.id),
    gsi1pk: `SERVICE_REQUESTS#STATUS#${request.status}`,
    gsi1sk: request.id,
    ...(request.department ? { gsi2pk: `SERVICE_REQUESTS#DEPARTMENT#${request.department}`, gsi2sk: request.id } : {}),
    ...(deadline ? { gsi3pk: SLA_OPEN, gsi3sk: `${deadline}#${request.id}` } : {}),
    type: 'ServiceRequest',
    requestType,
    ...rest,
  };
}

function listingItem(request: ServiceRequest): Item {
  const { type: requestType, ...rest } = request;
  return {
    ...listingKey(request.id),
    gsi1pk: 'SERVICE_REQUESTS',
    gsi1sk: request.id,
    ...(request.productId ? { gsi2pk: `SERVICE_REQUESTS#PRODUCT#${request.productId}`, gsi2sk: request.id } : {}),
    type: 'ServiceRequestListing',
    requestType,
    ...rest,
  };
}

/**
 * Writes the request as `next` only if it is still at `expectedVersion` (absent: a new request),
 * with its listing copy. Action 0 is the one that can fail: one writer of a version wins.
 */
export function requestWriteActions(next: ServiceRequest, expectedVersion: number | undefined): TransactItems {
  return [
    {
      Put: {
        TableName: tableName,
        Item: requestItem(next),
        ConditionExpression: expectedVersion === undefined ? 'attribute_not_exists(pk)' : 'version = :expected',
        ...(expectedVersion === undefined ? {} : { ExpressionAttributeValues: { ':expected': expectedVersion } }),
      },
    },
    // Unconditional: it rides on the version check of action 0, in the same transaction.
    { Put: { TableName: tableName, Item: listingItem(next) } },
  ];
}

export async function getServiceRequestRecord(id: string): Promise<ServiceRequest | undefined> {
  const result = await db.send(new GetCommand({ TableName: tableName, Key: requestKey(id), ConsistentRead: true }));
  return result.Item ? serviceRequestOfItem(result.Item) : undefined;
}

// ---- references -------------------------------------------------------------------------------

export async function lastReference(series: ReferenceSeries, year: number): Promise<number> {
  const result = await db.send(new GetCommand({ TableName: tableName, Key: sequenceKey(series, year), ConsistentRead: true }));
  return typeof result.Item?.last === 'number' ? result.Item.last : 0;
}

/** Takes number `next` of the series, only if `next - 1` was the last: in the request's own transaction (gap-free). */
export function referenceAdvanceAction(series: ReferenceSeries, year: number, next: number): TransactItems[number] {
  return {
    Update: {
      TableName: tableName,
      Key: sequenceKey(series, year),
      UpdateExpression: 'SET #last = :next, #type = :type',
      ConditionExpression: next === 1 ? 'attribute_not_exists(pk)' : '#last = :previous',
      ExpressionAttributeNames: { '#last': 'last', '#type': 'type' },
      ExpressionAttributeValues: { ':next': next, ':type': 'ServiceRequestSequence', ...(next === 1 ? {} : { ':previous': next - 1 }) },
    },
  };
}

// ---- lists ------------------------------------------------------------------------------------

/**
 * One key per list, the most selective given: product (listing copies) > department > status >
 * all (listing copies); every other filter applies on top. See docs/access-patterns.md.
 */
export function queryServiceRequests(query: ServiceRequestListQuery, scope: string): Promise<Page<ServiceRequest>> {
  const keyed = keyFor(query);
  const { filter, names, values } = filtersBesides(query, keyed.covers);
  return queryPage(
    {
      index: keyed.index,
      keyCondition: `${keyed.index}pk = :pk`,
      values: { ...values, ':pk': keyed.pk },
      names: Object.keys(names).length ? names : undefined,
      filter,
      newestFirst: true,
      limit: query.limit,
      cursor: query.cursor,
      scope,
    },
    serviceRequestOfItem,
  );
}

type Filter = 'type' | 'status' | 'priority' | 'product' | 'department' | 'assignee';

function keyFor(query: ServiceRequestListQuery): { index: 'gsi1' | 'gsi2'; pk: string; covers: Filter } | { index: 'gsi1'; pk: string; covers: undefined } {
  if (query.product) return { index: 'gsi2', pk: `SERVICE_REQUESTS#PRODUCT#${query.product}`, covers: 'product' };
  if (query.department) return { index: 'gsi2', pk: `SERVICE_REQUESTS#DEPARTMENT#${query.department}`, covers: 'department' };
  if (query.status) return { index: 'gsi1', pk: `SERVICE_REQUESTS#STATUS#${query.status}`, covers: 'status' };
  return { index: 'gsi1', pk: 'SERVICE_REQUESTS', covers: undefined };
}

const FILTER_ATTRIBUTES: Record<Filter, string[]> = {
  type: ['requestType'],
  status: ['status'],
  priority: ['priority'],
  product: ['productId'],
  department: ['department'],
  assignee: ['assignee', 'userId'],
};

function filtersBesides(query: ServiceRequestListQuery, covered: Filter | undefined) {
  const clauses: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  for (const filter of Object.keys(FILTER_ATTRIBUTES) as Filter[]) {
    const value = query[filter];
    if (value === undefined || filter === covered) continue;
    const path = FILTER_ATTRIBUTES[filter].map((attribute) => {
      names[`#${attribute}`] = attribute;
      return `#${attribute}`;
    });
    clauses.push(`${path.join('.')} = :${filter}`);
    values[`:${filter}`] = value;
  }
  return { filter: clauses.length ? clauses.join(' AND ') : undefined, names, values };
}

/** Whether a request passes the list's filters (the breached list filters after reading the requests). */
export function matchesFilters(request: ServiceRequest, query: ServiceRequestListQuery): boolean {
  return (
    (query.type === undefined || request.type === query.type) &&
    (query.status === undefined || request.status === query.status) &&
    (query.priority === undefined || request.priority === query.priority) &&
    (query.product === undefined || request.productId === query.product) &&
    (query.department === undefined || request.department === query.department) &&
    (query.assignee === undefined || request.assignee?.userId === query.assignee)
  );
}

// ---- the SLA_OPEN index -----------------------------------------------------------------------

const DEADLINES_SCOPE = 'service-requests:sla-open';

/**
 * Requests with an unmet deadline before `before` (ISO instant), earliest first, from the
 * keys-only SLA_OPEN index. The cursor is opaque (signed); pass it back for the next ids.
 */
export async function openDeadlines(before: string, limit: number, cursor?: string): Promise<{ ids: string[]; nextCursor: string | null }> {
  const result: QueryCommandOutput = await db.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: 'gsi3',
      KeyConditionExpression: 'gsi3pk = :pk AND gsi3sk < :before',
      ExpressionAttributeValues: { ':pk': SLA_OPEN, ':before': before },
      // Not bound to `before`: a sweep may move its horizon between pages.
      ExclusiveStartKey: await decodeCursor(cursor, DEADLINES_SCOPE),
      Limit: limit,
    }),
  );
  const ids = (result.Items ?? []).map(idOfKey);
  return { ids, nextCursor: await encodeCursor(result.LastEvaluatedKey, DEADLINES_SCOPE) };
}

const idOfKey = (item: Item) => String(item.pk).slice('SERVICE_REQUEST#'.length);
const MAX_READS_PER_PAGE = 8;
const READ_BATCH = 100;

/**
 * Overdue requests (an unmet deadline before `now`), most overdue first, with the list's other
 * filters applied to the requests read back (the index holds keys only). Like `queryPage`: reads
 * on until the page is full or the read budget is spent; the cursor is the index key of the last
 * request returned, so nothing is skipped or repeated.
 */
export async function queryOverdue(query: ServiceRequestListQuery, now: string, scope: string): Promise<Page<ServiceRequest>> {
  let startKey = await decodeCursor(query.cursor, scope);
  const page: ServiceRequest[] = [];
  for (let reads = 0; reads < MAX_READS_PER_PAGE; reads++) {
    const result: QueryCommandOutput = await db.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'gsi3',
        KeyConditionExpression: 'gsi3pk = :pk AND gsi3sk < :before',
        ExpressionAttributeValues: { ':pk': SLA_OPEN, ':before': now },
        ExclusiveStartKey: startKey,
        Limit: READ_BATCH,
      }),
    );
    const keys = result.Items ?? [];
    const requests = new Map((await getServiceRequestRecords(keys.map(idOfKey))).map((request) => [request.id, request]));
    for (const [index, key] of keys.entries()) {
      const request = requests.get(idOfKey(key));
      // The index is eventually consistent: a request met or closed a moment ago is left out.
      const deadline = request ? openDeadlineOf(request) : undefined;
      if (!request || !deadline || deadline >= now || !matchesFilters(request, query)) continue;
      page.push(request);
      if (page.length === query.limit) {
        const more = result.LastEvaluatedKey !== undefined || index < keys.length - 1;
        return { items: page, nextCursor: more ? await encodeCursor(key, scope) : null };
      }
    }
    startKey = result.LastEvaluatedKey;
    if (!startKey) return { items: page, nextCursor: null };
  }
  return { items: page, nextCursor: await encodeCursor(startKey, scope) };
}

/** The requests of `ids`, in that order (missing ones left out): one BatchGet per 100. */
export async function getServiceRequestRecords(ids: readonly string[]): Promise<ServiceRequest[]> {
  return (await batchGetItems(ids.map(requestKey))).map(serviceRequestOfItem);
}
