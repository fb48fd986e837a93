import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../platform/db';
import type { Page } from '../platform/pagination';
import { queryAll, queryPage } from '../platform/query';
import type { IndexName } from '../platform/table-definition';
import { isConditionFailure, oldItemOf, transactWrite, type TransactItems } from '../platform/transact';
import type { Customer, CustomerListQuery, Feedback, FeedbackCount, FeedbackKind, FeedbackListQuery, FollowUp, Interaction } from './schema';
import { withoutKeys } from '../platform/items';
import { batchGetItems } from '../platform/batch';

/**
 * Keys of the customers module — the only place that knows them.
 *   customer        pk CUSTOMER#<id>   sk CUSTOMER
 *                   gsi1 CUSTOMERS / <name key>␁<id>                  (all customers, by name; name prefix)
 *                   gsi2 CUSTOMERS_REGION#<region key> / <name key>␁<id>
 *                   gsi3 CUSTOMERS_OWNER#<ownerRepId> / <name key>␁<id>  (keys only; only with an owner)
 *   segment entry   pk CUSTOMER#<id>   sk CUSTOMER_SEGMENT           (only with a segment: a full copy of
 *                   gsi1 CUSTOMERS_SEGMENT#<segment key> / <name key>␁<id>   the customer, same transaction)
 *   interaction     pk CUSTOMER#<id>   sk INTERACTION#<occurredAt>#<interactionId>
 *   follow-up       pk FOLLOWUP#<id>   sk FOLLOWUP
 *                   while open: gsi1 FOLLOWUPS_OPEN#<ownerRepId> / <dueOn>#<id>
 *                               gsi2 FOLLOWUPS_OPEN / <dueOn>#<id>
 *   feedback        pk FEEDBACK#<id>   sk FEEDBACK
 *                   gsi1 FEEDBACK / <receivedOn>#<id>
 *                   gsi2 FEEDBACK_P#<productId> / <receivedOn>#<id>
 *                   gsi3 FEEDBACK_K#<kind> / <receivedOn>#<id>          (keys only)
 *   feedback count  pk FEEDBACK_COUNTS#<yyyy-mm>   sk <kind>#<productId>   (ADD in the feedback's transaction)
 *
 * `CUSTOMER#<id>` / `PURCHASES…` belongs to the sales module (purchase history written at shipment).
 * Name, region and segment keys are `searchKey(value)`: case- and accent-insensitive.
 * `type` is the entity type of every item, so a customer's own type (business/consumer) is stored
 * as `customerType`.
 */
type Item = Record<string, unknown>;

const customerKey = (id: string) => ({ pk: `CUSTOMER#${id}`, sk: 'CUSTOMER' });
const segmentEntryKey = (id: string) => ({ pk: `CUSTOMER#${id}`, sk: 'CUSTOMER_SEGMENT' });
const INTERACTION_PREFIX = 'INTERACTION#';
const interactionKey = (interaction: Interaction) => ({ pk: `CUSTOMER#${interaction.customerId}`, sk: `${INTERACTION_PREFIX}${interaction.occurredAt}#${interaction.id}` });
const followUpKey = (id: string) => ({ pk: `FOLLOWUP#${id}`, sk: 'FOLLOWUP' });
const feedbackKey = (id: string) => ({ pk: `FEEDBACK#${id}`, sk: 'FEEDBACK' });
const feedbackCountKey = (month: string, kind: FeedbackKind, productId: string) => ({ pk: `FEEDBACK_COUNTS#${month}`, sk: `${kind}#${productId}` });

const OPEN_FOLLOW_UPS = 'FOLLOWUPS_OPEN';
const ALL_FEEDBACK = 'FEEDBACK';

/** Search form of a name, region or segment: accents dropped, lower case, single spaces, no control characters. */
export function searchKey(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/\p{Cc}/gu, '')
    .trim();
}

/**
 * Name sort keys are `<name key><U+0001><id>`: the separator sorts below every character a name
 * key can hold, so "acme" lists before "acme trading" and a prefix never matches into the id.
 */
const nameSortKey = (name: string, id: string) => `${searchKey(name)}\u0001${id}`;

const PRIVATE_ATTRIBUTES = ['segmentKey', 'customerType'] as const;

function strip<T>(item: Record<string, unknown>): T {
  return withoutKeys<T>(item, PRIVATE_ATTRIBUTES);
}

// ---- customers ------------------------------------------------------------------------------

/** The customer's fields as stored: its own type under `customerType`. */
function customerAttributes(customer: Customer): Item {
  const { type, ...rest } = customer;
  return { ...rest, customerType: type };
}

