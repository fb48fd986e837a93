import { describe, expect, it } from 'vitest';
import { invoke } from '../../infra/local/lambda';
import type { StoredEmail } from '../../infra/local/ses';
import { slaEscalationFunction } from '../../infra/manifest/service-sla';
import { useApi } from '../support/api';
import { aComplaint, aProduct } from '../support/factories';
import { emailsTo, uniqueEmail } from '../support/mail';

const harness = useApi();

/** Emails to `address` whose subject contains `text`, polled until `count` arrived or `timeoutMs` passed. */
async function waitFor(address: string, text: string, count = 1, timeoutMs = 5_000): Promise<StoredEmail[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const emails = (await emailsTo(address)).filter((email) => email.subject.includes(text));
    if (emails.length >= count || Date.now() > deadline) return emails;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const about = async (address: string, reference: string) => (await emailsTo(address)).filter((email) => email.subject.includes(reference)).map((email) => email.subject);

describe('acceptance: service emails and SLA escalation, through the local API', () => {
  it('emails the heads when an urgent complaint is filed and assigned, escalates its missed first response once, and tells the customer of the refund', async () => {
    const admin = await harness.api.as('admin');
    const service = await harness.api.as('service');
    const production = await harness.api.as('production');
    const to = { service: uniqueEmail('service-head'), management: uniqueEmail('management-head'), production: uniqueEmail('production-head'), rnd: uniqueEmail('rnd-head') };
    for (const [code, email] of Object.entries(to)) {
      expect((await admin('PUT', `/departments/${code}`, { body: { head: { name: `Head of ${code}`, email } } })).status).toBe(200);
    }
    const product = await admin('POST', '/products', { body: aProduct({ name: 'Smart lock S2', ownerDepartment: 'rnd' }) });
    expect(product.status).toBe(201);
    const customerEmail = uniqueEmail('customer');
    const assignee = { userId: 'user-production', name: 'Wang Wei', email: uniqueEmail('wang.wei') };

    // File: the service head (and the product's owner, rnd) hear within 5 s.
    const filed = await service('POST', '/service-requests', {
      body: aComplaint({ productId: product.body.id, customer: { name: 'Sun Li', email: customerEmail, consentToEmail: true } }),
    });
    expect(filed.status).toBe(201);
    const { id, reference } = filed.body as { id: string; reference: string };
    expect(reference).toMatch(/^C-\d{4}-\d{5}$/);
    const [toService] = await waitFor(to.service, reference);
    expect(toService?.subject).toBe(`[Complaint ${reference}] New urgent complaint about Smart lock S2: quality`);
    expect(toService?.body.text).toContain(reference);
    expect(toService?.body.html).toContain(reference);
    expect(await waitFor(to.rnd, reference)).toHaveLength(1);

    // Four one-time schedules (warning and breach of both deadlines) on the local Scheduler.
    await harness.stack.idle();
    const schedulesOf = () => harness.stack.schedulerApi.schedules().filter((schedule) => schedule.name.startsWith(`sla-${id}-`));
    expect(schedulesOf().map((schedule) => schedule.at).sort()).toEqual(
      [filed.body.sla.firstResponseWarnAt, filed.body.sla.firstResponseDueAt, filed.body.sla.resolutionWarnAt, filed.body.sla.resolutionDueAt]
        .map((instant: string) => new Date(Math.ceil(Date.parse(instant) / 1000) * 1000).toISOString())
        .sort(),
    );
    expect(schedulesOf().every((schedule) => schedule.actionAfterCompletion === 'DELETE' && schedule.groupName === 'postlaunch')).toBe(true);

    // Assign to production: the production head hears.
    const assigned = await service('POST', `/service-requests/${id}/assign`, { body: { department: 'production', assignee } });
    expect(assigned.status).toBe(200);
    const [toProduction] = await waitFor(to.production, 'Assigned to production');
    expect(toProduction?.subject).toBe(`[Complaint ${reference}] Assigned to production (Wang Wei)`);

    // The 1 h first response passes on a test clock: both first-response schedules fire; then the
    // hourly sweep runs at the same clock and finds nothing more to do.
    const later = new Date(Date.parse(filed.body.sla.firstResponseDueAt) + 60_000);
    expect(await harness.stack.schedulerApi.runDue(later)).toBe(2);
    expect(await invoke(slaEscalationFunction, { source: 'manual', time: later.toISOString() }, 'us-east-1')).toMatchObject({ escalated: 0 });
    await harness.stack.idle();
    expect(await about(to.service, 'SLA breached')).toEqual([`[Complaint ${reference}] SLA breached: first response was due at ${filed.body.sla.firstResponseDueAt}`]);
    expect(await about(to.management, 'SLA breached')).toHaveLength(1);
    expect(await about(assignee.email, 'SLA warning')).toHaveLength(1);
    expect((await about(to.production, 'SLA')).filter((subject) => subject.includes('SLA warning'))).toHaveLength(1);
    expect(schedulesOf()).toHaveLength(2); // the resolution checkpoints remain

    // Acknowledge, investigate (production), resolve with a refund: the customer hears, once.
    expect((await service('POST', `/service-requests/${id}/acknowledge`, { body: { note: 'Called back.' } })).status).toBe(200);
    expect((await service('POST', `/service-requests/${id}/assign`, { body: { department: 'production', assignee: { ...assignee, userId: 'user-production-2' } } })).status).toBe(200);
    const investigated = await production('POST', `/service-requests/${id}/investigation`, {
      body: { findings: 'Keypad flex cable pinched at assembly.', rootCause: { category: 'manufacturing', text: 'Fixture misaligned on line 2.' } },
    });
    expect(investigated.status).toBe(200);
    const resolved = await service('POST', `/service-requests/${id}/resolution`, {
      body: { measures: [{ kind: 'refund', amount: { amount: 12_000, currency: 'CNY' }, description: 'Full refund of the lock' }], customerAgreed: true },
    });
    expect(resolved.status).toBe(200);
    const [toCustomer] = await waitFor(customerEmail, reference);
    expect(toCustomer?.subject).toBe(`[Complaint ${reference}] Your complaint has been resolved`);
    expect(toCustomer?.body.text).toContain('Refund — 120.00 CNY — Full refund of the lock');
    expect(toCustomer?.body.text).toMatch(/rating from 1 .* to 5/);
    expect(toCustomer?.body.html).toContain(reference);

    // Met deadlines leave no schedule behind; every email went exactly once.
    await harness.stack.idle();
    expect(schedulesOf()).toEqual([]);
    expect(await about(customerEmail, reference)).toHaveLength(1);
    expect(await about(to.service, reference)).toHaveLength(2); // filed + breached
    expect(await about(to.management, reference)).toHaveLength(1);
    expect(await about(to.production, reference)).toHaveLength(2); // assigned + warning
  }, 60_000);
});
