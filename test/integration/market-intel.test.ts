import { randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { benchEntry, seedIntelEntries } from '../../bench/market';
import { localDynamoClient } from '../../infra/local/dynamodb';
import { createProduct } from '../../lib/catalog/service';
import { competitorCreate } from '../../lib/market/competitors/schema';
import { createCompetitor, getCompetitor, listCompetitors, updateCompetitor } from '../../lib/market/competitors/service';
import { competitorPage } from '../../lib/market/competitors/timeline';
import { marketChanges, MARKET_ALERT_RAISED } from '../../lib/market/events';
import { figureInput } from '../../lib/market/figures/schema';
import { listFigures, putFigure } from '../../lib/market/figures/service';
import { intelCreate, intelListQuery, intelPatch, intelSearchQuery, type IntelCreate, type IntelEntry, type IntelListQuery } from '../../lib/market/intel/schema';
import { createIntel, getIntel, listIntel, searchIntel, updateIntel } from '../../lib/market/intel/service';
import { entryTokens, tokenize } from '../../lib/market/intel/tokens';
import type { ItemChange } from '../../lib/platform/changes';
import { ConflictError, ForbiddenError, PreconditionFailedError, ValidationError } from '../../lib/platform/errors';
import { parseInput } from '../../lib/platform/http/validation';
import { aCompetitor, anActor, anIntelEntry, aProduct, fixedClock, testContext } from '../support/factories';

const market = anActor(['market'], { email: 'market@example.com', userId: 'user-market' });
const salesRep = anActor(['sales'], { email: 'rep@example.com', userId: 'user-rep' });
const otherRep = anActor(['sales'], { email: 'rep2@example.com', userId: 'user-rep2' });
const context = () => testContext(fixedClock('2026-11-27T08:00:00Z'));

/** A word no other test uses: one search token. */
const word = () => `zq${randomUUID().replace(/-/g, '').slice(0, 10)}`;

function record(overrides: Partial<IntelCreate> = {}, actor = market): Promise<IntelEntry> {
  return createIntel(context(), actor, intelCreate.parse(anIntelEntry(overrides)));
}

const ids = (page: { items: Array<{ id: string }> }) => page.items.map((item) => item.id);
const list = async (query: Partial<IntelListQuery>) => ids(await listIntel(parseInput(intelListQuery, 'query', { limit: 100, ...query })));
const search = async (q: string, extra: Record<string, unknown> = {}) => ids(await searchIntel(parseInput(intelSearchQuery, 'query', { q, limit: 100, ...extra })));

async function newProductId(overrides = {}): Promise<string> {
  return (await createProduct(context(), anActor(['production']), aProduct(overrides))).id;
}
async function newCompetitorId(overrides = {}): Promise<string> {
  return (await createCompetitor(context(), market, competitorCreate.parse(aCompetitor(overrides)))).id;
}

function pathsOf(attempt: () => unknown): string[] {
  try {
    attempt();
  } catch (error) {
    if (error instanceof ValidationError) return error.errors.map((e) => e.path).sort();
    throw error;
  }
  throw new Error('expected a ValidationError');
}

async function rejected(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('market intel: tokens', () => {
  it('folds case and accents, splits on punctuation, drops stop words, and pairs CJK characters', () => {
    expect(tokenize('The Préis-Kampf of 2026: Café & SMART locks!')).toEqual(['preis', 'kampf', '2026', 'cafe', 'smart', 'locks']);
    expect(tokenize('智能门锁价格')).toEqual(['智能', '能门', '门锁', '锁价', '价格']);
    expect(tokenize('S2智能锁')).toEqual(['s2', '智能', '能锁']);
    expect(tokenize('the of and a')).toEqual([]);
  });

  it('indexes at most 32 tokens an entry, the title’s first', () => {
    const tokens = entryTokens('alpha beta', Array.from({ length: 60 }, (_, index) => `w${index}x`).join(' '));
    expect(tokens).toHaveLength(32);
    expect(tokens.slice(0, 2)).toEqual(['alpha', 'beta']);
  });
});

describe('market intel: record and read', () => {
  it('stores every field with defaults, version 1 and audit fields, and keeps the index attributes private', async () => {
    const productId = await newProductId();
    const competitorId = await newCompetitorId();
    const entry = await record({
      body: 'Long text '.repeat(100),
      productIds: [productId],
      competitorIds: [competitorId],
      region: 'east-china',
      tags: ['Pricing', 'q4'],
      figures: { marketSize: { value: 1_200_000, unit: 'units' }, growthRatePercent: 12.5, sharePercent: 18.25, period: '2026' },
      attachments: [{ name: 'report.pdf', contentType: 'application/pdf', sizeBytes: 1024 }],
    });
    expect(entry).toMatchObject({ version: 1, createdBy: 'market@example.com', tags: ['pricing', 'q4'], sentiment: 'opportunity', importance: 1 });
    expect(entry.alertedAt).toBeUndefined();
    const read = await getIntel(entry.id);
    expect(read).toEqual(entry);
    expect(read).not.toHaveProperty('searchTokens');
    expect(read).not.toHaveProperty('authorUserId');
    const listed = (await listIntel(parseInput(intelListQuery, 'query', { tag: 'pricing' }))).items;
    expect(listed.map((item) => item.id)).toEqual([entry.id]);
    expect(listed[0]).not.toHaveProperty('body');
    expect(listed[0]).not.toHaveProperty('searchTokens');
  });

  it('rejects bad input at the schema: unknown kind, shares over 100 %, a body over the bound, too many tags', () => {
    expect(pathsOf(() => parseInput(intelCreate, 'body', anIntelEntry({ kind: 'gossip' as never })))).toEqual(['$.body.kind']);
    expect(pathsOf(() => parseInput(intelCreate, 'body', anIntelEntry({ figures: { sharePercent: 100.5, period: '2026' } })))).toEqual(['$.body.figures.sharePercent']);
    expect(pathsOf(() => parseInput(intelCreate, 'body', anIntelEntry({ body: 'x'.repeat(20_001) })))).toEqual(['$.body.body']);
    expect(pathsOf(() => parseInput(intelCreate, 'body', anIntelEntry({ tags: Array.from({ length: 11 }, (_, index) => `t${index}`) })))).toEqual(['$.body.tags']);
    expect(pathsOf(() => parseInput(intelCreate, 'body', anIntelEntry({ importance: 4 })))).toEqual(['$.body.importance']);
    expect(pathsOf(() => parseInput(intelCreate, 'body', { ...anIntelEntry(), secret: 1 })))
      .toEqual(['$.body.secret']);
  });

  it('writes nothing when a product or competitor is unknown, the day is in the future, or a price is on the wrong kind', async () => {
    const tag = word();
    const unknown = '01JZZZZZZZZZZZZZZZZZZZZZZZ';
    const competitorId = await newCompetitorId();
    const cases: Array<[Partial<IntelCreate>, string[]]> = [
      [{ productIds: [unknown] }, ['$.body.productIds[0]']],
      [{ competitorIds: [competitorId, unknown] }, ['$.body.competitorIds[1]']],
      [{ observedOn: '2026-11-29' }, ['$.body.observedOn']],
      [{ kind: 'trend', competitorIds: [competitorId], price: { amount: { amount: 99_900, currency: 'CNY' } } }, ['$.body.price']],
      [{ kind: 'price-change', price: { amount: { amount: 99_900, currency: 'CNY' } } }, ['$.body.price.competitorId']],
    ];
    for (const [overrides, paths] of cases) {
      const error = await rejected(record({ ...overrides, tags: [tag] }));
      expect(error, JSON.stringify(overrides)).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).errors.map((e) => e.path)).toEqual(paths);
    }
    expect(await list({ tag })).toEqual([]);
    expect((await competitorPage(competitorId)).pricePoints).toEqual([]);
  });
});

