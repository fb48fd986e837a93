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
const daySort = (entry: Pick<IntelEntry, 'observedOn' | 'id'>) => `${entry.observedOn}#${entry.id}`;

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

/** Every item of an entry: the entry, its refs, its postings. */
export function itemsOf(stored: StoredEntry): Item[] {
  return [entryItem(stored), ...refsOf(stored.entry).map((ref) => refItem(stored.entry, ref)), ...stored.tokens.map((token) => postingItem(stored.entry, token))];
}