function toCustomer(item: Item): Customer {
  return { ...strip<Omit<Customer, 'type'>>(item), type: item.customerType as Customer['type'] };
}

function customerItem(customer: Customer): Item {
  const nameSort = nameSortKey(customer.name, customer.id);
  return {
    ...customerKey(customer.id),
    gsi1pk: 'CUSTOMERS',
    gsi1sk: nameSort,
    gsi2pk: `CUSTOMERS_REGION#${searchKey(customer.region)}`,
    gsi2sk: nameSort,
    ...(customer.ownerRepId ? { gsi3pk: `CUSTOMERS_OWNER#${customer.ownerRepId}`, gsi3sk: nameSort } : {}),
    ...customerAttributes(customer),
    type: 'Customer',
    ...(customer.segment ? { segmentKey: searchKey(customer.segment) } : {}),
  };
}

function segmentEntryItem(customer: Customer & { segment: string }): Item {
  return {
    ...segmentEntryKey(customer.id),
    gsi1pk: `CUSTOMERS_SEGMENT#${searchKey(customer.segment)}`,
    gsi1sk: nameSortKey(customer.name, customer.id),
    ...customerAttributes(customer),
    type: 'CustomerSegmentEntry',
  };
}

function hasSegment(customer: Customer): customer is Customer & { segment: string } {
  return customer.segment !== undefined;
}

/** The customer and, with a segment, its segment-index copy: one transaction. */
export async function insertCustomer(customer: Customer): Promise<void> {
  const items: TransactItems = [{ Put: { TableName: tableName, Item: customerItem(customer), ConditionExpression: 'attribute_not_exists(pk)' } }];
  if (hasSegment(customer)) items.push({ Put: { TableName: tableName, Item: segmentEntryItem(customer) } });
  await transactWrite(items, () => new Error(`customer id collision ${customer.id}`));
}

export async function getCustomerRecord(id: string): Promise<Customer | undefined> {
  const result = await db.send(new GetCommand({ TableName: tableName, Key: customerKey(id) }));
  return result.Item ? toCustomer(result.Item) : undefined;
}

/**
 * Replaces the customer if it is still at `previous.version`, rewriting every index key from the
 * new fields; the segment copy follows (rewritten, or deleted with the segment), in the same transaction.
 */
export async function replaceCustomer(next: Customer, previous: Customer, onLostUpdate: () => Error): Promise<void> {
  const items: TransactItems = [
    {
      Put: {
        TableName: tableName,
        Item: customerItem(next),
        ConditionExpression: 'version = :expected',
        ExpressionAttributeValues: { ':expected': previous.version },
      },
    },
  ];
  if (hasSegment(next)) items.push({ Put: { TableName: tableName, Item: segmentEntryItem(next) } });
  else if (previous.segment !== undefined) items.push({ Delete: { TableName: tableName, Key: segmentEntryKey(next.id) } });
  await transactWrite(items, onLostUpdate);
}

/**
 * One index key condition per search (never a Scan); the name prefix is a `begins_with` on any
 * of them. Region (gsi2) and segment (gsi1, the segment copies) carry full items, so the other
 * filters apply on top; the owner index (gsi3) holds keys only, and its page is read back by key.
 */
export async function queryCustomers(query: CustomerListQuery, scope: string): Promise<Page<Customer>> {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const filters: string[] = [];
  const filterOwner = () => {
    filters.push('#owner = :owner');
    names['#owner'] = 'ownerRepId';
    values[':owner'] = query.owner;
  };
  let index: IndexName;
  if (query.region !== undefined) {
    index = 'gsi2';
    values[':pk'] = `CUSTOMERS_REGION#${searchKey(query.region)}`;
    if (query.segment !== undefined) {
      filters.push('#segment = :segment');
      names['#segment'] = 'segmentKey';
      values[':segment'] = searchKey(query.segment);
    }
    if (query.owner !== undefined) filterOwner();
  } else if (query.segment !== undefined) {
    index = 'gsi1';
    values[':pk'] = `CUSTOMERS_SEGMENT#${searchKey(query.segment)}`;
    if (query.owner !== undefined) filterOwner();
  } else if (query.owner !== undefined) {
    index = 'gsi3';
    values[':pk'] = `CUSTOMERS_OWNER#${query.owner}`;
  } else {
    index = 'gsi1';
    values[':pk'] = 'CUSTOMERS';
  }
  let keyCondition = `${index}pk = :pk`;
  const prefix = query.name === undefined ? '' : searchKey(query.name);
  if (prefix) {
    keyCondition += ` AND begins_with(${index}sk, :name)`;
    values[':name'] = prefix;
  }
  const page = await queryPage(
    {
      index,
      keyCondition,
      values,
      names: Object.keys(names).length ? names : undefined,
      filter: filters.length ? filters.join(' AND ') : undefined,
      limit: query.limit,
      cursor: query.cursor,
      scope,
    },
    (item) => item,
  );
  if (index !== 'gsi3') return { items: page.items.map(toCustomer), nextCursor: page.nextCursor };
  // Keys only: read the customers; one whose owner changed since the index was written is left out.
  const customers = (await batchGetItems(page.items.map((item) => customerKey(String(item.pk).slice('CUSTOMER#'.length))))).map(toCustomer);
  return { items: customers.filter((customer) => customer.ownerRepId === query.owner), nextCursor: page.nextCursor };
}