describe('market intel: roles', () => {
  it('lets sales record field reports only, and edit only their own', async () => {
    const tag = word();
    expect(await rejected(record({ kind: 'competitor-move', tags: [tag] }, salesRep))).toBeInstanceOf(ForbiddenError);
    const report = await record({ kind: 'sales-field-report', source: { type: 'sales-field-report', name: 'Visit to Hangzhou dealer' }, tags: [tag] }, salesRep);
    expect(await list({ tag })).toEqual([report.id]);

    const edited = await updateIntel(context(), salesRep, report.id, intelPatch.parse({ importance: 2 }), 1);
    expect(edited.importance).toBe(2);
    expect(await rejected(updateIntel(context(), otherRep, report.id, intelPatch.parse({ importance: 3 }), undefined))).toBeInstanceOf(ForbiddenError);
    expect(await rejected(updateIntel(context(), salesRep, report.id, intelPatch.parse({ kind: 'trend' }), undefined))).toBeInstanceOf(ForbiddenError);
    const byMarket = await record({ tags: [tag] });
    expect(await rejected(updateIntel(context(), salesRep, byMarket.id, intelPatch.parse({ importance: 2 }), undefined))).toBeInstanceOf(ForbiddenError);
    // market edits anyone's.
    expect((await updateIntel(context(), market, report.id, intelPatch.parse({ importance: 1 }), undefined)).version).toBe(3);
  });
});

