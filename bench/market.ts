/**
 * Market intelligence search for `npm run bench`:
 * `GET /market-intel/search?q=` p50/p99 with 1,000 and then 50,000 entries in the table.
 *
 * The entries are written in bulk (BatchWriteItem) — the very items the store writes for an
 * entry (`itemsOf` in lib/market/intel/items.ts: the entry, its refs and its token postings),
 * since 50,000 creates through the API would take most of an hour here. Their words follow a
 * realistic shape: each entry is about one of a few dozen topics (its words co-occur, as in real
 * reports) plus general words drawn with Zipf frequencies; an eighth are in Chinese. The query
 * mix is fixed: common and rarer single words, two and three words of one topic, an accented
 * word, a Chinese phrase. The point: the rarest word drives the read and a page needs the same
 * reads whether the table holds 1,000 or 50,000 entries (target p50 ratio ≤ 1.5).
 */
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ensureTable, localDynamoClient, startDynamoDbLocal } from '../infra/local/dynamodb';
import type { LocalStackState } from '../infra/local/state-file';
import { itemsOf, type StoredEntry } from '../lib/market/intel/items';
import type { IntelEntry, IntelKind } from '../lib/market/intel/schema';
import { entryTokens } from '../lib/market/intel/tokens';
import { newId } from '../lib/platform/ids';
import { bulkPut } from '../test/support/bulk-write';
import { seeded } from '../test/support/random';
import { httpCall, type Percentiles, percentiles, timeSequential } from './latency';

/** The table name the local stack uses by default. */
const TABLE_NAME = 'postlaunch';

export interface MarketStack {
  state: LocalStackState;
  headers: Record<string, string>;
  stop: () => Promise<void>;
}

export interface MarketFigures {
  search: Array<{ entries: number; figures: Percentiles }>;
  queries: readonly string[];
}

export const SEARCH_SIZES = [1_000, 50_000] as const;
const SEARCH_CALLS = 400;
const SEARCH_WARMUP = 100;

const TOPICS: ReadonlyArray<readonly string[]> = [
  ['price', 'discount', 'promotion', 'cut', 'retail', 'margin'],
  ['launch', 'unveils', 'flagship', 'model', 'release', 'preorder'],
  ['fingerprint', 'sensor', 'biometric', 'unlock', 'accuracy', 'spoofing'],
  ['battery', 'life', 'charging', 'usb', 'lithium', 'standby'],
  ['regulation', 'standard', 'certification', 'compliance', 'gb', 'ministry'],
  ['distributor', 'channel', 'dealer', 'wholesale', 'territory', 'rebate'],
  ['warranty', 'repair', 'service', 'replacement', 'complaint', 'response'],
  ['app', 'firmware', 'update', 'bluetooth', 'wifi', 'cloud'],
  ['hotel', 'rental', 'apartment', 'property', 'developer', 'estate'],
  ['export', 'europe', 'tariff', 'shipping', 'customs', 'overseas'],
  ['survey', 'consumers', 'satisfaction', 'preference', 'respondents', 'awareness'],
  ['security', 'vulnerability', 'hack', 'patch', 'researchers', 'disclosure'],
  ['design', 'finish', 'matte', 'aluminium', 'slim', 'handle'],
  ['forum', 'thread', 'users', 'reviews', 'ratings', 'stars'],
  ['trade', 'fair', 'booth', 'exhibition', 'canton', 'visitors'],
  ['supply', 'chip', 'shortage', 'lead', 'components', 'factory'],
];
const GENERAL = (
  'smart lock door home market company new year quarter sales growth report china customers brand product products ' +
  'company competitor competitors online offline stores city cities tier premium budget range share data analysts ' +
  'expected increase decrease strong weak demand season holiday singles day double eleven installation installers ' +
  'keypad code card nfc face recognition camera video doorbell hub voice assistant alexa xiaomi huawei integration'
).split(' ');
const CHINESE = ['智能门锁价格下调', '新品发布会', '指纹识别技术', '经销商渠道调整', '售后服务投诉', '行业报告显示增长'];

/** Fixed queries (all must match): common word, rarer word, topic pairs and triples, an accent, Chinese. */
export const SEARCH_QUERIES = ['lock', 'price', 'spoofing', 'price discount', 'battery charging', 'distributor rebate territory', 'fingerprint accuracy', 'Réglementation', '门锁价格', 'warranty repair'] as const;

const KINDS: IntelKind[] = ['competitor-move', 'price-change', 'product-launch', 'regulation', 'industry-report', 'customer-research', 'trend', 'sales-field-report', 'other'];

