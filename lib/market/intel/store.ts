import { GetCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { decodeCursor, encodeCursor } from '../../platform/cursor';
import { db, tableName } from '../../platform/db';
import { withoutKeys } from '../../platform/items';
import type { Page } from '../../platform/pagination';
import type { IndexName } from '../../platform/table-definition';
import { MAX_TRANSACTION_ACTIONS, transactWrite, type ConditionFailureMapper, type TransactItems } from '../../platform/transact';
import {
  countKey,
  entryItem,
  entryKey,
  listedItem,
  listedKey,
  monthOfDay,
  PRIVATE_ATTRIBUTES,
  postingItem,
  postingKey,
  REF_INDEX,
  refItem,
  refKey,
  refsOf,
  TOKEN_PREFIX,
  type Ref,
  type RefDimension,
  type StoredEntry,
} from './items';
import { intelListItem, type IntelEntry, type IntelKind, type IntelListItem } from './schema';
import { batchGetItems } from '../../platform/batch';

export type { RefDimension, StoredEntry } from './items';

/**
 * Keys of the market intelligence items — the only place that knows them.
 *   entry     pk INTEL#<id>   sk INTEL
 *             gsi1 INTEL / <observedOn>#<id>                       (all entries, newest first; day range)
 *             gsi2 INTEL_KIND#<kind> / <observedOn>#<id>
 *             gsi3 INTEL_IMPORTANCE#<1|2|3> / <observedOn>#<id>    (keys only)
 *             private: searchTokens (the entry's indexed tokens), authorUserId (who may edit a field report)
 *   ref       pk INTEL#<id>   sk REF#<P|C|T|R>#<value>             one per product, competitor, tag, region
 *             gsi1 INTEL_<PRODUCT|COMPETITOR|TAG|REGION>#<value> / <observedOn>#<id>
 *   posting   pk INTEL_TOKEN#<token>   sk <observedOn>#<id>         one per search token (tokens.ts)
 *   listed    pk INTEL_LISTED#<kind>#<yyyy-mm>   sk <importance>#<observedOn>#<id>
 *             only competitor moves and price changes (LISTED_KINDS): the monthly report's
 *             "most important first" is one Query, descending, with a Limit
 *   count     pk INTEL_COUNTS#<yyyy-mm>   sk <kind>#<importance>   { count }   ADD in the entry's
 *             transaction; an edit of kind, importance or the observed month moves 1 from the old
 *             counter to the new one, so the counts stay exact (entries are never deleted)
 * Refs and postings are small ({ entryId } and keys) and are written, moved and deleted in the
 * entry's own transaction; a list or search reads them newest first and fetches the entries
 * by key (BatchGet, the body left out). Fan-out per entry: ≤ 10 products + ≤ 10 competitors +
 * ≤ 10 tags + ≤ 1 region refs, ≤ MAX_ENTRY_TOKENS postings (docs/access-patterns.md).
 * The items themselves are built in items.ts (pure, shared with bench/market.ts).
 */
type Item = Record<string, unknown>;

function refPut(entry: IntelEntry, ref: Ref): TransactItems[number] {
  return { Put: { TableName: tableName, Item: refItem(entry, ref) } };
}

function postingPut(entry: IntelEntry, token: string): TransactItems[number] {
  return { Put: { TableName: tableName, Item: postingItem(entry, token) } };
}

/** The entry, its refs and postings, plus `extra` actions of other items (price point, figure): all or nothing. */
export async function insertEntry(stored: StoredEntry, extra: TransactItems, onExtraFailed: ConditionFailureMapper): Promise<void> {
  const { entry, tokens } = stored;
  const listed = listedItem(entry);
  const items: TransactItems = [
    { Put: { TableName: tableName, Item: entryItem(stored), ConditionExpression: 'attribute_not_exists(pk)' } },
    ...refsOf(entry).map((ref) => refPut(entry, ref)),
    ...tokens.map((token) => postingPut(entry, token)),
    ...(listed ? [{ Put: { TableName: tableName, Item: listed } }] : []),
    countAdd(entry, 1),
  ];
  const offset = items.length;
  items.push(...extra);
  await transactWrite(items, (index, old) => (index >= offset ? onExtraFailed(index - offset, old) : new Error(`market intel id collision ${entry.id}`)));
}

/** Actions of a replace, before `extra`: how many a change needs (the service bounds it). */
export function replaceActions(next: StoredEntry, previous: StoredEntry): TransactItems {
  const moved = next.entry.observedOn !== previous.entry.observedOn;
  const refId = (ref: Ref) => `${ref.dimension}\n${ref.value}`;
  const nextRefs = refsOf(next.entry);
  const previousRefs = refsOf(previous.entry);
  const nextRefIds = new Set(nextRefs.map(refId));
  const previousRefIds = new Set(previousRefs.map(refId));
  const nextTokens = new Set(next.tokens);
  const previousTokens = new Set(previous.tokens);
  return [
    {
      Put: {
        TableName: tableName,
        Item: entryItem(next),
        ConditionExpression: 'version = :expected',
        ExpressionAttributeValues: { ':expected': previous.entry.version },
      },
    },
    // A ref's key does not hold the day: a moved entry rewrites its refs in place.
    ...previousRefs.filter((ref) => !nextRefIds.has(refId(ref))).map((ref) => ({ Delete: { TableName: tableName, Key: refKey(previous.entry.id, ref.dimension, ref.value) } })),
    ...nextRefs.filter((ref) => moved || !previousRefIds.has(refId(ref))).map((ref) => refPut(next.entry, ref)),
    // A posting's key does: a moved entry deletes every old posting and writes every new one.
    ...previous.tokens
      .filter((token) => moved || !nextTokens.has(token))
      .map((token) => ({ Delete: { TableName: tableName, Key: postingKey(token, previous.entry.observedOn, previous.entry.id) } })),
    ...next.tokens.filter((token) => moved || !previousTokens.has(token)).map((token) => postingPut(next.entry, token)),
    ...listedMove(next.entry, previous.entry),
    ...countMove(next.entry, previous.entry),
  ];
}

type Counted = Pick<IntelEntry, 'kind' | 'importance' | 'observedOn'>;

function countAdd(entry: Counted, delta: 1 | -1): TransactItems[number] {
  const month = monthOfDay(entry.observedOn);
  return {
    Update: {
      TableName: tableName,
      Key: countKey(month, entry.kind, entry.importance),
      UpdateExpression: 'SET #type = :type, #month = :month, kind = :kind, importance = :importance ADD #count :delta',
      ExpressionAttributeNames: { '#type': 'type', '#month': 'month', '#count': 'count' },
      ExpressionAttributeValues: { ':type': 'MarketIntelCount', ':month': month, ':kind': entry.kind, ':importance': entry.importance, ':delta': delta },
    },
  };
}

/** Nothing when the counter is the same one; otherwise one off the old, one on the new (two distinct items). */
function countMove(next: Counted, previous: Counted): TransactItems {
  const same = next.kind === previous.kind && next.importance === previous.importance && monthOfDay(next.observedOn) === monthOfDay(previous.observedOn);
  return same ? [] : [countAdd(previous, -1), countAdd(next, 1)];
}

function listedMove(next: IntelEntry, previous: IntelEntry): TransactItems {
  const before = listedItem(previous);
  const after = listedItem(next);
  if (before && after && before.pk === after.pk && before.sk === after.sk) return [];
  return [
    ...(before ? [{ Delete: { TableName: tableName, Key: listedKey(previous) } }] : []),
    ...(after ? [{ Put: { TableName: tableName, Item: after } }] : []),
  ];
}

export const MAX_ACTIONS = MAX_TRANSACTION_ACTIONS;

/** Replaces the entry at its version read, with its index items, plus `extra`; index 0 failing is a lost update. */
export async function replaceEntry(actions: TransactItems, extra: TransactItems, onLostUpdate: () => Error, onExtraFailed: ConditionFailureMapper): Promise<void> {
  const offset = actions.length;
  await transactWrite([...actions, ...extra], (index, old) => (index >= offset ? onExtraFailed(index - offset, old) : onLostUpdate()));
}

export async function getEntryRecord(id: string): Promise<StoredEntry | undefined> {
  const result = await db.send(new GetCommand({ TableName: tableName, Key: entryKey(id) }));
  return result.Item ? toStored(result.Item) : undefined;
}

function toStored(item: Item): StoredEntry {
  return { entry: withoutKeys<IntelEntry>(item, PRIVATE_ATTRIBUTES), tokens: (item.searchTokens as string[] | undefined) ?? [], authorUserId: String(item.authorUserId ?? '') };
}

// ---- the month's counts and listed entries (the monthly report) ------------------------------

export interface IntelCount {
  kind: IntelKind;
  importance: number;
  count: number;
}

/** Every counter of a month: at most kinds × 3 items. */
export async function queryIntelCounts(month: string): Promise<IntelCount[]> {
  const counts: IntelCount[] = [];
  let startKey: Item | undefined;
  do {
    const result = await db.send(
      new QueryCommand({ TableName: tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `INTEL_COUNTS#${month}` }, ExclusiveStartKey: startKey, ConsistentRead: true }),
    );
    for (const item of result.Items ?? []) counts.push({ kind: item.kind as IntelKind, importance: Number(item.importance), count: Number(item.count ?? 0) });
    startKey = result.LastEvaluatedKey;
  } while (startKey);
  return counts;
}