describe('market intel: lists', () => {
  it('filters by kind, product, competitor, region, tag, day range and importance through their indexes, newest first', async () => {
    const tag = word();
    const [p1, p2] = await Promise.all([newProductId(), newProductId()]);
    const [c1, c2] = await Promise.all([newCompetitorId(), newCompetitorId()]);
    // A year nobody else uses, so the unfiltered, kind and importance lists are this test's.
    const a = await record({ observedOn: '2019-03-01', kind: 'trend', productIds: [p1], competitorIds: [c1], region: 'zz-north', tags: [tag, 'alpha'], importance: 1 });
    const b = await record({ observedOn: '2019-05-01', kind: 'competitor-move', productIds: [p1, p2], competitorIds: [c2], region: 'zz-south', tags: [tag], importance: 2 });
    const c = await record({ observedOn: '2019-04-01', kind: 'trend', productIds: [p2], competitorIds: [c1, c2], tags: ['alpha'], importance: 2 });
    const year = { from: '2019-01-01', to: '2019-12-31' };

    expect(await list(year)).toEqual([b.id, c.id, a.id]);
    expect(await list({ ...year, kind: 'trend' })).toEqual([c.id, a.id]);
    expect(await list({ productId: p1 })).toEqual([b.id, a.id]);
    expect(await list({ productId: p2 })).toEqual([b.id, c.id]);
    expect(await list({ competitorId: c1 })).toEqual([c.id, a.id]);
    expect(await list({ competitorId: c2 })).toEqual([b.id, c.id]);
    expect(await list({ region: 'zz-north' })).toEqual([a.id]);
    expect(await list({ tag })).toEqual([b.id, a.id]);
    expect(await list({ ...year, importance: 2 })).toEqual([b.id, c.id]);
    expect(await list({ competitorId: c1, from: '2019-03-15', to: '2019-04-30' })).toEqual([c.id]);
    // Several filters: the first drives the index, the others are checked on the entries.
    expect(await list({ competitorId: c2, productId: p1 })).toEqual([b.id]);
    expect(await list({ tag, kind: 'trend', importance: 1 })).toEqual([a.id]);
    expect(await list({ productId: p2, region: 'zz-south', tag })).toEqual([b.id]);
  });

  it('pages through a filter without skipping or repeating, newest first', async () => {
    const tag = word();
    const created: string[] = [];
    for (const day of ['2026-01-05', '2026-01-04', '2026-01-03', '2026-01-02', '2026-01-01']) created.push((await record({ observedOn: day, tags: [tag] })).id);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listIntel(parseInput(intelListQuery, 'query', { tag, limit: 2, ...(cursor ? { cursor } : {}) }));
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...ids(page));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(created);
  });
});

