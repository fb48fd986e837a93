import { describe, expect, it } from 'vitest';
import { createProduct } from '../../lib/catalog/service';
import { customerCreate, type Customer, type CustomerCreate, type CustomerListQuery, type FollowUp } from '../../lib/customers/schema';
import {
  completeFollowUp,
  createCustomer,
  createFollowUp,
  customerPage,
  feedbackCounts,
  getCustomer,
  listCustomers,
  listFeedback,
  listFollowUps,
  listInteractions,
  recordFeedback,
  recordInteraction,
  updateCustomer,
} from '../../lib/customers/service';
import { ConflictError, NotFoundError, PreconditionFailedError, ValidationError } from '../../lib/platform/errors';
import { parseInput } from '../../lib/platform/http/validation';
import { newId } from '../../lib/platform/ids';
import { aCustomer, aFeedback, aFollowUp, anActor, anInteraction, aProduct, fixedClock, testContext, unique } from '../support/factories';

const sales = anActor(['sales'], { email: 'sales@example.com' });
const service = anActor(['service'], { email: 'service@example.com' });
const market = anActor(['market'], { email: 'market@example.com' });
const UNKNOWN = '01JZZZZZZZZZZZZZZZZZZZZZZZ';

/** Customers are created through the request schema, so defaults apply as they do over HTTP. */
function create(overrides: Partial<CustomerCreate> = {}, context = testContext()): Promise<Customer> {
  return createCustomer(context, sales, customerCreate.parse(aCustomer(overrides)));
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

const search = async (query: Partial<CustomerListQuery>) => (await listCustomers({ limit: 100, ...query })).items.map((customer) => customer.id);

async function pageThrough<T extends { id: string }>(read: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await read(cursor);
    expect(page.items.length).toBeLessThanOrEqual(2);
    seen.push(...page.items.map((item) => item.id));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return seen;
}

describe('customers: create and read', () => {
  it('stores a customer with the schema defaults, version 1 and audit fields', async () => {
    const input = customerCreate.parse({ type: 'consumer', name: 'Zhao Lei', region: 'north-china' });
    const customer = await createCustomer(testContext(fixedClock('2026-11-27T08:00:00Z')), sales, input);
    expect(customer).toMatchObject({
      type: 'consumer',
      name: 'Zhao Lei',
      region: 'north-china',
      contacts: [],
      preferences: {},
      consentToEmail: false,
      consentUpdatedAt: '2026-11-27T08:00:00.000Z',
      tags: [],
      version: 1,
      createdBy: 'sales@example.com',
    });
    expect(customer.segment).toBeUndefined();
    expect(customer.ownerRepId).toBeUndefined();
    expect(await getCustomer(customer.id)).toEqual(customer);
  });

  it('keeps the customer type apart from the entity type of the item', async () => {
    const customer = await create({ type: 'consumer' });
    expect((await getCustomer(customer.id)).type).toBe('consumer');
  });

  it('answers 404 for a customer that does not exist', async () => {
    await expect(getCustomer(UNKNOWN)).rejects.toThrow(NotFoundError);
  });

  it('refuses bounded lists past their bounds and malformed fields, naming each by JSON path', () => {
    const contacts = Array.from({ length: 21 }, (_, i) => ({ name: `Contact ${i}` }));
    const attempt = () =>
      parseInput(customerCreate, 'body', {
        ...aCustomer({ contacts, tags: ['vip', 'vip'], ownerRepId: 'rep-1' }),
        preferences: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`p${i}`, 'x'])),
        surprise: true,
      });
    expect(pathsOf(attempt)).toEqual(['$.body.contacts', '$.body.ownerRepId', '$.body.preferences', '$.body.surprise', '$.body.tags']);
    expect(pathsOf(() => parseInput(customerCreate, 'body', aCustomer({ contacts: [{ name: 'Li', email: 'not-an-email' }] })))).toEqual(['$.body.contacts[0].email']);
  });

  it('shows contacts and preferences only to the roles that deal with customers', async () => {
    const customer = await create();
    const forMarket = await customerPage(market, customer.id);
    expect(forMarket).not.toHaveProperty('contacts');
    expect(forMarket).not.toHaveProperty('preferences');
    expect(forMarket).not.toHaveProperty('recentInteractions');
    expect(forMarket).toMatchObject({ id: customer.id, name: customer.name, region: customer.region, version: 1 });
    const forService = await customerPage(service, customer.id);
    expect(forService.contacts).toEqual(customer.contacts);
    expect(forService.preferences).toEqual(customer.preferences);
    expect(forService.recentInteractions).toEqual([]);
  });
});