/**
 * The `limit` most important entries of a listed kind observed in `month`, newest first within
 * an importance: one Query of at most `limit` listed items, then the entries by key (no body).
 */
export async function queryListed(kind: IntelKind, month: string, limit: number): Promise<IntelListItem[]> {
  const result = await db.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `INTEL_LISTED#${kind}#${month}` },
      ScanIndexForward: false,
      Limit: limit,
      ConsistentRead: true,
    }),
  );
  const ids = (result.Items ?? []).map((item) => String(item.entryId));
  const found = await candidatesById(ids);
  return ids.flatMap((id) => {
    const candidate = found.get(id);
    return candidate ? [candidate.item] : [];
  });
}

// ---- lists and search -------------------------------------------------------------------------

/** A list item and the tokens it is indexed under (to verify a search's other words). */
export interface Candidate {
  item: IntelListItem;
  tokens: string[];
}

/** Where a list reads its candidates from, newest first. */
export type CandidateSource =
  | { kind: 'all' }
  | { kind: 'kind'; value: string }
  | { kind: 'importance'; value: number }
  | { kind: 'ref'; dimension: RefDimension; value: string }
  | { kind: 'token'; token: string };

export interface DayRange {
  from?: string | undefined;
  to?: string | undefined;
}

/** Reads of the driving index per page: a page whose filters match little is short, the cursor moves on. */
const MAX_READS_PER_PAGE = 8;
const READ_BATCH = 100;