describe('market intel: search', () => {
  it('finds entries by one word and by several (all must match), accents and case ignored', async () => {
    const [w1, w2, w3] = [word(), word(), word()];
    const a = await record({ title: `Rival ${w1} cuts prices`, summary: `Déjà vu: ${w2} again.`, observedOn: '2026-10-01' });
    const b = await record({ title: `${w1.toUpperCase()} launches`, summary: 'A keypad model.', observedOn: '2026-10-02' });
    const c = await record({ title: `Nothing about it ${w3}`, summary: `Only ${w2}.`, observedOn: '2026-10-03' });

    expect(await search(w1)).toEqual([b.id, a.id]);
    expect(await search(`${w1} ${w2}`)).toEqual([a.id]);
    expect(await search(`${w2}, ${w1}!`)).toEqual([a.id]);
    expect(await search(`${w2} ${w3}`)).toEqual([c.id]);
    expect(await search(`${w1} ${w3}`)).toEqual([]);
    expect(await search(`deja ${w2}`)).toEqual([a.id]);
    expect(await search(`DÉJÀ ${w2}`)).toEqual([a.id]);
    expect(await search(`${w1} ${word()}`)).toEqual([]);
    // With list filters on top, and within a day range.
    expect(await search(w2, { from: '2026-10-02' })).toEqual([c.id]);
    expect(await search(w1, { kind: 'industry-report', to: '2026-10-01' })).toEqual([a.id]);
  });

  it('finds Chinese text by character pairs', async () => {
    const marker = word();
    const entry = await record({ title: `竞争对手智能门锁价格下调 ${marker}`, summary: '经销商反馈，降价幅度约百分之十。' });
    expect(await search(`门锁价格 ${marker}`)).toEqual([entry.id]);
    expect(await search(`经销商 ${marker}`)).toEqual([entry.id]);
    expect(await search(`门锁涨价 ${marker}`)).toEqual([]);
  });

  it('refuses a query of stop words only', async () => {
    expect(await rejected(search('the of and'))).toBeInstanceOf(ValidationError);
  });

  it('rewrites the tokens on an edit: the old words no longer find the entry, the new ones do, on its new day too', async () => {
    const [old, kept, fresh] = [word(), word(), word()];
    const entry = await record({ title: `${old} ${kept}`, observedOn: '2026-09-01' });
    const edited = await updateIntel(context(), market, entry.id, intelPatch.parse({ title: `${fresh} ${kept}`, observedOn: '2026-09-15' }), 1);
    expect(edited.version).toBe(2);
    expect(await search(old)).toEqual([]);
    expect(await search(fresh)).toEqual([entry.id]);
    expect(await search(kept, { from: '2026-09-10' })).toEqual([entry.id]);
    expect(await search(kept, { to: '2026-09-10' })).toEqual([]);
  });

  it('pages through the postings of the rarest word, newest first, verifying the other words', async () => {
    const [common, rare] = [word(), word()];
    const expected: string[] = [];
    for (let day = 1; day <= 12; day++) {
      const both = day % 2 === 0;
      const entry = await record({ title: `${common}${both ? ` ${rare}` : ''} report`, observedOn: `2026-08-${String(day).padStart(2, '0')}` });
      if (both) expected.unshift(entry.id);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await searchIntel(parseInput(intelSearchQuery, 'query', { q: `${common} ${rare}`, limit: 4, ...(cursor ? { cursor } : {}) }));
      seen.push(...ids(page));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(expected);
  });

  it('finds what the bench seeding writes (the same items as the store)', async () => {
    const client = localDynamoClient(process.env.DYNAMODB_ENDPOINT as string);
    const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    try {
      const written = await seedIntelEntries(doc, process.env.TABLE_NAME as string, 100_000, 100_016);
      const sample = benchEntry(100_003, new Date().toISOString());
      expect(written).toBeGreaterThan(16);
      const postings = await doc.send(new QueryCommand({ TableName: process.env.TABLE_NAME, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `INTEL_TOKEN#${sample.tokens[0]}` } }));
      expect(postings.Items?.length).toBeGreaterThan(0);
      const found = await searchIntel(parseInput(intelSearchQuery, 'query', { q: sample.tokens.slice(0, 2).join(' '), tag: sample.entry.tags[0], limit: 100 }));
      expect(found.items.length).toBeGreaterThan(0);
      expect(found.items.every((item) => item.tags.includes(sample.entry.tags[0] as string))).toBe(true);
    } finally {
      doc.destroy();
    }
  });
});