// ---- interactions and follow-ups ------------------------------------------------------------

function followUpItem(followUp: FollowUp): Item {
  const dueSort = `${followUp.dueOn}#${followUp.id}`;
  const openKeys = followUp.status === 'open' ? { gsi1pk: `${OPEN_FOLLOW_UPS}#${followUp.ownerRepId}`, gsi1sk: dueSort, gsi2pk: OPEN_FOLLOW_UPS, gsi2sk: dueSort } : {};
  return { ...followUpKey(followUp.id), ...openKeys, type: 'FollowUp', ...followUp };
}

function followUpPut(followUp: FollowUp): TransactItems[number] {
  return { Put: { TableName: tableName, Item: followUpItem(followUp), ConditionExpression: 'attribute_not_exists(pk)' } };
}

/** The interaction and the follow-up planned with it: both or neither. */
export async function insertInteraction(interaction: Interaction, followUp: FollowUp | undefined): Promise<void> {
  const items: TransactItems = [
    { Put: { TableName: tableName, Item: { ...interactionKey(interaction), type: 'Interaction', ...interaction }, ConditionExpression: 'attribute_not_exists(pk)' } },
  ];
  if (followUp) items.push(followUpPut(followUp));
  await transactWrite(items, () => new Error(`interaction id collision ${interaction.id}`));
}

/** A customer's interactions, most recent first (the sort key starts with when it happened). */
export async function queryInteractions(customerId: string, limit: number, cursor: string | undefined, scope: string): Promise<Page<Interaction>> {
  return queryPage(
    {
      keyCondition: 'pk = :pk AND begins_with(sk, :prefix)',
      values: { ':pk': `CUSTOMER#${customerId}`, ':prefix': INTERACTION_PREFIX },
      newestFirst: true,
      limit,
      cursor,
      scope,
    },
    (item) => strip<Interaction>(item),
  );
}

export async function recentInteractions(customerId: string, limit: number): Promise<Interaction[]> {
  const result = await db.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': `CUSTOMER#${customerId}`, ':prefix': INTERACTION_PREFIX },
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  return (result.Items ?? []).map((item) => strip<Interaction>(item));
}

export async function insertFollowUp(followUp: FollowUp): Promise<void> {
  await transactWrite([followUpPut(followUp)], () => new Error(`follow-up id collision ${followUp.id}`));
}

export async function getFollowUpRecord(id: string): Promise<FollowUp | undefined> {
  const result = await db.send(new GetCommand({ TableName: tableName, Key: followUpKey(id) }));
  return result.Item ? strip<FollowUp>(result.Item) : undefined;
}

export type CompleteOutcome = { completed: FollowUp } | { missing: true } | { already: FollowUp };

/** Completes an open follow-up once and takes it off the to-do lists (its index keys go). */
export async function completeFollowUpRecord(id: string, at: string, by: string): Promise<CompleteOutcome> {
  try {
    const result = await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: followUpKey(id),
        UpdateExpression: 'SET #status = :completed, completedAt = :at, completedBy = :by, updatedAt = :at, updatedBy = :by ADD version :one REMOVE gsi1pk, gsi1sk, gsi2pk, gsi2sk',
        ConditionExpression: 'attribute_exists(pk) AND #status = :open',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':completed': 'completed', ':open': 'open', ':at': at, ':by': by, ':one': 1 },
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { completed: strip<FollowUp>(result.Attributes ?? {}) };
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const old = oldItemOf(error);
    return old ? { already: strip<FollowUp>(old) } : { missing: true };
  }
}