describe('customers: change', () => {
  it('rewrites every index key when the indexed fields change', async () => {
    const [oldOwner, newOwner] = [newId(), newId()];
    const tag = unique('mv');
    const [oldRegion, newRegion, oldSegment] = [`${tag}-east`, `${tag}-west`, `${tag}-smb`];
    const customer = await create({ name: `${tag} Old Name`, region: oldRegion, segment: oldSegment, ownerRepId: oldOwner });
    expect(await search({ name: `${tag} old` })).toEqual([customer.id]);
    expect(await search({ segment: oldSegment })).toEqual([customer.id]);

    const updated = await updateCustomer(testContext(), sales, customer.id, { name: `${tag} New Name`, region: newRegion, segment: null, ownerRepId: newOwner }, 1);
    expect(updated).toMatchObject({ version: 2, name: `${tag} New Name`, region: newRegion, ownerRepId: newOwner });
    expect(updated.segment).toBeUndefined();
    expect(await getCustomer(customer.id)).toEqual(updated);

    expect(await search({ name: `${tag} old` })).toEqual([]);
    expect(await search({ name: `${tag} new` })).toEqual([customer.id]);
    expect(await search({ region: oldRegion })).toEqual([]);
    expect(await search({ region: newRegion })).toEqual([customer.id]);
    expect(await search({ segment: oldSegment })).toEqual([]);
    expect(await search({ owner: oldOwner })).toEqual([]);
    expect(await search({ owner: newOwner })).toEqual([customer.id]);

    const unowned = await updateCustomer(testContext(), sales, customer.id, { ownerRepId: null, segment: `${tag}-ent` }, 2);
    expect(unowned.ownerRepId).toBeUndefined();
    expect(await search({ owner: newOwner })).toEqual([]);
    expect(await search({ segment: `${tag}-ent` })).toEqual([customer.id]);
  });

  it('answers 412 when If-Match names an old version, and changes nothing', async () => {
    const customer = await create();
    const current = await updateCustomer(testContext(), sales, customer.id, { name: 'Second name' }, 1);
    await expect(updateCustomer(testContext(), sales, customer.id, { name: 'Stale name', region: 'elsewhere' }, 1)).rejects.toThrow(PreconditionFailedError);
    expect(await getCustomer(customer.id)).toEqual(current);
  });

  it('lets one of several concurrent unconditional changes win; the others get 409', async () => {
    const customer = await create();
    const results = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => updateCustomer(testContext(), sales, customer.id, { name: `Racer ${i}` }, undefined)));
    const won = results.filter((result): result is PromiseFulfilledResult<Customer> => result.status === 'fulfilled');
    expect(won.length).toBeGreaterThanOrEqual(1);
    for (const result of results) if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(ConflictError);
    const stored = await getCustomer(customer.id);
    expect(stored.version).toBe(1 + won.length);
    expect(won.map((result) => result.value.name)).toContain(stored.name);
  });

  it('records when consent to email changed, and only then', async () => {
    const customer = await create({ consentToEmail: false }, testContext(fixedClock('2026-11-01T00:00:00Z')));
    const renamed = await updateCustomer(testContext(fixedClock('2026-11-02T00:00:00Z')), sales, customer.id, { name: 'Renamed', consentToEmail: false }, undefined);
    expect(renamed.consentUpdatedAt).toBe('2026-11-01T00:00:00.000Z');
    const consented = await updateCustomer(testContext(fixedClock('2026-11-03T00:00:00Z')), sales, customer.id, { consentToEmail: true }, undefined);
    expect(consented).toMatchObject({ consentToEmail: true, consentUpdatedAt: '2026-11-03T00:00:00.000Z' });
  });

  it('answers 404 for a customer that does not exist', async () => {
    await expect(updateCustomer(testContext(), sales, UNKNOWN, { name: 'x' }, undefined)).rejects.toThrow(NotFoundError);
  });
});