describe('market intel: edits', () => {
  it('answers 412 to a stale If-Match and changes nothing', async () => {
    const entry = await record();
    await updateIntel(context(), market, entry.id, intelPatch.parse({ importance: 2 }), 1);
    expect(await rejected(updateIntel(context(), market, entry.id, intelPatch.parse({ importance: 3 }), 1))).toBeInstanceOf(PreconditionFailedError);
    expect((await getIntel(entry.id)).importance).toBe(2);
  });

  it('moves the refs with the entry: removed products and tags no longer list it', async () => {
    const [p1, p2] = await Promise.all([newProductId(), newProductId()]);
    const [t1, t2] = [word(), word()];
    const entry = await record({ productIds: [p1], tags: [t1] });
    await updateIntel(context(), market, entry.id, intelPatch.parse({ productIds: [p2], tags: [t2], region: 'zz-west' }), undefined);
    expect(await list({ productId: p1 })).toEqual([]);
    expect(await list({ tag: t1 })).toEqual([]);
    expect(await list({ productId: p2 })).toEqual([entry.id]);
    expect(await list({ tag: t2, region: 'zz-west' })).toEqual([entry.id]);
    await updateIntel(context(), market, entry.id, intelPatch.parse({ region: null }), undefined);
    expect(await list({ region: 'zz-west' })).toEqual([]);
  });

  it('fits every full entry’s move in one transaction, and refuses with 400 an edit that would need more than 100 writes', async () => {
    const many = (count: number, make: () => Promise<string>) => Promise.all(Array.from({ length: count }, make));
    const [products, competitors, otherProducts, otherCompetitors] = await Promise.all([many(10, newProductId), many(10, newCompetitorId), many(10, newProductId), many(10, newCompetitorId)]);
    const words = (count: number) => Array.from({ length: count }, word).join(' ');
    const tags = Array.from({ length: 10 }, word);
    const entry = await record({ title: words(8), summary: words(30), productIds: products, competitorIds: competitors, tags, region: 'zz-full' });
    // A new day moves 32 postings and rewrites 31 refs: 1 + 31 + 64 = 96 writes.
    const moved = await updateIntel(context(), market, entry.id, intelPatch.parse({ observedOn: '2026-11-21' }), 1);
    expect(moved.version).toBe(2);
    const everything = intelPatch.parse({ observedOn: '2026-11-22', title: words(8), summary: words(30), productIds: otherProducts, competitorIds: otherCompetitors, tags: Array.from({ length: 10 }, word), region: 'zz-else' });
    const error = await rejected(updateIntel(context(), market, entry.id, everything, 2));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toMatch(/limit is 100/);
    expect(await getIntel(entry.id)).toEqual(moved);
  });

  it('marks the entry for the importance-3 email once: on creation or when an edit raises it, never again', async () => {
    const competitorId = await newCompetitorId();
    const raised = await record({ kind: 'competitor-move', competitorIds: [competitorId], importance: 2 });
    expect(raised.alertedAt).toBeUndefined();
    const up = await updateIntel(context(), market, raised.id, intelPatch.parse({ importance: 3 }), undefined);
    expect(up.alertedAt).toBe('2026-11-27T08:00:00.000Z');
    const down = await updateIntel(testContext(fixedClock('2026-11-27T09:00:00Z')), market, raised.id, intelPatch.parse({ importance: 1 }), undefined);
    const again = await updateIntel(testContext(fixedClock('2026-11-27T10:00:00Z')), market, raised.id, intelPatch.parse({ importance: 3 }), undefined);
    expect([down.alertedAt, again.alertedAt]).toEqual([up.alertedAt, up.alertedAt]);
    expect((await record({ kind: 'price-change', importance: 3 })).alertedAt).toBeDefined();
    expect((await record({ kind: 'trend', importance: 3 })).alertedAt).toBeUndefined();
  });
});

