import { describe, expect, it } from 'vitest';
import { createProduct } from '../../lib/catalog/service';
import { customerCreate } from '../../lib/customers/schema';
import { createCustomer } from '../../lib/customers/service';
import { ConflictError, ForbiddenError, ValidationError } from '../../lib/platform/errors';
import { createOrder } from '../../lib/sales/orders';
import { complaintFiguresOfMonth, ZERO_COMPLAINT_FIGURES } from '../../lib/service/requests/analysis';
import { serviceRequestCreate, type ServiceRequest, type ServiceRequestCreate } from '../../lib/service/requests/schema';
import {
  acknowledgeServiceRequest,
  assignServiceRequest,
  closeServiceRequest,
  complaintSummary,
  createServiceRequest,
  getServiceRequest,
  listServiceRequests,
  recordInvestigation,
  recordServiceFeedback,
  reopenServiceRequest,
  resolveServiceRequest,
  serviceRequestFor,
} from '../../lib/service/requests/service';
import { lastReference, openDeadlines } from '../../lib/service/requests/store';
import { aComplaint, aCustomer, anActor, aProduct, fixedClock, testContext } from '../support/factories';
import { aSalesWorld } from '../support/sales';

const service = anActor(['service'], { email: 'agent@example.com' });
const rnd = anActor(['rnd'], { email: 'engineer@example.com' });
const production = anActor(['production']);
const management = anActor(['management']);
const admin = anActor(['admin']);

const at = (iso: string) => testContext(fixedClock(iso));
const file = (when: string, overrides: Partial<ServiceRequestCreate> = {}) => createServiceRequest(at(when), service, serviceRequestCreate.parse(aComplaint({ receivedAt: when, ...overrides })));
const newProduct = async () => (await createProduct(testContext(), admin, aProduct())).id;
const investigationBody = { findings: 'Keypad flex cable pinched at assembly.', rootCause: { category: 'manufacturing' as const, text: 'Fixture misaligned on line 2.' } };
const refund = { measures: [{ kind: 'refund' as const, amount: { amount: 12_000, currency: 'CNY' } }], customerAgreed: true };

/** Filed, acknowledged, assigned to rnd and investigated: ready to resolve. */
async function investigated(when: string, overrides: Partial<ServiceRequestCreate> = {}): Promise<ServiceRequest> {
  const request = await file(when, overrides);
  await acknowledgeServiceRequest(at(when), service, request.id, { note: 'Called back.' });
  await assignServiceRequest(at(when), service, request.id, { department: 'rnd', assignee: { userId: rnd.userId, name: 'Engineer' } });
  return recordInvestigation(at(when), rnd, request.id, investigationBody);
}