describe('customers: search', () => {
  it('finds by name prefix, ignoring case and accents, in name order', async () => {
    const tag = unique('nm');
    const cafe = await create({ name: `${tag} Café Lumière` });
    const cafeAnnex = await create({ name: `${tag.toLowerCase()} CAFE LUMIERE Annex` });
    const other = await create({ name: `${tag} Bakery` });
    expect(await search({ name: `${tag} cafe` })).toEqual([cafe.id, cafeAnnex.id]);
    expect(await search({ name: `${tag.toLowerCase()}  CAFÉ lumière` })).toEqual([cafe.id, cafeAnnex.id]);
    expect(await search({ name: tag })).toEqual([other.id, cafe.id, cafeAnnex.id]);
    expect(await search({ name: `${tag} cafex` })).toEqual([]);
  });

  it('finds by region and by segment, case-insensitively, with the other filters on top', async () => {
    const tag = unique('rg');
    const owner = newId();
    const a = await create({ name: 'Alpha', region: `${tag}-East`, segment: `${tag} Retail`, ownerRepId: owner });
    const b = await create({ name: 'Beta', region: `${tag}-East`, segment: `${tag} SMB` });
    const c = await create({ name: 'Gamma', region: `${tag}-West`, segment: `${tag} retail`, ownerRepId: owner });
    expect(await search({ region: `${tag.toLowerCase()}-east` })).toEqual([a.id, b.id]);
    expect(await search({ segment: `${tag} RETAIL` })).toEqual([a.id, c.id]);
    expect(await search({ region: `${tag}-East`, segment: `${tag} retail` })).toEqual([a.id]);
    expect(await search({ segment: `${tag} retail`, owner })).toEqual([a.id, c.id]);
    expect(await search({ region: `${tag}-West`, owner })).toEqual([c.id]);
    expect(await search({ region: `${tag}-East`, name: 'be' })).toEqual([b.id]);
    expect(await search({ segment: `${tag} retail`, name: 'gam' })).toEqual([c.id]);
  });

  it("finds an owner's customers through the keys-only index, with a name prefix", async () => {
    const owner = newId();
    const a = await create({ name: 'Orchid Labs', ownerRepId: owner });
    const b = await create({ name: 'Maple Works', ownerRepId: owner });
    await create({ name: 'Orchid Foods', ownerRepId: newId() });
    const found = (await listCustomers({ limit: 25, owner })).items;
    expect(found.map((customer) => customer.id)).toEqual([b.id, a.id]);
    // Read back whole from the table, not just the index keys.
    expect(found[1]).toEqual(a);
    expect(await search({ owner, name: 'orch' })).toEqual([a.id]);
  });

  it('pages in name order with a cursor, never repeating or skipping a customer (name, region and owner searches)', async () => {
    const tag = unique('pg');
    const owner = newId();
    const names = ['Echo', 'Alpha', 'Delta', 'Bravo', 'Charlie'].map((name) => `${tag} ${name}`);
    const created = [];
    for (const name of names) created.push(await create({ name, region: `${tag}-region`, ownerRepId: owner }));
    const expected = [...created].sort((x, y) => x.name.localeCompare(y.name)).map((customer) => customer.id);

    expect(await pageThrough((cursor) => listCustomers({ name: tag, limit: 2, cursor }))).toEqual(expected);
    expect(await pageThrough((cursor) => listCustomers({ region: `${tag}-region`, limit: 2, cursor }))).toEqual(expected);
    expect(await pageThrough((cursor) => listCustomers({ owner, limit: 2, cursor }))).toEqual(expected);
  });

  it('refuses a cursor issued for another search', async () => {
    const tag = unique('cu');
    for (const name of ['A', 'B', 'C']) await create({ name: `${tag} ${name}` });
    const first = await listCustomers({ name: tag, limit: 1 });
    await expect(listCustomers({ name: `${tag} b`, limit: 1, cursor: first.nextCursor ?? undefined })).rejects.toThrow(ValidationError);
  });
});