export interface DueRange {
  /** Inclusive bounds on the due day; either may be open. */
  from?: string;
  to?: string;
}

/** Open follow-ups, earliest due first: a rep's (gsi1) or everyone's (gsi2), within a due range. */
export async function queryOpenFollowUps(owner: string | undefined, due: DueRange, limit: number, cursor: string | undefined, scope: string): Promise<Page<FollowUp>> {
  const index: IndexName = owner ? 'gsi1' : 'gsi2';
  return queryPage(
    {
      index,
      keyCondition: `${index}pk = :pk AND ${index}sk BETWEEN :from AND :to`,
      values: { ':pk': owner ? `${OPEN_FOLLOW_UPS}#${owner}` : OPEN_FOLLOW_UPS, ...dayRange(due.from, due.to) },
      limit,
      cursor,
      scope,
    },
    (item) => strip<FollowUp>(item),
  );
}

/** Sort keys `<yyyy-mm-dd>#<ulid>` between two days, both inclusive. */
function dayRange(from: string | undefined, to: string | undefined): { ':from': string; ':to': string } {
  return { ':from': from ?? '0000-00-00', ':to': `${to ?? '9999-12-31'}#~` };
}

// ---- feedback -------------------------------------------------------------------------------

/** The feedback and its month's count by kind and product: one transaction. */
export async function insertFeedback(feedback: Feedback, month: string): Promise<void> {
  const daySort = `${feedback.receivedOn}#${feedback.id}`;
  await transactWrite(
    [
      {
        Put: {
          TableName: tableName,
          Item: {
            ...feedbackKey(feedback.id),
            gsi1pk: ALL_FEEDBACK,
            gsi1sk: daySort,
            gsi2pk: `FEEDBACK_P#${feedback.productId}`,
            gsi2sk: daySort,
            gsi3pk: `FEEDBACK_K#${feedback.kind}`,
            gsi3sk: daySort,
            type: 'Feedback',
            ...feedback,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Update: {
          TableName: tableName,
          Key: feedbackCountKey(month, feedback.kind, feedback.productId),
          UpdateExpression: 'SET #type = :type, #month = :month, #kind = :kind, #productId = :productId ADD #count :one',
          ExpressionAttributeNames: { '#type': 'type', '#month': 'month', '#kind': 'kind', '#productId': 'productId', '#count': 'count' },
          ExpressionAttributeValues: { ':type': 'FeedbackCount', ':month': month, ':kind': feedback.kind, ':productId': feedback.productId, ':one': 1 },
        },
      },
    ],
    () => new Error(`feedback id collision ${feedback.id}`),
  );
}

/**
 * Newest first, between company-local days: by product (gsi2, kind filtered on top), by kind
 * (gsi3, keys only, read back by key), or all (gsi1).
 */
export async function queryFeedback(query: FeedbackListQuery, scope: string): Promise<Page<Feedback>> {
  const byProduct = query.productId !== undefined;
  const byKind = !byProduct && query.kind !== undefined;
  const index: IndexName = byProduct ? 'gsi2' : byKind ? 'gsi3' : 'gsi1';
  const pk = byProduct ? `FEEDBACK_P#${query.productId}` : byKind ? `FEEDBACK_K#${query.kind}` : ALL_FEEDBACK;
  const kindFilter = byProduct && query.kind !== undefined;
  const page = await queryPage(
    {
      index,
      keyCondition: `${index}pk = :pk AND ${index}sk BETWEEN :from AND :to`,
      values: { ':pk': pk, ...dayRange(query.from, query.to), ...(kindFilter ? { ':kind': query.kind } : {}) },
      names: kindFilter ? { '#kind': 'kind' } : undefined,
      filter: kindFilter ? '#kind = :kind' : undefined,
      newestFirst: true,
      limit: query.limit,
      cursor: query.cursor,
      scope,
    },
    (item) => item,
  );
  const items = index === 'gsi3' ? await batchGetItems(page.items.map((item) => ({ pk: item.pk as string, sk: item.sk as string }))) : page.items;
  return { items: items.map((item) => strip<Feedback>(item)), nextCursor: page.nextCursor };
}

/** Every count of a month (kinds × products with feedback: a few hundred items at most). */
export async function queryFeedbackCounts(month: string): Promise<FeedbackCount[]> {
  const items = await queryAll({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `FEEDBACK_COUNTS#${month}` } });
  return items.map((item) => ({ kind: item.kind as FeedbackKind, productId: item.productId as string, count: item.count as number }));
}

// ---- shared ---------------------------------------------------------------------------------