async function isOpen(id: string, before: string): Promise<boolean> {
  let cursor: string | undefined;
  do {
    const page = await openDeadlines(before, 100, cursor);
    if (page.ids.includes(id)) return true;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return false;
}

async function figures(dimension: Parameters<typeof complaintFiguresOfMonth>[0], month: string, id: string) {
  return (await complaintFiguresOfMonth(dimension, month)).find((row) => row.id === id)?.figures ?? { ...ZERO_COMPLAINT_FIGURES };
}

describe('service requests: filing', () => {
  it('numbers complaints C-<year>-n and others S-<year>-n, and sets due times from the urgent SLA with warnings at 80 %', async () => {
    const complaint = await file('2026-11-27T08:00:00Z');
    expect(complaint.reference).toMatch(/^C-2026-\d{5}$/);
    expect(complaint).toMatchObject({
      status: 'received',
      priority: 'urgent',
      receivedMonth: '2026-11',
      customer: { name: 'Sun Li', email: 'sun.li@example.com', consentToEmail: true },
      sla: {
        firstResponseDueAt: '2026-11-27T09:00:00.000Z',
        firstResponseWarnAt: '2026-11-27T08:48:00.000Z',
        resolutionDueAt: '2026-11-27T16:00:00.000Z',
        resolutionWarnAt: '2026-11-27T14:24:00.000Z',
        resolutionStartedAt: '2026-11-27T08:00:00.000Z',
      },
      timeline: [{ action: 'received', to: 'received', by: 'agent@example.com' }],
      version: 1,
    });
    const consultation = await file('2026-11-27T08:00:00Z', { type: 'consultation', priority: 'low' });
    expect(consultation.reference).toMatch(/^S-2026-\d{5}$/);
    // Low: 24 h / 120 h.
    expect(consultation.sla).toMatchObject({ firstResponseDueAt: '2026-11-28T08:00:00.000Z', firstResponseWarnAt: '2026-11-28T03:12:00.000Z', resolutionDueAt: '2026-12-02T08:00:00.000Z' });
    expect(await getServiceRequest(complaint.id)).toEqual(complaint);
  });

  it('snapshots a known customer (name, first contact, consent) and checks the order is theirs', async () => {
    const world = await aSalesWorld();
    const order = await createOrder(testContext(), admin, { customerId: world.customerId, channelId: world.channelId, lines: [{ productId: world.products[0] as string, warehouseId: world.warehouseId, quantity: 1, discountPercent: 0 }] });
    const customer = await createCustomer(testContext(), admin, customerCreate.parse(aCustomer({ consentToEmail: false })));
    const request = await file('2026-11-27T08:00:00Z', { customer: { id: customer.id }, productId: world.products[0], orderId: undefined, serialOrLot: 'LOT-2026-11-A' });
    expect(request.customer).toEqual({ id: customer.id, name: 'Acme Trading Co.', email: 'wang.fang@example.com', phone: '+86 21 5555 0199', consentToEmail: false });
    expect(request).toMatchObject({ productId: world.products[0], serialOrLot: 'LOT-2026-11-A' });
    const ordered = await file('2026-11-27T08:00:00Z', { customer: { id: world.customerId }, orderId: order.id });
    expect(ordered.orderId).toBe(order.id);
    await expect(file('2026-11-27T08:00:00Z', { customer: { id: customer.id }, orderId: order.id })).rejects.toMatchObject({ status: 400, errors: [{ path: '$.body.orderId' }] });
  });

  it('refuses unknown references and a future receipt with JSON paths, writing nothing (no number, no figures)', async () => {
    const productId = await newProduct();
    const unknown = '01JAAAAAAAAAAAAAAAAAAAAAAA';
    const before = await lastReference('C', 2031);
    const error = await file('2031-05-01T08:00:00Z', { productId: unknown, orderId: unknown, customer: { id: unknown } }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).errors.map((e) => e.path).sort()).toEqual(['$.body.customer.id', '$.body.orderId', '$.body.productId']);
    const future = createServiceRequest(at('2031-05-01T08:00:00Z'), service, serviceRequestCreate.parse(aComplaint({ receivedAt: '2031-05-01T09:00:00Z', productId })));
    await expect(future).rejects.toMatchObject({ status: 400, errors: [{ path: '$.body.receivedAt' }] });
    expect(await lastReference('C', 2031)).toBe(before);
    expect(await complaintFiguresOfMonth('product', '2031-05')).toEqual([]);
    expect((await listServiceRequests(testContext(), service, { product: productId, limit: 10 })).items).toEqual([]);
    expect(() => serviceRequestCreate.parse(aComplaint({ customer: { name: 'No contact' } }))).toThrow();
  });

  it('numbers concurrent filings gap-free', async () => {
    const made = await Promise.all(Array.from({ length: 12 }, () => file('2032-01-10T08:00:00Z')));
    const numbers = made.map((request) => Number(request.reference.slice('C-2032-'.length))).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 12 }, (_, index) => index + 1));
    expect(await lastReference('C', 2032)).toBe(12);
  });
});