describe('market intel: the change path', () => {
  const change = (oldItem: Record<string, unknown> | undefined, newItem: Record<string, unknown> | undefined): ItemChange => ({
    recordId: randomUUID(),
    kind: oldItem ? 'MODIFY' : 'INSERT',
    oldItem,
    newItem,
    committedAt: '2026-11-27T08:00:00.000Z',
  });
  const item = (fields: Record<string, unknown>) => ({ pk: 'INTEL#X', sk: 'INTEL', type: 'MarketIntel', ...anIntelEntry(), id: 'X', searchTokens: ['a'], authorUserId: 'u', body: 'long', ...fields });

  it('raises MarketAlertRaised when a write sets alertedAt, and only then', () => {
    const [event] = marketChanges(change(undefined, item({ alertedAt: '2026-11-27T08:00:00.000Z' })));
    expect(event?.metadata.type).toBe(MARKET_ALERT_RAISED);
    expect(event?.data).toMatchObject({ entry: { id: 'X' } });
    expect(event?.data).not.toHaveProperty('entry.body');
    expect(event?.data).not.toHaveProperty('entry.searchTokens');
    expect(marketChanges(change(item({ alertedAt: 'then' }), item({ alertedAt: 'then', importance: 1 })))).toEqual([]);
    expect(marketChanges(change(undefined, item({})))).toEqual([]);
    expect(marketChanges(change(undefined, { ...item({ alertedAt: 'x' }), sk: 'REF#T#x', type: 'MarketIntelRef' }))).toEqual([]);
  });
});

describe('competitors', () => {
  it('keeps names unique whatever the case or accents, and a rename frees the old name', async () => {
    const name = `Lockçraft ${randomUUID().slice(0, 6)}`;
    const competitor = await createCompetitor(context(), market, competitorCreate.parse(aCompetitor({ name })));
    expect(await rejected(createCompetitor(context(), market, competitorCreate.parse(aCompetitor({ name: name.toUpperCase().replace('Ç', 'C') }))))).toBeInstanceOf(ConflictError);
    const renamed = await updateCompetitor(context(), market, competitor.id, { name: `${name} Group` }, 1);
    expect(renamed.version).toBe(2);
    expect((await createCompetitor(context(), market, competitorCreate.parse(aCompetitor({ name })))).name).toBe(name);
    expect(await rejected(updateCompetitor(context(), market, competitor.id, { strengths: ['x'] }, 1))).toBeInstanceOf(PreconditionFailedError);
    const listed = await listCompetitors({ name: name.slice(0, 10).toLowerCase(), limit: 10 });
    expect(listed.items.map((item) => item.name).sort()).toEqual([name, `${name} Group`].sort());
  });

  it('maps their products to ours, which must exist', async () => {
    const productId = await newProductId();
    const competitor = await createCompetitor(context(), market, competitorCreate.parse(aCompetitor({ products: [{ name: 'Vision X', competesWith: [productId] }] })));
    expect((await getCompetitor(competitor.id)).products).toEqual([{ name: 'Vision X', competesWith: [productId] }]);
    const error = await rejected(createCompetitor(context(), market, competitorCreate.parse(aCompetitor({ products: [{ name: 'Ghost', competesWith: ['01JZZZZZZZZZZZZZZZZZZZZZZZ'] }] }))));
    expect((error as ValidationError).errors.map((e) => e.path)).toEqual(['$.body.products[0].competesWith[0]']);
  });

  it('appends a price point from each price-change entry in its transaction, and shows the timeline newest first', async () => {
    const competitorId = await newCompetitorId();
    const first = await record({ kind: 'price-change', competitorIds: [competitorId], observedOn: '2026-10-01', price: { amount: { amount: 129_900, currency: 'CNY' }, competitorProduct: 'Vision X' } });
    const second = await record({ kind: 'price-change', competitorIds: [competitorId], observedOn: '2026-11-01', region: 'east-china', price: { amount: { amount: 109_900, currency: 'CNY' } } });
    const move = await record({ kind: 'competitor-move', competitorIds: [competitorId], observedOn: '2026-10-15' });
    let page = await competitorPage(competitorId);
    expect(page.pricePoints).toEqual([
      { competitorId, entryId: second.id, observedOn: '2026-11-01', amount: { amount: 109_900, currency: 'CNY' }, region: 'east-china' },
      { competitorId, entryId: first.id, observedOn: '2026-10-01', amount: { amount: 129_900, currency: 'CNY' }, competitorProduct: 'Vision X' },
    ]);
    expect(page.timeline.items.map((item) => item.id)).toEqual([second.id, move.id, first.id]);

    // A corrected price and day move the point; dropping the price removes it.
    await updateIntel(context(), market, first.id, intelPatch.parse({ observedOn: '2026-10-02', price: { amount: { amount: 119_900, currency: 'CNY' } } }), undefined);
    await updateIntel(context(), market, second.id, intelPatch.parse({ price: null }), undefined);
    page = await competitorPage(competitorId);
    expect(page.pricePoints).toEqual([{ competitorId, entryId: first.id, observedOn: '2026-10-02', amount: { amount: 119_900, currency: 'CNY' } }]);
  });
});

