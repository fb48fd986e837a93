import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useApi } from '../support/api';
import { aComplaint, aProduct } from '../support/factories';

const harness = useApi();

/** The current month in the company time zone (Asia/Shanghai by default), as the API books it. */
function thisMonth(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).format(new Date()).slice(0, 7);
}

async function newProductId(): Promise<string> {
  const admin = await harness.api.as('admin');
  const created = await admin('POST', '/products', { body: aProduct() });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

describe('acceptance: complaints through the local API', () => {
  it('files, investigates (only the responsible department), resolves with a refund, and the monthly summary shows it', async () => {
    const service = await harness.api.as('service');
    const rnd = await harness.api.as('rnd');
    const production = await harness.api.as('production');
    const sales = await harness.api.as('sales');
    const productId = await newProductId();

    const key = randomUUID();
    const filed = await service('POST', '/service-requests', { body: aComplaint({ productId }), headers: { 'idempotency-key': key } });
    expect(filed.status).toBe(201);
    expect(filed.headers.get('location')).toBe(`/service-requests/${filed.body.id}`);
    expect(filed.body).toMatchObject({ reference: expect.stringMatching(/^C-\d{4}-\d{5}$/), status: 'received', priority: 'urgent', customer: { email: 'sun.li@example.com' } });
    const replay = await service('POST', '/service-requests', { body: aComplaint({ productId }), headers: { 'idempotency-key': key } });
    expect(replay.body).toMatchObject({ id: filed.body.id, reference: filed.body.reference });
    const id = filed.body.id as string;

    // Contact details: service and sales see them; R&D and production get the request without them.
    expect((await sales('GET', `/service-requests/${id}`)).body.customer).toMatchObject({ email: 'sun.li@example.com', phone: '+86 21 5555 0142' });
    const seenByRnd = await rnd('GET', `/service-requests/${id}`);
    expect(seenByRnd.status).toBe(200);
    expect(seenByRnd.headers.get('etag')).toBe('"1"');
    expect(seenByRnd.body.customer).toEqual({ name: 'Sun Li', consentToEmail: true });

    expect((await service('POST', `/service-requests/${id}/acknowledge`, { body: { note: 'Called back within the hour.' } })).status).toBe(200);
    expect((await service('POST', `/service-requests/${id}/assign`, { body: { department: 'rnd', note: 'Keypad: design.' } })).body.status).toBe('investigating');

    const investigation = { findings: 'Keypad flex cable pinched.', rootCause: { category: 'design', text: 'Cable too short.' } };
    const intruder = await production('POST', `/service-requests/${id}/investigation`, { body: investigation });
    expect(intruder.status).toBe(403);
    expect(intruder.headers.get('content-type')).toBe('application/problem+json');
    expect((await production('POST', `/service-requests/${id}/acknowledge`, { body: {} })).status).toBe(403);
    expect((await production('POST', `/service-requests/${id}/resolution`, { body: { customerAgreed: true } })).status).toBe(403);
    const investigated = await rnd('POST', `/service-requests/${id}/investigation`, { body: investigation });
    expect(investigated.status).toBe(200);
    expect(investigated.body.customer.email).toBeUndefined();

    const resolved = await service('POST', `/service-requests/${id}/resolution`, {
      body: { measures: [{ kind: 'refund', amount: { amount: 129_900, currency: 'CNY' }, description: 'Full refund.' }], customerAgreed: true },
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ status: 'resolved', sla: { resolvedAt: expect.any(String) } });
    const illegal = await service('POST', `/service-requests/${id}/acknowledge`, { body: {} });
    expect(illegal.status).toBe(409);
    expect(illegal.headers.get('content-type')).toBe('application/problem+json');
    expect((await service('POST', `/service-requests/${id}/feedback`, { body: { satisfaction: 5, comment: 'Fair.' } })).status).toBe(200);

    const full = await rnd('GET', `/service-requests/${id}`);
    expect(full.body.timeline.map((entry: { action: string }) => entry.action)).toEqual(['received', 'acknowledged', 'assigned', 'investigated', 'resolved', 'feedback']);
    expect(full.body.timeline[1]).toMatchObject({ by: 'service@example.com', note: 'Called back within the hour.' });

    const summary = await rnd('GET', `/service-requests/summary?month=${thisMonth()}&by=product`);
    expect(summary.status).toBe(200);
    const row = summary.body.rows.find((candidate: { id: string }) => candidate.id === productId);
    expect(row).toMatchObject({ received: 1, resolved: 1, refunds: 129_900, firstResponse: { met: 1, breached: 0, metRate: 1 }, resolution: { met: 1, metRate: 1 }, satisfaction: { count: 1, average: 5 } });
    const byRootCause = await rnd('GET', `/service-requests/summary?month=${thisMonth()}&by=rootCause`);
    expect(byRootCause.body.rows.find((candidate: { id: string }) => candidate.id === 'design')).toMatchObject({ received: expect.any(Number) });
  }, 60_000);

  it('validation changes nothing; two concurrent acknowledgements: one 200, one 409, one timeline entry', async () => {
    const service = await harness.api.as('service');
    const productId = await newProductId();
    const invalid = await service('POST', '/service-requests', { body: aComplaint({ productId: '01JAAAAAAAAAAAAAAAAAAAAAAA', receivedAt: '2099-01-01T00:00:00Z' }) });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors.map((error: { path: string }) => error.path).sort()).toEqual(['$.body.productId', '$.body.receivedAt']);
    expect((await service('POST', '/service-requests', { body: { ...aComplaint(), priority: 'whenever' } })).status).toBe(400);

    const filed = await service('POST', '/service-requests', { body: aComplaint({ productId }) });
    const id = filed.body.id as string;
    const statuses = await Promise.all([0, 1].map(() => service('POST', `/service-requests/${id}/acknowledge`, { body: {} })));
    expect(statuses.map((response) => response.status).sort()).toEqual([200, 409]);
    const stored = await service('GET', `/service-requests/${id}`);
    expect(stored.body.timeline.filter((entry: { action: string }) => entry.action === 'acknowledged')).toHaveLength(1);
    expect((await service('GET', `/service-requests?product=${productId}`)).body.items.map((item: { id: string }) => item.id)).toEqual([id]);
  }, 60_000);

  it('lists overdue complaints with breached=true; If-Match guards a transition', async () => {
    const service = await harness.api.as('service');
    const management = await harness.api.as('management');
    const productId = await newProductId();
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000).toISOString();
    const late = await service('POST', '/service-requests', { body: aComplaint({ productId, receivedAt: twoHoursAgo }) });
    const fresh = await service('POST', '/service-requests', { body: aComplaint({ productId }) });
    expect([late.status, fresh.status]).toEqual([201, 201]);

    const breached = await management('GET', `/service-requests?breached=true&product=${productId}`);
    expect(breached.status).toBe(200);
    expect(breached.body.items.map((item: { id: string }) => item.id)).toEqual([late.body.id]);
    expect(breached.body.items[0].customer.email).toBe('sun.li@example.com');

    const stale = await service('POST', `/service-requests/${late.body.id}/acknowledge`, { body: {}, headers: { 'if-match': '"7"' } });
    expect(stale.status).toBe(412);
    const acknowledged = await service('POST', `/service-requests/${late.body.id}/acknowledge`, { body: {}, headers: { 'if-match': '"1"' } });
    expect(acknowledged.status).toBe(200);
    expect(acknowledged.headers.get('etag')).toBe('"2"');
    expect((await management('GET', `/service-requests?breached=true&product=${productId}`)).body.items).toEqual([]);
  }, 60_000);
});