describe('customers: interactions', () => {
  const clock = () => testContext(fixedClock('2026-11-27T08:00:00Z'));

  it('lists interactions most recent first by when they happened, not by when they were recorded', async () => {
    const customer = await create();
    const times = ['2026-11-20T09:00:00Z', '2026-11-26T09:00:00Z', '2026-11-01T09:00:00Z', '2026-11-24T09:00:00.5Z'];
    const recorded = [];
    for (const occurredAt of times) recorded.push(await recordInteraction(clock(), service, customer.id, anInteraction({ occurredAt })));
    expect(recorded[0]).toMatchObject({ customerId: customer.id, kind: 'call', occurredAt: '2026-11-20T09:00:00.000Z', version: 1, createdBy: 'service@example.com' });

    const byTime = [...recorded].sort((x, y) => y.occurredAt.localeCompare(x.occurredAt)).map((interaction) => interaction.id);
    expect(await pageThrough((cursor) => listInteractions(customer.id, { limit: 2, cursor }))).toEqual(byTime);
    expect((await customerPage(sales, customer.id)).recentInteractions?.map((interaction) => interaction.id)).toEqual(byTime);
  });

  it("keeps the 10 most recent on the customer's page", async () => {
    const customer = await create();
    for (let day = 1; day <= 12; day++) {
      await recordInteraction(clock(), sales, customer.id, anInteraction({ occurredAt: `2026-11-${String(day).padStart(2, '0')}T10:00:00Z` }));
    }
    const recent = (await customerPage(sales, customer.id)).recentInteractions ?? [];
    expect(recent.map((interaction) => interaction.occurredAt.slice(8, 10))).toEqual(['12', '11', '10', '09', '08', '07', '06', '05', '04', '03']);
  });

  it("creates a planned follow-up with the interaction, owned by the customer's rep by default", async () => {
    const owner = newId();
    const customer = await create({ ownerRepId: owner });
    const interaction = await recordInteraction(clock(), service, customer.id, anInteraction({ occurredAt: '2026-11-27T07:00:00Z', followUp: { dueOn: '2026-12-01', task: 'Send the quote' } }));
    expect(interaction.followUpId).toEqual(expect.any(String));
    const todo = (await listFollowUps(clock(), { owner, limit: 25 })).items;
    expect(todo).toEqual([
      expect.objectContaining({ id: interaction.followUpId, customerId: customer.id, interactionId: interaction.id, task: 'Send the quote', dueOn: '2026-12-01', ownerRepId: owner, status: 'open' }),
    ]);
  });

  it('refuses an interaction in the future or a follow-up nobody owns, and writes nothing', async () => {
    const customer = await create();
    const future = recordInteraction(clock(), service, customer.id, anInteraction({ occurredAt: '2026-11-27T09:00:00Z' }));
    await expect(future).rejects.toThrow(ValidationError);
    await expect(future).rejects.toMatchObject({ errors: [{ path: '$.body.occurredAt', message: 'must not be in the future' }] });

    const unowned = recordInteraction(clock(), service, customer.id, anInteraction({ occurredAt: '2026-11-27T07:00:00Z', followUp: { dueOn: '2026-11-26', task: 'Call back' } }));
    await expect(unowned).rejects.toThrow(ValidationError);
    const errors = await unowned.catch((error: ValidationError) => error.errors.map((e) => e.path));
    expect(errors).toEqual(['$.body.followUp.dueOn', '$.body.followUp.ownerRepId']);

    expect((await listInteractions(customer.id, { limit: 25 })).items).toEqual([]);
  });

  it('answers 404 for an unknown customer', async () => {
    await expect(recordInteraction(clock(), service, UNKNOWN, anInteraction())).rejects.toThrow(NotFoundError);
    await expect(listInteractions(UNKNOWN, { limit: 25 })).rejects.toThrow(NotFoundError);
    await expect(createFollowUp(clock(), service, UNKNOWN, aFollowUp({ ownerRepId: newId() }))).rejects.toThrow(NotFoundError);
  });
});