describe('service requests: the complaint workflow', () => {
  it('runs received → acknowledged → investigating → resolution-proposed → resolved → closed, recording who, when and why', async () => {
    const request = await file('2026-11-27T08:00:00Z');
    const acknowledged = await acknowledgeServiceRequest(at('2026-11-27T08:30:00Z'), service, request.id, { note: 'Called the customer back.' });
    expect(acknowledged).toMatchObject({ status: 'acknowledged', sla: { firstRespondedAt: '2026-11-27T08:30:00.000Z' } });
    const assigned = await assignServiceRequest(at('2026-11-27T08:40:00Z'), service, request.id, { department: 'rnd', assignee: { userId: rnd.userId, name: 'Engineer' }, note: 'Keypad fault: R&D.' });
    expect(assigned).toMatchObject({ status: 'investigating', department: 'rnd', assignee: { userId: rnd.userId } });
    await recordInvestigation(at('2026-11-27T10:00:00Z'), rnd, request.id, investigationBody);
    const proposed = await resolveServiceRequest(at('2026-11-27T11:00:00Z'), service, request.id, { measures: [{ kind: 'replace', description: 'New keypad module' }], customerAgreed: false });
    expect(proposed).toMatchObject({ status: 'resolution-proposed', resolution: { customerAgreed: false } });
    expect(proposed.sla.resolvedAt).toBeUndefined();
    const resolved = await resolveServiceRequest(at('2026-11-27T12:00:00Z'), service, request.id, { customerAgreed: true });
    expect(resolved).toMatchObject({ status: 'resolved', sla: { resolvedAt: '2026-11-27T12:00:00.000Z' }, resolution: { measures: [{ kind: 'replace' }], agreedAt: '2026-11-27T12:00:00.000Z' } });
    await recordServiceFeedback(at('2026-11-28T09:00:00Z'), service, request.id, { satisfaction: 4, comment: 'Quick.' });
    const closed = await closeServiceRequest(at('2026-11-28T09:05:00Z'), service, request.id, {});
    expect(closed.status).toBe('closed');

    const stored = await getServiceRequest(request.id);
    expect(stored.version).toBe(8);
    expect(stored.timeline.map((entry) => [entry.action, entry.by, entry.at])).toEqual([
      ['received', 'agent@example.com', '2026-11-27T08:00:00.000Z'],
      ['acknowledged', 'agent@example.com', '2026-11-27T08:30:00.000Z'],
      ['assigned', 'agent@example.com', '2026-11-27T08:40:00.000Z'],
      ['investigated', 'engineer@example.com', '2026-11-27T10:00:00.000Z'],
      ['resolution-proposed', 'agent@example.com', '2026-11-27T11:00:00.000Z'],
      ['resolved', 'agent@example.com', '2026-11-27T12:00:00.000Z'],
      ['feedback', 'agent@example.com', '2026-11-28T09:00:00.000Z'],
      ['closed', 'agent@example.com', '2026-11-28T09:05:00.000Z'],
    ]);
    expect(stored.timeline[2]).toMatchObject({ department: 'rnd', from: 'acknowledged', to: 'investigating', note: 'Keypad fault: R&D.' });
    expect(stored.timeline[6]?.note).toBe('satisfaction 4/5: Quick.');
  });

  it('rejects illegal moves with 409 and leaves the request unchanged', async () => {
    const request = await file('2026-11-27T08:00:00Z');
    const t = at('2026-11-27T08:10:00Z');
    await expect(recordServiceFeedback(t, service, request.id, { satisfaction: 5 })).rejects.toBeInstanceOf(ConflictError);
    await expect(closeServiceRequest(t, service, request.id, {})).rejects.toBeInstanceOf(ConflictError);
    await expect(reopenServiceRequest(t, service, request.id, { reason: 'again' })).rejects.toBeInstanceOf(ConflictError);
    await expect(resolveServiceRequest(t, service, request.id, refund)).rejects.toBeInstanceOf(ConflictError);
    await acknowledgeServiceRequest(t, service, request.id, {});
    await expect(acknowledgeServiceRequest(t, service, request.id, {})).rejects.toMatchObject({ status: 409 });
    await assignServiceRequest(t, service, request.id, { department: 'rnd' });
    await expect(assignServiceRequest(t, service, request.id, { department: 'rnd' })).rejects.toMatchObject({ status: 409 });
    // A complaint is investigated before it is resolved.
    await expect(resolveServiceRequest(t, service, request.id, refund)).rejects.toMatchObject({ status: 409, message: expect.stringContaining('investigation') });
    await recordInvestigation(t, rnd, request.id, investigationBody);
    const resolved = await resolveServiceRequest(t, service, request.id, refund);
    expect(resolved.status).toBe('resolved');
    await expect(recordInvestigation(t, rnd, request.id, investigationBody)).rejects.toMatchObject({ status: 409 });
    await expect(assignServiceRequest(t, service, request.id, { department: 'production' })).rejects.toMatchObject({ status: 409 });
    // Without feedback: closable only 7 days after resolution.
    await expect(closeServiceRequest(at('2026-12-04T08:09:00Z'), service, request.id, {})).rejects.toMatchObject({ status: 409, extensions: { closableAt: '2026-12-04T08:10:00.000Z' } });
    await recordServiceFeedback(t, service, request.id, { satisfaction: 3 });
    await expect(recordServiceFeedback(t, service, request.id, { satisfaction: 3 })).rejects.toMatchObject({ status: 409 });
    const unchanged = await getServiceRequest(request.id);
    expect(unchanged.timeline.map((entry) => entry.action)).toEqual(['received', 'acknowledged', 'assigned', 'investigated', 'resolved', 'feedback']);
  });

  it('closes after 7 days without feedback; reopen re-arms the resolution deadline from the reopening', async () => {
    const request = await investigated('2026-11-27T08:00:00Z');
    await resolveServiceRequest(at('2026-11-27T09:00:00Z'), service, request.id, refund);
    const closed = await closeServiceRequest(at('2026-12-04T09:00:00Z'), service, request.id, {});
    expect(closed.timeline.at(-1)).toMatchObject({ action: 'closed', note: 'closed after 7 days without feedback' });
    const reopened = await reopenServiceRequest(at('2026-12-05T10:00:00Z'), service, request.id, { reason: 'The keypad failed again.' });
    expect(reopened).toMatchObject({
      status: 'investigating',
      sla: { firstRespondedAt: '2026-11-27T08:00:00.000Z', resolutionStartedAt: '2026-12-05T10:00:00.000Z', resolutionDueAt: '2026-12-05T18:00:00.000Z', resolutionWarnAt: '2026-12-05T16:24:00.000Z' },
      timeline: expect.arrayContaining([expect.objectContaining({ action: 'reopened', from: 'closed', to: 'investigating', note: 'The keypad failed again.' })]),
    });
    expect(reopened.sla.resolvedAt).toBeUndefined();
    expect(reopened.closedAt).toBeUndefined();
    expect(await isOpen(request.id, '2026-12-05T18:00:00.001Z')).toBe(true);
  });

  it('consultations skip the investigation: acknowledged → resolved → closed', async () => {
    const request = await file('2026-11-27T08:00:00Z', { type: 'consultation', category: 'usage', priority: 'normal' });
    await acknowledgeServiceRequest(at('2026-11-27T08:10:00Z'), service, request.id, {});
    const resolved = await resolveServiceRequest(at('2026-11-27T08:20:00Z'), service, request.id, { measures: [{ kind: 'fix', description: 'Explained the pairing steps.' }], customerAgreed: true });
    expect(resolved.status).toBe('resolved');
  });
});