/** Every attribute of a list item, plus what `Candidate` needs: the body stays in the table. */
const LIST_ATTRIBUTES = [...Object.keys(intelListItem.shape), 'searchTokens'];
const LIST_PROJECTION = {
  ProjectionExpression: LIST_ATTRIBUTES.map((_, index) => `#a${index}`).join(', '),
  ExpressionAttributeNames: Object.fromEntries(LIST_ATTRIBUTES.map((name, index) => [`#a${index}`, name])),
};

function sourceQuery(source: CandidateSource): { index?: IndexName; pk: string; sk: string; value: string; fullItems: boolean } {
  switch (source.kind) {
    case 'all':
      return { index: 'gsi1', pk: 'gsi1pk', sk: 'gsi1sk', value: 'INTEL', fullItems: true };
    case 'kind':
      return { index: 'gsi2', pk: 'gsi2pk', sk: 'gsi2sk', value: `INTEL_KIND#${source.value}`, fullItems: true };
    case 'importance':
      return { index: 'gsi3', pk: 'gsi3pk', sk: 'gsi3sk', value: `INTEL_IMPORTANCE#${source.value}`, fullItems: false };
    case 'ref':
      return { index: 'gsi1', pk: 'gsi1pk', sk: 'gsi1sk', value: `${REF_INDEX[source.dimension]}#${source.value}`, fullItems: false };
    case 'token':
      return { pk: 'pk', sk: 'sk', value: `${TOKEN_PREFIX}${source.token}`, fullItems: false };
  }
}

/** Sort keys `<yyyy-mm-dd>#<ulid>` between two days, both inclusive. */
function dayBounds(range: DayRange): { ':from': string; ':to': string } {
  return { ':from': range.from ?? '0000-00-00', ':to': `${range.to ?? '9999-12-31'}#~` };
}

/**
 * One page of entries, newest first: reads the source index in order and keeps the candidates
 * `accept` takes (the other filters, a search's other words). The cursor is the source key of
 * the last candidate looked at, so nothing is skipped or repeated; `scope` binds it to the query.
 */
