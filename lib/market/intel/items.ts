import type { IntelEntry } from './schema';

/**
 * The items of a market intelligence entry, as stored (keys documented in store.ts). Pure — no
 * client, no config — so that `bench/market.ts` bulk-writes exactly what the store writes.
 */
type Item = Record<string, unknown>;

export const REF_DIMENSIONS = { product: 'P', competitor: 'C', tag: 'T', region: 'R' } as const;
export type RefDimension = keyof typeof REF_DIMENSIONS;
export const REF_INDEX: Record<RefDimension, string> = { product: 'INTEL_PRODUCT', competitor: 'INTEL_COMPETITOR', tag: 'INTEL_TAG', region: 'INTEL_REGION' };
export const TOKEN_PREFIX = 'INTEL_TOKEN#';

export const entryKey = (id: string) => ({ pk: `INTEL#${id}`, sk: 'INTEL' });
export const refKey = (id: string, dimension: RefDimension, value: string) => ({ pk: `INTEL#${id}`, sk: `REF#${REF_DIMENSIONS[dimension]}#${value}` });
export const postingKey = (token: string, observedOn: string, id: string) => ({ pk: `${TOKEN_PREFIX}${token}`, sk: `${observedOn}#${id}` });
/** One counter per month, kind and importance: the month is the observed day's (already company-local). */
export const countKey = (month: string, kind: string, importance: number) => ({ pk: `INTEL_COUNTS#${month}`, sk: `${kind}#${importance}` });
/** Importance before the day, so a descending read gives the most important first, newest first within one. */
export const listedKey = (entry: Pick<IntelEntry, 'kind' | 'observedOn' | 'importance' | 'id'>) => ({
  pk: `INTEL_LISTED#${entry.kind}#${monthOfDay(entry.observedOn)}`,
  sk: `${entry.importance}#${entry.observedOn}#${entry.id}`,
});
const daySort = (entry: Pick<IntelEntry, 'observedOn' | 'id'>) => `${entry.observedOn}#${entry.id}`;

export const monthOfDay = (day: string) => day.slice(0, 7);

/**
 * Kinds the monthly report lists one by one (competitor moves, price changes); every other kind
 * it only counts. Their entries get a listed item so the month's most important are one bounded read.
 */
export const LISTED_KINDS: readonly IntelEntry['kind'][] = ['competitor-move', 'price-change'];

/** Attributes the store keeps for itself on the entry item. */
export const PRIVATE_ATTRIBUTES = ['searchTokens', 'authorUserId'] as const;

/** What the store keeps beside the entry's fields. */
export interface StoredEntry {
  entry: IntelEntry;
  tokens: string[];
  authorUserId: string;
}

export function entryItem({ entry, tokens, authorUserId }: StoredEntry): Item {
  const sort = daySort(entry);
  return {
    ...entryKey(entry.id),
    gsi1pk: 'INTEL',
    gsi1sk: sort,
    gsi2pk: `INTEL_KIND#${entry.kind}`,
    gsi2sk: sort,
    gsi3pk: `INTEL_IMPORTANCE#${entry.importance}`,
    gsi3sk: sort,
    type: 'MarketIntel',
    ...entry,
    searchTokens: tokens,
    authorUserId,
  };
}

export interface Ref {
  dimension: RefDimension;
  value: string;
}

export function refsOf(entry: IntelEntry): Ref[] {
  return [
    ...entry.productIds.map((value) => ({ dimension: 'product' as const, value })),
    ...entry.competitorIds.map((value) => ({ dimension: 'competitor' as const, value })),
    ...entry.tags.map((value) => ({ dimension: 'tag' as const, value })),
    ...(entry.region ? [{ dimension: 'region' as const, value: entry.region }] : []),
  ];
}

export function refItem(entry: IntelEntry, ref: Ref): Item {
  return { ...refKey(entry.id, ref.dimension, ref.value), gsi1pk: `${REF_INDEX[ref.dimension]}#${ref.value}`, gsi1sk: daySort(entry), type: 'MarketIntelRef', entryId: entry.id };
}

export function postingItem(entry: IntelEntry, token: string): Item {
  return { ...postingKey(token, entry.observedOn, entry.id), type: 'MarketIntelPosting', entryId: entry.id };
}

/** The entry's listed item (keys and the entry id only), for the kinds the monthly report lists. */
export function listedItem(entry: IntelEntry): Item | undefined {
  return LISTED_KINDS.includes(entry.kind) ? { ...listedKey(entry), type: 'MarketIntelListed', entryId: entry.id } : undefined;
}

/**
 * Every item of an entry: the entry, its refs, its postings, its listed item. The month's
 * counter is not among them: it is an `ADD` the store makes in the entry's transaction.
 */
export function itemsOf(stored: StoredEntry): Item[] {
  const listed = listedItem(stored.entry);
  return [
    entryItem(stored),
    ...refsOf(stored.entry).map((ref) => refItem(stored.entry, ref)),
    ...stored.tokens.map((token) => postingItem(stored.entry, token)),
    ...(listed ? [listed] : []),
  ];
}
