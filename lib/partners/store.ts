import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../platform/db';
import type { Page } from '../platform/pagination';
import { attributeFilter, queryPage } from '../platform/query';
import { transactWrite, type TransactItems } from '../platform/transact';
import { kindOfType, type Agreement, type Channel, type ChannelListQuery, type Evaluation, type Partner, type PartnerListQuery } from './schema';
import { withoutKeys } from '../platform/items';

/**
 * Keys of the channels-and-partners items — the only place that knows them.
 *   channel             pk CHANNEL#<id>          sk CHANNEL       (its type is kept as `channelType`:
 *                                                                     `type` names the item's entity)
 *                       gsi1 CHANNELS / <id>                      (all channels, creation order)
 *                       gsi2 CHANNELS#<kind> / <type>#<id>        (by kind; by type = begins_with)
 *   partner             pk PARTNER#<id>          sk PARTNER
 *                       gsi1 PARTNERS / <id>
 *                       gsi2 PARTNERS#<kind> / <id>
 *   agreement           pk PARTNER#<partnerId>   sk AGREEMENT#<id>
 *   agreement calendar  pk PARTNER#<partnerId>   sk AGREEMENT_CALENDAR
 *                       every agreement's { agreementId, from, to }, with a version: each write
 *                       of an agreement's period rewrites it conditionally, in the same
 *                       transaction, so two overlapping agreements can never both commit
 *   evaluation          pk PARTNER#<partnerId>   sk EVALUATION#<id>
 */
const channelKey = (id: string) => ({ pk: `CHANNEL#${id}`, sk: 'CHANNEL' });
const channelIndexKeys = (channel: Channel) => ({
  gsi1pk: 'CHANNELS',
  gsi1sk: channel.id,
  gsi2pk: `CHANNELS#${channel.kind}`,
  gsi2sk: `${channel.type}#${channel.id}`,
});
const partnerKey = (id: string) => ({ pk: `PARTNER#${id}`, sk: 'PARTNER' });
const partnerIndexKeys = (partner: Partner) => ({ gsi1pk: 'PARTNERS', gsi1sk: partner.id, gsi2pk: `PARTNERS#${partner.kind}`, gsi2sk: partner.id });
const AGREEMENT_PREFIX = 'AGREEMENT#';
const agreementKey = (partnerId: string, id: string) => ({ pk: `PARTNER#${partnerId}`, sk: `${AGREEMENT_PREFIX}${id}` });
const calendarKey = (partnerId: string) => ({ pk: `PARTNER#${partnerId}`, sk: 'AGREEMENT_CALENDAR' });
const EVALUATION_PREFIX = 'EVALUATION#';
const evaluationKey = (partnerId: string, id: string) => ({ pk: `PARTNER#${partnerId}`, sk: `${EVALUATION_PREFIX}${id}` });

async function getItem<T>(key: Record<string, string>, consistent = false): Promise<T | undefined> {
  const result = await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: consistent }));
  return result.Item ? withoutKeys<T>(result.Item) : undefined;
}