describe('market figures', () => {
  it('keeps a version per category and month, honours If-Match, and lists a range oldest first', async () => {
    const category = `cat-${randomUUID().slice(0, 8)}`;
    const november = await putFigure(context(), market, { category, month: '2026-11' }, figureInput.parse({ marketSize: { amount: 5_000_000_000, currency: 'CNY' }, sharePercent: 12.5, sourceNote: 'IDC' }), undefined);
    expect(november.version).toBe(1);
    const revised = await putFigure(context(), market, { category, month: '2026-11' }, figureInput.parse({ sharePercent: 13 }), 1);
    expect(revised).toMatchObject({ version: 2, sharePercent: 13 });
    expect(revised.marketSize).toBeUndefined();
    expect(await rejected(putFigure(context(), market, { category, month: '2026-11' }, figureInput.parse({ sharePercent: 14 }), 1))).toBeInstanceOf(PreconditionFailedError);
    await putFigure(context(), market, { category, month: '2026-09' }, figureInput.parse({ sharePercent: 11 }), undefined);
    await putFigure(context(), market, { category, month: '2027-01' }, figureInput.parse({ sharePercent: 15 }), undefined);
    const page = await listFigures({ category, from: '2026-01', to: '2026-12', limit: 25 });
    expect(page.items.map((figure) => [figure.month, figure.sharePercent])).toEqual([
      ['2026-09', 11],
      ['2026-11', 13],
    ]);
    expect(pathsOf(() => parseInput(figureInput, 'body', { sharePercent: 101 }))).toEqual(['$.body.sharePercent']);
  });

  it('is filled by entries carrying figures for a category and month, never overwriting a value', async () => {
    const category = `cat-${randomUUID().slice(0, 8)}`;
    const first = await record({ figures: { sharePercent: 9.5, period: '2026-10', category, month: '2026-10' } });
    let [figure] = (await listFigures({ category, limit: 25 })).items;
    expect(figure).toMatchObject({ month: '2026-10', sharePercent: 9.5, fromEntries: [first.id], version: 1 });
    expect(figure?.marketSize).toBeUndefined();
    const second = await record({ figures: { marketSize: { amount: 7_000_000, currency: 'CNY' }, sharePercent: 20, period: '2026-10', category, month: '2026-10' } });
    [figure] = (await listFigures({ category, limit: 25 })).items;
    expect(figure).toMatchObject({ sharePercent: 9.5, marketSize: { amount: 7_000_000, currency: 'CNY' }, fromEntries: [first.id, second.id], version: 2 });
    await record({ figures: { marketSize: { value: 3, unit: 'million units' }, sharePercent: 30, period: '2026-10', category, month: '2026-10' } });
    [figure] = (await listFigures({ category, limit: 25 })).items;
    expect(figure?.version).toBe(2);
  });
});
