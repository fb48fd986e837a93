import { describe, expect, it } from 'vitest';
import { localDate } from '../../lib/platform/time';
import { aCustomer, aFeedback, anInteraction, aProduct } from '../support/factories';
import { useApi } from '../support/api';

const harness = useApi();

/** The owner rep of these customers: a well-formed sales-rep id (the sales-team module validates reps). */
const REP_ID = '01KB3C4D5E6F7G8H9J0K1M2N3P';
const UNKNOWN = '01JZZZZZZZZZZZZZZZZZZZZZZZ';

/** Today in the company time zone (the default setting, Asia/Shanghai). */
const companyToday = () => localDate(new Date(), 'Asia/Shanghai');

async function newProductId(): Promise<string> {
  const admin = await harness.api.as('admin');
  const created = await admin('POST', '/products', { body: aProduct() });
  expect(created.status).toBe(201);
  return created.body.id;
}

describe('api: customers', () => {
  it('sends contacts and preferences only to the roles that deal with customers', async () => {
    const sales = await harness.api.as('sales');
    const name = `Contoso ${Date.now()}`;
    const created = await sales('POST', '/customers', { body: aCustomer({ name, ownerRepId: REP_ID }) });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/customers/${created.body.id}`);
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.body.contacts).toEqual(aCustomer().contacts);
    const path = `/customers/${created.body.id}`;

    for (const role of ['market', 'rnd', 'production', 'procurement'] as const) {
      const read = await harness.api.call('GET', path, { token: await harness.api.tokenFor(role) });
      expect(read.status, role).toBe(200);
      expect(read.body, role).not.toHaveProperty('contacts');
      expect(read.body, role).not.toHaveProperty('preferences');
      expect(read.body, role).not.toHaveProperty('recentInteractions');
      expect(read.body, role).toMatchObject({ id: created.body.id, name, region: 'east-china', segment: 'smb', ownerRepId: REP_ID, consentToEmail: true });
      expect(read.body.purchases, role).toEqual({ totals: null, byProduct: [], recentOrders: [] });
    }
    for (const role of ['sales', 'service', 'management', 'admin'] as const) {
      const read = await harness.api.call('GET', path, { token: await harness.api.tokenFor(role) });
      expect(read.status, role).toBe(200);
      expect(read.headers.get('etag'), role).toBe('"1"');
      expect(read.body.contacts, role).toEqual(created.body.contacts);
      expect(read.body.preferences, role).toEqual({ language: 'zh', contactTime: 'mornings' });
      expect(read.body.recentInteractions, role).toEqual([]);
    }

    const market = await harness.api.as('market');
    const listed = await market('GET', `/customers?name=${encodeURIComponent(name.toUpperCase())}&owner=${REP_ID}`);
    expect(listed.status).toBe(200);
    expect(listed.body.items).toHaveLength(1);
    expect(listed.body.items[0]).not.toHaveProperty('contacts');
    expect(listed.body.items[0]).not.toHaveProperty('preferences');
    const listedForSales = await sales('GET', `/customers?name=${encodeURIComponent(name)}`);
    expect(listedForSales.body.items[0].contacts).toEqual(created.body.contacts);

    expect((await market('POST', '/customers', { body: aCustomer() })).status).toBe(403);
    expect((await market('PATCH', path, { body: { name: 'Sneaky' } })).status).toBe(403);
    expect((await sales('GET', path)).body.name).toBe(name);
  });

  it('records an interaction with its follow-up, puts it on the rep’s to-do list and completes it once', async () => {
    const sales = await harness.api.as('sales');
    const service = await harness.api.as('service');
    const customer = (await sales('POST', '/customers', { body: aCustomer({ ownerRepId: REP_ID }) })).body;
    const today = companyToday();

    const body = anInteraction({ kind: 'visit', followUp: { dueOn: today, task: 'Bring the demo unit' } });
    const headers = { 'idempotency-key': `visit-${customer.id}` };
    const recorded = await service('POST', `/customers/${customer.id}/interactions`, { body, headers });
    expect(recorded.status).toBe(201);
    expect(recorded.body).toMatchObject({ customerId: customer.id, kind: 'visit', followUpId: expect.any(String), createdBy: 'service@example.com' });
    const replayed = await service('POST', `/customers/${customer.id}/interactions`, { body, headers });
    expect(replayed.body.id).toBe(recorded.body.id);

    const interactions = await service('GET', `/customers/${customer.id}/interactions`);
    expect(interactions.body.items.map((item: { id: string }) => item.id)).toEqual([recorded.body.id]);
    expect((await sales('GET', `/customers/${customer.id}`)).body.recentInteractions).toEqual([recorded.body]);
    expect((await harness.api.call('GET', `/customers/${customer.id}/interactions`, { token: await harness.api.tokenFor('market') })).status).toBe(403);

    const todo = await service('GET', `/follow-ups?due=today&owner=${REP_ID}&limit=100`);
    expect(todo.status).toBe(200);
    const followUp = todo.body.items.find((item: { id: string }) => item.id === recorded.body.followUpId);
    expect(followUp).toMatchObject({ customerId: customer.id, interactionId: recorded.body.id, dueOn: today, task: 'Bring the demo unit', ownerRepId: REP_ID, status: 'open' });

    const done = await sales('POST', `/follow-ups/${followUp.id}/complete`);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'completed', completedBy: 'sales@example.com' });
    expect(done.headers.get('etag')).toBe('"2"');
    const again = await service('POST', `/follow-ups/${followUp.id}/complete`);
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toBe('application/problem+json');
    expect(again.body.completedBy).toBe('sales@example.com');
    const after = await service('GET', `/follow-ups?due=today&owner=${REP_ID}&limit=100`);
    expect(after.body.items.map((item: { id: string }) => item.id)).not.toContain(followUp.id);

    const late = await service('POST', `/customers/${customer.id}/follow-ups`, { body: { dueOn: '2020-01-01', task: 'Too late' } });
    expect(late.status).toBe(400);
    expect(late.body.errors).toEqual([{ path: '$.body.dueOn', message: `must not be before today (${today})` }]);
  });

  it('files feedback for R&D, refusing unknown products and customers by JSON path', async () => {
    const service = await harness.api.as('service');
    const productId = await newProductId();

    const unknown = await service('POST', '/feedback', { body: aFeedback(UNKNOWN, { customerId: UNKNOWN }) });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors.map((error: { path: string }) => error.path)).toEqual(['$.body.customerId', '$.body.productId']);

    const filed = await service('POST', '/feedback', { body: aFeedback(productId, { kind: 'suggestion', channel: 'email' }) });
    expect(filed.status).toBe(201);
    expect(filed.body).toMatchObject({ productId, kind: 'suggestion', channel: 'email', status: 'new', receivedOn: companyToday() });

    const rnd = await harness.api.as('rnd');
    const triage = await rnd('GET', `/feedback?productId=${productId}&kind=suggestion`);
    expect(triage.status).toBe(200);
    expect(triage.body.items).toEqual([filed.body]);
    expect((await rnd('POST', '/feedback', { body: aFeedback(productId) })).status).toBe(403);
    expect((await rnd('GET', `/feedback?productId=${productId}`)).body.items).toHaveLength(1);
  });

  it('honours If-Match on a change and names each invalid field', async () => {
    const sales = await harness.api.as('sales');
    const customer = (await sales('POST', '/customers', { body: aCustomer() })).body;
    const path = `/customers/${customer.id}`;

    const changed = await sales('PATCH', path, { body: { name: 'Renamed Ltd', segment: null }, headers: { 'if-match': '"1"' } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).toBe('"2"');
    expect(changed.body).not.toHaveProperty('segment');
    const stale = await sales('PATCH', path, { body: { name: 'Stale Ltd' }, headers: { 'if-match': '"1"' } });
    expect(stale.status).toBe(412);
    expect((await sales('GET', path)).body).toMatchObject({ name: 'Renamed Ltd', version: 2 });

    const invalid = await sales('POST', '/customers', { body: { ...aCustomer({ type: 'robot' as 'business', contacts: [{ name: 'Li', email: 'nope' }] }), region: '' } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors.map((error: { path: string }) => error.path).sort()).toEqual(['$.body.contacts[0].email', '$.body.region', '$.body.type']);
    expect((await sales('PATCH', path, { body: {} })).status).toBe(400);
    expect((await sales('GET', '/customers/not-a-ulid')).status).toBe(400);
    expect((await sales('GET', `/customers/${UNKNOWN}`)).status).toBe(404);
  });
});