function conditionalPut(item: Record<string, unknown>, expectedVersion: number | undefined): TransactItems[number] {
  return expectedVersion === undefined
    ? { Put: { TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } }
    : { Put: { TableName: tableName, Item: item, ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': expectedVersion } } };
}

// ---- channels --------------------------------------------------------------------------------

function channelItem(channel: Channel): Record<string, unknown> {
  const { type: channelType, ...rest } = channel;
  return { ...channelKey(channel.id), ...channelIndexKeys(channel), ...rest, type: 'Channel', channelType };
}

function toChannel(item: Record<string, unknown>): Channel {
  const { channelType, ...rest } = withoutKeys<Record<string, unknown>>(item);
  return { ...rest, type: channelType } as Channel;
}

export async function insertChannel(channel: Channel): Promise<void> {
  await transactWrite([conditionalPut(channelItem(channel), undefined)], () => new Error(`channel id collision ${channel.id}`));
}

export async function getChannelRecord(id: string): Promise<Channel | undefined> {
  const result = await db.send(new GetCommand({ TableName: tableName, Key: channelKey(id) }));
  return result.Item ? toChannel(result.Item) : undefined;
}

export async function replaceChannel(channel: Channel, expectedVersion: number, onLostUpdate: () => Error): Promise<void> {
  await transactWrite([conditionalPut(channelItem(channel), expectedVersion)], onLostUpdate);
}

/** Kind (and type, as a sort-key prefix) through gsi2; partner and active are filters on top. */
export function queryChannels(query: ChannelListQuery, scope: string): Promise<Page<Channel>> {
  const where = attributeFilter([
    { attribute: 'partnerId', value: query.partnerId },
    { attribute: 'active', value: query.active },
  ]);
  const kind = query.kind ?? (query.type ? kindOfType(query.type) : undefined);
  const keyCondition = kind === undefined ? 'gsi1pk = :pk' : query.type ? 'gsi2pk = :pk AND begins_with(gsi2sk, :type)' : 'gsi2pk = :pk';
  const values = { ...where.values, ':pk': kind === undefined ? 'CHANNELS' : `CHANNELS#${kind}`, ...(query.type ? { ':type': `${query.type}#` } : {}) };
  return queryPage(
    {
      index: kind === undefined ? 'gsi1' : 'gsi2',
      keyCondition,
      values,
      names: where.names,
      filter: where.filter,
      newestFirst: true,
      limit: query.limit,
      cursor: query.cursor,
      scope,
    },
    toChannel,
  );
}

// ---- partners --------------------------------------------------------------------------------

export async function insertPartner(partner: Partner): Promise<void> {
  await transactWrite([conditionalPut({ ...partnerKey(partner.id), ...partnerIndexKeys(partner), type: 'Partner', ...partner }, undefined)], () => new Error(`partner id collision ${partner.id}`));
}

export function getPartnerRecord(id: string): Promise<Partner | undefined> {
  return getItem<Partner>(partnerKey(id));
}

export async function replacePartner(partner: Partner, expectedVersion: number, onLostUpdate: () => Error): Promise<void> {
  await transactWrite([conditionalPut({ ...partnerKey(partner.id), ...partnerIndexKeys(partner), type: 'Partner', ...partner }, expectedVersion)], onLostUpdate);
}

/** Kind through gsi2; region (a member of the list) and status are filters on top. */
export function queryPartners(query: PartnerListQuery, scope: string): Promise<Page<Partner>> {
  const where = attributeFilter([
    { attribute: 'regions', value: query.region, test: 'contains' },
    { attribute: 'status', value: query.status },
  ]);
  const byKind = query.kind !== undefined;
  return queryPage(
    {
      index: byKind ? 'gsi2' : 'gsi1',
      keyCondition: byKind ? 'gsi2pk = :pk' : 'gsi1pk = :pk',
      values: { ...where.values, ':pk': byKind ? `PARTNERS#${query.kind}` : 'PARTNERS' },
      names: where.names,
      filter: where.filter,
      newestFirst: true,
      limit: query.limit,
      cursor: query.cursor,
      scope,
    },
    (item) => withoutKeys<Partner>(item),
  );
}

// ---- agreements ------------------------------------------------------------------------------

export interface CalendarEntry {
  agreementId: string;
  from: string;
  to: string;
}

/** A partner's agreement periods; version 0 until its first agreement. */
export interface AgreementCalendar {
  entries: CalendarEntry[];
  version: number;
}

/** Strongly consistent: the overlap check must see the latest committed calendar. */
export async function getAgreementCalendar(partnerId: string): Promise<AgreementCalendar> {
  const item = await getItem<{ entries: CalendarEntry[]; version: number }>(calendarKey(partnerId), true);
  return item ? { entries: item.entries, version: item.version } : { entries: [], version: 0 };
}

function calendarPut(partnerId: string, entries: CalendarEntry[], expectedVersion: number): TransactItems[number] {
  const item = { ...calendarKey(partnerId), type: 'AgreementCalendar', partnerId, entries, version: expectedVersion + 1 };
  return conditionalPut(item, expectedVersion === 0 ? undefined : expectedVersion);
}

/**
 * The agreement and the calendar that includes it, in one transaction. The calendar's put is
 * conditional on the version the overlap check read: if another agreement of the partner was
 * written meanwhile, `onCalendarMoved` decides (the service re-reads and checks again).
 */
export async function insertAgreement(agreement: Agreement, calendar: AgreementCalendar, onCalendarMoved: () => Error): Promise<void> {
  const entries = [...calendar.entries, { agreementId: agreement.id, from: agreement.period.from, to: agreement.period.to }];
  await transactWrite(
    [
      conditionalPut({ ...agreementKey(agreement.partnerId, agreement.id), type: 'Agreement', ...agreement }, undefined),
      calendarPut(agreement.partnerId, entries, calendar.version),
    ],
    (index) => (index === 1 ? onCalendarMoved() : new Error(`agreement id collision ${agreement.id}`)),
  );
}

/**
 * Replaces the agreement if it is still at `expectedVersion`; when its period changes, the
 * calendar is rewritten in the same transaction, conditional on the version checked.
 */
export async function replaceAgreement(
  agreement: Agreement,
  expectedVersion: number,
  calendar: AgreementCalendar | undefined,
  onLostUpdate: () => Error,
  onCalendarMoved: () => Error,
): Promise<void> {
  const actions: TransactItems = [conditionalPut({ ...agreementKey(agreement.partnerId, agreement.id), type: 'Agreement', ...agreement }, expectedVersion)];
  if (calendar) {
    const entries = calendar.entries.map((entry) => (entry.agreementId === agreement.id ? { ...entry, from: agreement.period.from, to: agreement.period.to } : entry));
    actions.push(calendarPut(agreement.partnerId, entries, calendar.version));
  }
  await transactWrite(actions, (index) => (index === 1 ? onCalendarMoved() : onLostUpdate()));
}

export function getAgreementRecord(partnerId: string, id: string, consistent = false): Promise<Agreement | undefined> {
  return getItem<Agreement>(agreementKey(partnerId, id), consistent);
}

/** A partner's agreements, newest first (a partner signs a few a year). */
export function queryAgreements(partnerId: string, limit: number, cursor: string | undefined, scope: string): Promise<Page<Agreement>> {
  return queryPage(
    {
      keyCondition: 'pk = :pk AND begins_with(sk, :prefix)',
      values: { ':pk': `PARTNER#${partnerId}`, ':prefix': AGREEMENT_PREFIX },
      newestFirst: true,
      limit,
      cursor,
      scope,
    },
    (item) => withoutKeys<Agreement>(item),
  );
}

// ---- evaluations -----------------------------------------------------------------------------

export async function insertEvaluation(evaluation: Evaluation): Promise<void> {
  await transactWrite(
    [conditionalPut({ ...evaluationKey(evaluation.partnerId, evaluation.id), type: 'PartnerEvaluation', ...evaluation }, undefined)],
    () => new Error(`evaluation id collision ${evaluation.id}`),
  );
}

export function getEvaluationRecord(partnerId: string, id: string): Promise<Evaluation | undefined> {
  return getItem<Evaluation>(evaluationKey(partnerId, id));
}

export function queryEvaluations(partnerId: string, limit: number, cursor: string | undefined, scope: string): Promise<Page<Evaluation>> {
  return queryPage(
    {
      keyCondition: 'pk = :pk AND begins_with(sk, :prefix)',
      values: { ':pk': `PARTNER#${partnerId}`, ':prefix': EVALUATION_PREFIX },
      newestFirst: true,
      limit,
      cursor,
      scope,
    },
    (item) => withoutKeys<Evaluation>(item),
  );
}