describe('follow-ups: the to-do list', () => {
  /** Company time zone Asia/Shanghai (the default setting): 17:00 UTC on the 27th is already the 28th there. */
  const now = '2026-11-27T17:00:00Z';
  const planned = () => testContext(fixedClock('2026-11-20T02:00:00Z'));

  async function plan(customerId: string, ownerRepId: string, days: string[]): Promise<Map<string, FollowUp>> {
    const byDay = new Map<string, FollowUp>();
    for (const dueOn of days) byDay.set(dueOn, await createFollowUp(planned(), sales, customerId, { dueOn, task: `Call on ${dueOn}`, ownerRepId }));
    return byDay;
  }

  const ids = (page: { items: FollowUp[] }) => page.items.map((followUp) => followUp.dueOn);

  it('lists a rep’s overdue, today’s and this week’s follow-ups by the company’s day, earliest first', async () => {
    const customer = await create();
    const [rep, otherRep] = [newId(), newId()];
    await plan(customer.id, rep, ['2026-12-10', '2026-11-27', '2026-11-30', '2026-11-25', '2026-12-04', '2026-11-28', '2026-12-05']);
    await plan(customer.id, otherRep, ['2026-11-28']);
    const context = testContext(fixedClock(now));

    expect(ids(await listFollowUps(context, { due: 'overdue', owner: rep, limit: 25 }))).toEqual(['2026-11-25', '2026-11-27']);
    expect(ids(await listFollowUps(context, { due: 'today', owner: rep, limit: 25 }))).toEqual(['2026-11-28']);
    expect(ids(await listFollowUps(context, { due: 'week', owner: rep, limit: 25 }))).toEqual(['2026-11-28', '2026-11-30', '2026-12-04']);
    expect(ids(await listFollowUps(context, { owner: rep, limit: 25 }))).toEqual(['2026-11-25', '2026-11-27', '2026-11-28', '2026-11-30', '2026-12-04', '2026-12-05', '2026-12-10']);
    const everyonesToday = (await listFollowUps(context, { due: 'today', limit: 100 })).items.filter((followUp) => followUp.customerId === customer.id);
    expect(everyonesToday.map((followUp) => followUp.ownerRepId).sort()).toEqual([rep, otherRep].sort());
  });

  it('pages a long to-do list without repeating or skipping', async () => {
    const customer = await create();
    const rep = newId();
    const planned = await plan(customer.id, rep, ['2026-11-29', '2026-11-28', '2026-12-01', '2026-11-30', '2026-12-02']);
    const expected = [...planned.entries()].sort(([x], [y]) => x.localeCompare(y)).map(([, followUp]) => followUp.id);
    expect(await pageThrough((cursor) => listFollowUps(testContext(fixedClock(now)), { due: 'week', owner: rep, limit: 2, cursor }))).toEqual(expected);
  });

  it('completes a follow-up once: it leaves the list, and a second completion is 409', async () => {
    const customer = await create();
    const rep = newId();
    const followUp = (await plan(customer.id, rep, ['2026-11-28'])).get('2026-11-28') as FollowUp;
    const context = testContext(fixedClock(now));

    const done = await completeFollowUp(context, service, followUp.id);
    expect(done).toMatchObject({ id: followUp.id, status: 'completed', completedAt: '2026-11-27T17:00:00.000Z', completedBy: 'service@example.com', version: 2 });
    expect((await listFollowUps(context, { due: 'today', owner: rep, limit: 25 })).items).toEqual([]);
    expect((await listFollowUps(context, { owner: rep, limit: 25 })).items).toEqual([]);

    const again = completeFollowUp(context, sales, followUp.id);
    await expect(again).rejects.toThrow(ConflictError);
    await expect(again).rejects.toMatchObject({ extensions: { completedAt: '2026-11-27T17:00:00.000Z', completedBy: 'service@example.com' } });
  });

  it('lets exactly one of 10 concurrent completions win', async () => {
    const customer = await create();
    const followUp = (await plan(customer.id, newId(), ['2026-11-29'])).get('2026-11-29') as FollowUp;
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => completeFollowUp(testContext(fixedClock(now)), sales, followUp.id)));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    for (const result of results) if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(ConflictError);
  });

  it('answers 404 for an unknown follow-up, and refuses one due before the company’s today', async () => {
    await expect(completeFollowUp(testContext(), sales, UNKNOWN)).rejects.toThrow(NotFoundError);
    const customer = await create({ ownerRepId: newId() });
    const late = createFollowUp(testContext(fixedClock(now)), sales, customer.id, { dueOn: '2026-11-27', task: 'Too late' });
    await expect(late).rejects.toMatchObject({ errors: [{ path: '$.body.dueOn', message: 'must not be before today (2026-11-28)' }] });
    expect((await listFollowUps(testContext(fixedClock(now)), { owner: customer.ownerRepId, limit: 25 })).items).toEqual([]);
  });
});