export async function candidatePage(
  source: CandidateSource,
  range: DayRange,
  accept: ((candidate: Candidate) => boolean) | undefined,
  limit: number,
  cursor: string | undefined,
  scope: string,
): Promise<Page<IntelListItem>> {
  const query = sourceQuery(source);
  const keyAttributes = ['pk', 'sk', ...(query.index ? [query.pk, query.sk] : [])];
  let startKey = await decodeCursor(cursor, scope);
  const found: IntelListItem[] = [];
  for (let reads = 0; reads < MAX_READS_PER_PAGE; reads++) {
    const input: QueryCommandInput = {
      TableName: tableName,
      IndexName: query.index,
      KeyConditionExpression: `#pk = :pk AND #sk BETWEEN :from AND :to`,
      ExpressionAttributeNames: { '#pk': query.pk, '#sk': query.sk },
      ExpressionAttributeValues: { ':pk': query.value, ...dayBounds(range) },
      ScanIndexForward: false,
      ExclusiveStartKey: startKey,
      Limit: accept ? READ_BATCH : limit - found.length,
    };
    if (query.fullItems) {
      input.ProjectionExpression = [...LIST_PROJECTION.ProjectionExpression.split(', '), ...keyAttributes.map((_, index) => `#k${index}`)].join(', ');
      input.ExpressionAttributeNames = { ...input.ExpressionAttributeNames, ...LIST_PROJECTION.ExpressionAttributeNames, ...Object.fromEntries(keyAttributes.map((name, index) => [`#k${index}`, name])) };
    }
    const result = await db.send(new QueryCommand(input));
    const rows = result.Items ?? [];
    const candidates = query.fullItems ? new Map(rows.map((row) => [String(row.id), toCandidate(row)])) : await candidatesById(rows.map((row) => String(row.entryId ?? idOfKey(row))));
    for (const [position, row] of rows.entries()) {
      // An index item whose entry is gone or moved since the read is skipped (a race with an edit).
      const candidate = candidates.get(String(row.id ?? row.entryId ?? idOfKey(row)));
      if (candidate && candidate.item.observedOn === String(row[query.sk]).slice(0, 10) && (!accept || accept(candidate))) found.push(candidate.item);
      if (found.length === limit) {
        const more = result.LastEvaluatedKey !== undefined || position < rows.length - 1;
        return { items: found, nextCursor: more ? await encodeCursor(pick(row, keyAttributes), scope) : null };
      }
    }
    startKey = result.LastEvaluatedKey;
    if (!startKey) return { items: found, nextCursor: null };
  }
  return { items: found, nextCursor: await encodeCursor(startKey, scope) };
}

/** The token a search cursor was reading (a later page keeps the list its first page chose). */
export async function tokenOfCursor(cursor: string, scope: string): Promise<string | undefined> {
  const key = await decodeCursor(cursor, scope);
  const pk = typeof key?.pk === 'string' ? key.pk : '';
  return pk.startsWith(TOKEN_PREFIX) ? pk.slice(TOKEN_PREFIX.length) : undefined;
}

/**
 * How many postings a token has, counted up to `cap` (a keys-only count, cheap: postings are a
 * few dozen bytes): enough to tell the rarest word of a query from the others.
 */
export async function postingCount(token: string, range: DayRange, cap: number): Promise<number> {
  const result = await db.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': `${TOKEN_PREFIX}${token}`, ...dayBounds(range) },
      Select: 'COUNT',
      Limit: cap,
    }),
  );
  return result.Count ?? 0;
}

function idOfKey(row: Item): string {
  // gsi3 (keys only) carries pk INTEL#<id>; refs and postings carry entryId.
  return String(row.pk).startsWith('INTEL#') ? String(row.pk).slice('INTEL#'.length) : String(row.sk).split('#').at(-1) ?? '';
}

function toCandidate(item: Item): Candidate {
  return { item: withoutKeys<IntelListItem>(item, PRIVATE_ATTRIBUTES), tokens: (item.searchTokens as string[] | undefined) ?? [] };
}

/** Entries by id, their bodies left out. */
async function candidatesById(ids: string[]): Promise<Map<string, Candidate>> {
  const items = await batchGetItems([...new Set(ids)].map(entryKey), { projection: LIST_PROJECTION });
  return new Map(items.map((item) => [String(item.id), toCandidate(item)]));
}

function pick(item: Item, keys: string[]): Item {
  return Object.fromEntries(keys.map((key) => [key, item[key]]));
}