/** Zipf (s = 1) over the general words: the first few are in most entries, the last in few. */
function zipfPicker(next: () => number): () => string {
  const weights = GENERAL.map((_, rank) => 1 / (rank + 1));
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  return () => {
    let target = next() * total;
    for (const [index, weight] of weights.entries()) {
      target -= weight;
      if (target <= 0) return GENERAL[index] as string;
    }
    return GENERAL[GENERAL.length - 1] as string;
  };
}

/** The `index`-th bench entry, as the store would keep it. */
export function benchEntry(index: number, at: string): StoredEntry {
  const next = seeded(index + 1);
  const general = zipfPicker(next);
  const topic = TOPICS[index % TOPICS.length] as readonly string[];
  const pick = (words: readonly string[]) => words[Math.floor(next() * words.length)] as string;
  const words = (count: number) => Array.from({ length: count }, () => (next() < 0.5 ? pick(topic) : general())).join(' ');
  const chinese = index % 8 === 7;
  const title = chinese ? `${pick(CHINESE)} ${pick(topic)}` : `${words(5)}${index % 50 === 0 ? ' réglementation' : ''}`;
  const summary = chinese ? `${pick(CHINESE)}，${pick(CHINESE)}。${words(6)}` : words(10);
  const day = new Date(Date.UTC(2025, 0, 1) + (index % 700) * 86_400_000).toISOString().slice(0, 10);
  const entry: IntelEntry = {
    id: newId(),
    title,
    summary,
    kind: KINDS[index % KINDS.length] as IntelKind,
    source: { type: 'news', name: 'Bench wire' },
    observedOn: day,
    productIds: [],
    competitorIds: [],
    sentiment: 'neutral',
    importance: 1 + (index % 3),
    tags: [`topic-${index % TOPICS.length}`],
    attachments: [],
    version: 1,
    createdAt: at,
    createdBy: 'bench@example.com',
    updatedAt: at,
    updatedBy: 'bench@example.com',
  };
  return { entry, tokens: entryTokens(title, summary), authorUserId: 'bench' };
}

/**
 * Writes bench entries `from` … `to - 1` in bulk (BatchWriteItem, 25 items a call, 16 calls in
 * flight, unprocessed items retried): every item `itemsOf` gives, exactly as the store writes them.
 */
export async function seedIntelEntries(doc: DynamoDBDocumentClient, TableName: string, from: number, to: number): Promise<number> {
  const at = new Date().toISOString();
  const items = [];
  for (let index = from; index < to; index++) items.push(...itemsOf(benchEntry(index, at)));
  await bulkPut(doc, TableName, items);
  return items.length;
}

/**
 * Each size is loaded into an in-memory DynamoDB Local while no stack runs, then a stack starts
 * on it and the searches are timed. In memory, because its SQLite file takes over half an hour
 * for 50,000 entries (~700,000 items) here; with the stack stopped, because the stack's stream
 * poller would otherwise spend the two cores turning those items into events while the search
 * is timed — in AWS the stream consumer runs on Lambda capacity of its own. A stack started on an
 * existing table reads the stream from LATEST, so the bulk load never reaches it.
 */
export async function benchMarket(startStackOn: (dynamoEndpoint: string) => Promise<MarketStack>): Promise<MarketFigures> {
  const dynamo = await startDynamoDbLocal();
  const doc = DynamoDBDocumentClient.from(localDynamoClient(dynamo.endpoint), { marshallOptions: { removeUndefinedValues: true } });
  const search: MarketFigures['search'] = [];
  let loaded = 0;
  try {
    await ensureTable(dynamo.endpoint, TABLE_NAME);
    for (const entries of SEARCH_SIZES) {
      await seedIntelEntries(doc, TABLE_NAME, loaded, entries);
      loaded = entries;
      const stack = await startStackOn(dynamo.endpoint);
      try {
        const urls = SEARCH_QUERIES.map((q) => `${stack.state.apiUrl}/market-intel/search?q=${encodeURIComponent(q)}`);
        // The queries in turn, so each size sees the same mix.
        const samples = await timeSequential((index) => httpCall(urls[Math.abs(index) % urls.length] as string, 'GET', stack.headers, undefined, 200), SEARCH_CALLS, SEARCH_WARMUP);
        search.push({ entries, figures: percentiles(samples) });
      } finally {
        await stack.stop();
      }
    }
  } finally {
    doc.destroy();
    await dynamo.stop();
  }
  return { search, queries: SEARCH_QUERIES };
}