describe('feedback', () => {
  const production = anActor(['production']);
  const newProduct = async () => (await createProduct(testContext(), production, aProduct())).id;
  const at = (iso: string) => testContext(fixedClock(iso));
  const countsOf = async (month: string, products: string[]) =>
    (await feedbackCounts(month)).filter((count) => products.includes(count.productId)).sort((x, y) => `${x.productId}${x.kind}`.localeCompare(`${y.productId}${y.kind}`));

  it('files feedback as new, on the company’s day', async () => {
    const productId = await newProduct();
    const customer = await create();
    const feedback = await recordFeedback(at('2026-11-30T16:30:00Z'), service, aFeedback(productId, { customerId: customer.id, kind: 'suggestion' }));
    expect(feedback).toMatchObject({ productId, customerId: customer.id, kind: 'suggestion', status: 'new', receivedAt: '2026-11-30T16:30:00.000Z', receivedOn: '2026-12-01', version: 1 });
    expect((await listFeedback({ productId })).items).toEqual([feedback]);
  });

  it('refuses an unknown product or customer with the JSON path of each, and writes nothing', async () => {
    const productId = await newProduct();
    const unknownProduct = recordFeedback(at('2026-11-10T02:00:00Z'), service, aFeedback(UNKNOWN));
    await expect(unknownProduct).rejects.toThrow(ValidationError);
    await expect(unknownProduct).rejects.toMatchObject({ errors: [{ path: '$.body.productId' }] });
    const both = recordFeedback(at('2026-11-10T02:00:00Z'), service, aFeedback(UNKNOWN, { customerId: UNKNOWN }));
    await expect(both).rejects.toMatchObject({ errors: [{ path: '$.body.customerId' }, { path: '$.body.productId' }] });
    const unknownCustomer = recordFeedback(at('2026-11-10T02:00:00Z'), service, aFeedback(productId, { customerId: UNKNOWN }));
    await expect(unknownCustomer).rejects.toMatchObject({ errors: [{ path: '$.body.customerId', message: `no customer ${UNKNOWN}` }] });

    expect((await listFeedback({ productId })).items).toEqual([]);
    expect(await countsOf('2026-11', [productId, UNKNOWN])).toEqual([]);
  });

  it('counts feedback per company month by kind and product', async () => {
    const [lock, sensor] = [await newProduct(), await newProduct()];
    await recordFeedback(at('2026-11-03T02:00:00Z'), service, aFeedback(lock, { kind: 'defect' }));
    await recordFeedback(at('2026-11-12T02:00:00Z'), sales, aFeedback(lock, { kind: 'defect' }));
    await recordFeedback(at('2026-11-14T02:00:00Z'), service, aFeedback(lock, { kind: 'praise' }));
    await recordFeedback(at('2026-11-20T02:00:00Z'), service, aFeedback(sensor, { kind: 'price' }));
    // 16:30 UTC on 30 November is 00:30 on 1 December in Shanghai: December's.
    await recordFeedback(at('2026-11-30T16:30:00Z'), service, aFeedback(lock, { kind: 'defect' }));

    expect(await countsOf('2026-11', [lock, sensor])).toEqual(
      [
        { productId: lock, kind: 'defect', count: 2 },
        { productId: lock, kind: 'praise', count: 1 },
        { productId: sensor, kind: 'price', count: 1 },
      ].sort((x, y) => `${x.productId}${x.kind}`.localeCompare(`${y.productId}${y.kind}`)),
    );
    expect(await countsOf('2026-12', [lock, sensor])).toEqual([{ productId: lock, kind: 'defect', count: 1 }]);
  });

  it('loses no count under 20 concurrent filings', async () => {
    const productId = await newProduct();
    await Promise.all(Array.from({ length: 20 }, () => recordFeedback(at('2026-10-15T02:00:00Z'), service, aFeedback(productId, { kind: 'other' }))));
    expect(await countsOf('2026-10', [productId])).toEqual([{ productId, kind: 'other', count: 20 }]);
    expect((await listFeedback({ productId, limit: 100 })).items).toHaveLength(20);
  });

  it('lists newest first by product, by kind and by company-local days', async () => {
    const [lock, sensor] = [await newProduct(), await newProduct()];
    const day = (d: string) => at(`2026-09-${d}T02:00:00Z`);
    const a = await recordFeedback(day('01'), service, aFeedback(lock, { kind: 'defect' }));
    const b = await recordFeedback(day('05'), service, aFeedback(lock, { kind: 'praise' }));
    const c = await recordFeedback(day('09'), service, aFeedback(lock, { kind: 'defect' }));
    const d = await recordFeedback(day('09'), service, aFeedback(sensor, { kind: 'defect' }));
    const ids = (page: { items: Array<{ id: string }> }) => page.items.map((item) => item.id);

    expect(ids(await listFeedback({ productId: lock }))).toEqual([c.id, b.id, a.id]);
    expect(ids(await listFeedback({ productId: lock, kind: 'defect' }))).toEqual([c.id, a.id]);
    expect(ids(await listFeedback({ productId: lock, from: '2026-09-02', to: '2026-09-09' }))).toEqual([c.id, b.id]);
    expect(ids(await listFeedback({ productId: lock, to: '2026-09-05' }))).toEqual([b.id, a.id]);
    // By kind through the keys-only index, read back whole.
    const defects = await listFeedback({ kind: 'defect', from: '2026-09-01', to: '2026-09-09', limit: 100 });
    expect(ids(defects).filter((id) => [a.id, b.id, c.id, d.id].includes(id))).toEqual([d.id, c.id, a.id]);
    expect(defects.items.find((item) => item.id === d.id)).toEqual(d);
    const all = await listFeedback({ from: '2026-09-09', to: '2026-09-09', limit: 100 });
    expect(ids(all).filter((id) => [a.id, b.id, c.id, d.id].includes(id))).toEqual([d.id, c.id]);
    expect(await pageThrough((cursor) => listFeedback({ productId: lock, limit: 2, cursor }))).toEqual([c.id, b.id, a.id]);
  });

  it('refuses a month that is not yyyy-mm', async () => {
    await expect(feedbackCounts('2026-13')).rejects.toThrow(ValidationError);
  });
});