describe('service requests: who may do what', () => {
  it('a production user cannot touch a complaint assigned to rnd; rnd records its investigation', async () => {
    const request = await file('2026-11-27T08:00:00Z');
    await acknowledgeServiceRequest(at('2026-11-27T08:10:00Z'), service, request.id, {});
    await assignServiceRequest(at('2026-11-27T08:10:00Z'), service, request.id, { department: 'rnd' });
    await expect(recordInvestigation(at('2026-11-27T09:00:00Z'), production, request.id, investigationBody)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(recordInvestigation(at('2026-11-27T09:00:00Z'), service, request.id, investigationBody)).rejects.toBeInstanceOf(ForbiddenError);
    expect((await getServiceRequest(request.id)).investigation).toBeUndefined();
    const done = await recordInvestigation(at('2026-11-27T09:00:00Z'), rnd, request.id, investigationBody);
    expect(done.investigation).toMatchObject({ ...investigationBody, department: 'rnd', recordedBy: 'engineer@example.com' });
  });

  it('management reassigns but does not make the first assignment; each hand-over is in the timeline', async () => {
    const request = await file('2026-11-27T08:00:00Z');
    await expect(assignServiceRequest(at('2026-11-27T08:10:00Z'), management, request.id, { department: 'rnd' })).rejects.toBeInstanceOf(ForbiddenError);
    await assignServiceRequest(at('2026-11-27T08:10:00Z'), service, request.id, { department: 'rnd', assignee: { userId: rnd.userId } });
    const moved = await assignServiceRequest(at('2026-11-27T09:10:00Z'), management, request.id, { department: 'production', note: 'Assembly fault, not design.' });
    expect(moved).toMatchObject({ department: 'production', status: 'received' });
    expect(moved.assignee).toBeUndefined();
    expect(moved.timeline.filter((entry) => entry.action === 'assigned').map((entry) => [entry.department, entry.note])).toEqual([
      ['rnd', `assigned to ${rnd.userId}`],
      ['production', 'Assembly fault, not design.'],
    ]);
  });

  it('contact details reach service, sales and management only', async () => {
    const request = await file('2026-11-27T08:00:00Z');
    for (const role of ['service', 'sales', 'management', 'admin'] as const) expect(serviceRequestFor(anActor([role]), request).customer).toMatchObject({ email: 'sun.li@example.com', phone: '+86 21 5555 0142' });
    for (const role of ['rnd', 'production', 'market', 'procurement'] as const) expect(serviceRequestFor(anActor([role]), request).customer).toEqual({ name: 'Sun Li', consentToEmail: true });
  });
});

describe('service requests: concurrent duplicates', () => {
  /** Runs `move` twice at once: exactly one wins, the other gets 409, and the timeline has one entry of `action`. */
  async function once(id: string, action: string, move: () => Promise<ServiceRequest>) {
    const results = await Promise.allSettled([move(), move()]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    expect(rejected?.reason).toBeInstanceOf(ConflictError);
    expect((await getServiceRequest(id)).timeline.filter((entry) => entry.action === action)).toHaveLength(1);
  }

  it('every transition applied twice at once: one wins, the other gets 409, one timeline entry', async () => {
    const t = at('2026-11-27T08:10:00Z');
    const request = await file('2026-11-27T08:00:00Z');
    await once(request.id, 'acknowledged', () => acknowledgeServiceRequest(t, service, request.id, {}));
    await once(request.id, 'assigned', () => assignServiceRequest(t, service, request.id, { department: 'rnd' }));
    await once(request.id, 'investigated', () => recordInvestigation(t, rnd, request.id, investigationBody));
    await once(request.id, 'resolution-proposed', () => resolveServiceRequest(t, service, request.id, { ...refund, customerAgreed: false }));
    await once(request.id, 'resolved', () => resolveServiceRequest(t, service, request.id, { customerAgreed: true }));
    await once(request.id, 'feedback', () => recordServiceFeedback(t, service, request.id, { satisfaction: 5 }));
    await once(request.id, 'closed', () => closeServiceRequest(t, service, request.id, {}));
    await once(request.id, 'reopened', () => reopenServiceRequest(t, service, request.id, { reason: 'Failed again.' }));
  });
});

describe('service requests: the SLA_OPEN index and the breached list', () => {
  it('holds the earliest unmet deadline while open, follows acknowledge and resolution, and lists overdue requests', async () => {
    const productId = await newProduct();
    const request = await file('2033-03-01T08:00:00Z', { productId });
    // Urgent: first response due 09:00, resolution 16:00.
    expect(await isOpen(request.id, '2033-03-01T09:00:00.001Z')).toBe(true);
    expect(await isOpen(request.id, '2033-03-01T09:00:00.000Z')).toBe(false);
    const breached = (when: string) => listServiceRequests(at(when), service, { breached: 'true', product: productId, limit: 10 });
    expect((await breached('2033-03-01T08:59:00Z')).items).toEqual([]);
    expect((await breached('2033-03-01T09:01:00Z')).items.map((item) => item.id)).toEqual([request.id]);
    // Other filters apply on top of the overdue list.
    expect((await listServiceRequests(at('2033-03-01T09:01:00Z'), service, { breached: 'true', product: productId, type: 'consultation', limit: 10 })).items).toEqual([]);

    await acknowledgeServiceRequest(at('2033-03-01T09:30:00Z'), service, request.id, {});
    expect(await isOpen(request.id, '2033-03-01T16:00:00.000Z')).toBe(false);
    expect(await isOpen(request.id, '2033-03-01T16:00:00.001Z')).toBe(true);
    expect((await breached('2033-03-01T10:00:00Z')).items).toEqual([]);
    expect((await breached('2033-03-01T16:30:00Z')).items.map((item) => item.id)).toEqual([request.id]);

    await assignServiceRequest(at('2033-03-01T09:30:00Z'), service, request.id, { department: 'rnd' });
    await recordInvestigation(at('2033-03-01T10:00:00Z'), rnd, request.id, investigationBody);
    await resolveServiceRequest(at('2033-03-01T11:00:00Z'), service, request.id, refund);
    expect(await isOpen(request.id, '2099-01-01T00:00:00Z')).toBe(false);
    expect((await breached('2033-03-01T16:30:00Z')).items).toEqual([]);
  });

  it('lists by each filter through its index, newest first, paginated', async () => {
    const productId = await newProduct();
    const made: ServiceRequest[] = [];
    for (let index = 0; index < 5; index++) made.push(await file('2026-11-27T08:00:00Z', { productId, priority: index % 2 ? 'high' : 'low' }));
    await assignServiceRequest(at('2026-11-27T08:10:00Z'), service, made[0]?.id as string, { department: 'procurement', assignee: { userId: 'buyer-1' } });

    const first = await listServiceRequests(testContext(), service, { product: productId, limit: 2 });
    expect(first.items.map((item) => item.id)).toEqual([made[4]?.id, made[3]?.id]);
    const second = await listServiceRequests(testContext(), service, { product: productId, limit: 2, cursor: first.nextCursor ?? undefined });
    expect(second.items.map((item) => item.id)).toEqual([made[2]?.id, made[1]?.id]);
    expect((await listServiceRequests(testContext(), service, { product: productId, priority: 'high', limit: 10 })).items).toHaveLength(2);
    expect((await listServiceRequests(testContext(), service, { department: 'procurement', assignee: 'buyer-1', limit: 10 })).items.map((item) => item.id)).toEqual([made[0]?.id]);
    expect((await listServiceRequests(testContext(), service, { assignee: 'buyer-1', limit: 10 })).items.map((item) => item.id)).toEqual([made[0]?.id]);
    const received = await listServiceRequests(testContext(), service, { status: 'received', type: 'complaint', product: productId, limit: 10 });
    expect(received.items).toHaveLength(5);
    expect((await listServiceRequests(testContext(), service, { limit: 3 })).items[0]?.id).toBe(made[4]?.id);
    // Roles without contact rights get the requests without them.
    expect((await listServiceRequests(testContext(), rnd, { product: productId, limit: 1 })).items[0]?.customer).toEqual({ name: 'Sun Li', consentToEmail: true });
  });
});

describe('service requests: complaint analysis', () => {
  it('keeps exact monthly figures per product, category, root cause and department', async () => {
    const productId = await newProduct();
    const month = '2034-04';
    // A: first response in 30 min (met), resolved in 6 h (met) with refund and compensation; satisfaction 4.
    const a = await file('2034-04-10T08:00:00Z', { productId });
    await acknowledgeServiceRequest(at('2034-04-10T08:30:00Z'), service, a.id, {});
    await assignServiceRequest(at('2034-04-10T08:40:00Z'), service, a.id, { department: 'rnd' });
    await recordInvestigation(at('2034-04-10T10:00:00Z'), rnd, a.id, investigationBody);
    await resolveServiceRequest(at('2034-04-10T14:00:00Z'), service, a.id, {
      measures: [
        { kind: 'refund', amount: { amount: 12_000, currency: 'CNY' } },
        { kind: 'compensation', amount: { amount: 5_000, currency: 'CNY' } },
        { kind: 'process-rectification', description: 'Realign the fixture.', owner: 'Line 2 lead', dueOn: '2034-05-01' },
      ],
      customerAgreed: true,
    });
    await recordServiceFeedback(at('2034-04-11T08:00:00Z'), service, a.id, { satisfaction: 4 });
    // B: first response after 2 h (breached), reassigned rnd → production, resolved after 10 h (breached); satisfaction 2.
    const b = await file('2034-04-12T08:00:00Z', { productId, category: 'delivery' });
    await acknowledgeServiceRequest(at('2034-04-12T10:00:00Z'), service, b.id, {});
    await assignServiceRequest(at('2034-04-12T10:00:00Z'), service, b.id, { department: 'rnd' });
    await assignServiceRequest(at('2034-04-12T10:30:00Z'), management, b.id, { department: 'production' });
    await recordInvestigation(at('2034-04-12T11:00:00Z'), production, b.id, { ...investigationBody, rootCause: { category: 'logistics', text: 'Crushed in transit.' } });
    await resolveServiceRequest(at('2034-04-12T18:00:00Z'), service, b.id, { measures: [{ kind: 'compensation', amount: { amount: 3_000, currency: 'CNY' } }], customerAgreed: true });
    await recordServiceFeedback(at('2034-04-13T08:00:00Z'), service, b.id, { satisfaction: 2 });
    // C: received only. A wrong-currency compensation is refused and books nothing.
    const c = await file('2034-04-20T08:00:00Z', { productId });
    await acknowledgeServiceRequest(at('2034-04-20T08:20:00Z'), service, c.id, {});
    await assignServiceRequest(at('2034-04-20T08:20:00Z'), service, c.id, { department: 'rnd' });
    await recordInvestigation(at('2034-04-20T08:30:00Z'), rnd, c.id, investigationBody);
    await expect(resolveServiceRequest(at('2034-04-20T09:00:00Z'), service, c.id, { measures: [{ kind: 'compensation', amount: { amount: 1, currency: 'USD' } }], customerAgreed: true })).rejects.toMatchObject({
      status: 400,
      errors: [{ path: '$.body.measures[0].amount.currency' }],
    });

    expect(await figures('product', month, productId)).toEqual({
      ...ZERO_COMPLAINT_FIGURES,
      received: 3,
      resolved: 2,
      firstResponseMet: 2,
      firstResponseBreached: 1,
      firstResponseMinutes: 30 + 120 + 20,
      firstResponseCount: 3,
      resolutionMet: 1,
      resolutionBreached: 1,
      resolutionMinutes: 6 * 60 + 10 * 60,
      resolutionCount: 2,
      satisfactionSum: 6,
      satisfactionCount: 2,
      compensation: 8_000,
      refunds: 12_000,
    });
    // B's receipt moved rnd → production and undetermined → logistics; C's to rnd / manufacturing.
    expect(await figures('department', month, 'rnd')).toMatchObject({ received: 2, resolved: 1, compensation: 5_000 });
    expect(await figures('department', month, 'production')).toMatchObject({ received: 1, resolved: 1, resolutionBreached: 1, satisfactionSum: 2 });
    // First responses came before assignment: booked to `unassigned`; its receipts moved away.
    expect(await figures('department', month, 'unassigned')).toMatchObject({ received: 0, firstResponseCount: 3 });
    expect(await figures('rootCause', month, 'logistics')).toMatchObject({ received: 1, resolved: 1 });
    expect(await figures('rootCause', month, 'manufacturing')).toMatchObject({ received: 2, resolved: 1, refunds: 12_000 });
    expect(await figures('category', month, 'delivery')).toMatchObject({ received: 1, compensation: 3_000 });

    const summary = await complaintSummary({ month, by: 'department' });
    expect(summary.currency).toBe('CNY');
    expect(summary.rows.map((row) => row.id)).toEqual(['rnd', 'production', 'unassigned']);
    expect(summary.total).toMatchObject({
      received: 3,
      resolved: 2,
      firstResponse: { met: 2, breached: 1, metRate: 2 / 3, averageMinutes: 170 / 3 },
      resolution: { met: 1, breached: 1, metRate: 0.5, averageMinutes: 480 },
      satisfaction: { count: 2, average: 3 },
      compensation: 8_000,
      refunds: 12_000,
    });
    expect((await complaintSummary({ month, by: 'rootCause' })).total).toEqual(summary.total);

    // A reopening counts, and a second resolution is a second resolution event.
    await reopenServiceRequest(at('2034-04-21T08:00:00Z'), service, a.id, { reason: 'Failed again.' });
    expect(await figures('product', month, productId)).toMatchObject({ reopened: 1, received: 3 });
  });

  it('consultations and repairs book no complaint figures', async () => {
    const productId = await newProduct();
    const request = await file('2035-01-05T08:00:00Z', { productId, type: 'repair' });
    await acknowledgeServiceRequest(at('2035-01-05T08:10:00Z'), service, request.id, {});
    expect(await figures('product', '2035-01', productId)).toEqual(ZERO_COMPLAINT_FIGURES);
  });
});
