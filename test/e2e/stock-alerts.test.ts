import { describe, expect, it } from 'vitest';
import type { StoredEmail } from '../../infra/local/ses';
import { useApi } from '../support/api';
import { aProduct, aWarehouse } from '../support/factories';
import { emailsTo, uniqueEmail, waitForEmailsAbout } from '../support/mail';

const harness = useApi();

const BELOW_MINIMUM = 'Below minimum';

async function alertsTo(address: string, headline: string): Promise<StoredEmail[]> {
  return (await emailsTo(address)).filter((email) => email.subject.includes(headline));
}

/** Stock-alert emails only: a newly named head also gets a welcome email. */
const waitForAlerts = waitForEmailsAbout;

describe('acceptance: stock below minimum, through the local API', () => {
  it('emails the production and procurement heads once per crossing, and keeps the alerts listable', async () => {
    const admin = await harness.api.as('admin');
    const production = await harness.api.as('production');
    const productionHead = uniqueEmail('production-head');
    const procurementHead = uniqueEmail('procurement-head');
    expect((await admin('PUT', '/departments/production', { body: { head: { name: 'Zhang Min', email: productionHead } } })).status).toBe(200);
    expect((await admin('PUT', '/departments/procurement', { body: { head: { name: 'Wang Fang', email: procurementHead } } })).status).toBe(200);

    const product = await production('POST', '/products', { body: aProduct({ name: 'Smart lock S2' }) });
    const warehouse = await production('POST', '/warehouses', { body: aWarehouse({ code: 'SH-01' }) });
    expect([product.status, warehouse.status]).toEqual([201, 201]);
    const productId = product.body.id as string;
    const warehouseId = warehouse.body.id as string;
    const line = (quantity: number) => ({ lines: [{ productId, warehouseId, quantity }] });
    const receive = (quantity: number) => production('POST', '/stock-movements', { body: { kind: 'receipt', source: 'purchase', ...line(quantity) } });
    const issue = (quantity: number) => production('POST', '/stock-movements', { body: { kind: 'issue', purpose: 'sale', ...line(quantity) } });

    // Stock first, then thresholds: setting a minimum over an empty level would itself alert.
    expect((await receive(12)).status).toBe(201);
    const set = await production('PUT', `/stock/${productId}/${warehouseId}/thresholds`, {
      body: { safety: 3, minimum: 10, maximum: 100, reorderQuantity: 50, leadTimeDays: 14 },
    });
    expect(set.status).toBe(200);

    // 12 → 9: one email to each head within 5 s.
    expect((await issue(3)).status).toBe(201);
    const [toProduction] = await waitForAlerts(productionHead, BELOW_MINIMUM, 1);
    const [toProcurement] = await waitForAlerts(procurementHead, BELOW_MINIMUM, 1);
    expect(toProduction?.subject).toBe('[postlaunch] Below minimum: Smart lock S2 at SH-01 (9 available, minimum 10)');
    expect(toProcurement?.subject).toBe(toProduction?.subject);
    expect(toProduction?.body.text).toMatch(/Suggested reorder\s+91 units/);
    expect(toProduction?.body.text).toMatch(/Average daily issue \(30 days\)\s+0\.1 units\/day/);
    expect(toProduction?.body.text).toMatch(/Days of cover\s+90 days/);

    // 9 → 8: within the band, no second email.
    expect((await issue(1)).status).toBe(201);
    await harness.stack.idle();
    expect(await alertsTo(productionHead, BELOW_MINIMUM)).toHaveLength(1);
    expect(await alertsTo(procurementHead, BELOW_MINIMUM)).toHaveLength(1);

    // Back to 15 re-arms (and resolves the alert); down to 9 again alerts once more.
    expect((await receive(7)).status).toBe(201);
    await harness.stack.idle();
    expect((await admin('GET', '/alerts?kind=stock-below-minimum')).body.items).toEqual([]);
    expect((await issue(6)).status).toBe(201);
    expect(await waitForAlerts(productionHead, BELOW_MINIMUM, 2)).toHaveLength(2);
    expect(await waitForAlerts(procurementHead, BELOW_MINIMUM, 2)).toHaveLength(2);
    await harness.stack.idle();
    expect(await alertsTo(productionHead, BELOW_MINIMUM)).toHaveLength(2);
    expect(await alertsTo(productionHead, 'Below safety')).toEqual([]);

    // The register: one resolved and one open alert for this level.
    const sales = await harness.api.as('sales');
    const open = await sales('GET', '/alerts?status=open&kind=stock-below-minimum');
    const resolved = await sales('GET', '/alerts?status=resolved&kind=stock-below-minimum');
    expect(open.status).toBe(200);
    expect(open.body.items).toHaveLength(1);
    expect(resolved.body.items).toHaveLength(1);
    expect(open.body.items[0]).toMatchObject({ subject: { productId, warehouseId }, status: 'open', figures: { available: 9 } });
    expect(resolved.body.items[0]).toMatchObject({ status: 'resolved', figures: { available: 9 } });

    const id = open.body.items[0].id as string;
    expect((await sales('POST', `/alerts/${id}/acknowledge`)).status).toBe(403);
    const acknowledged = await production('POST', `/alerts/${id}/acknowledge`);
    expect(acknowledged.status).toBe(200);
    expect(acknowledged.body).toMatchObject({ acknowledgedBy: 'production@example.com' });
    const again = await admin('POST', `/alerts/${id}/acknowledge`);
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toContain('application/problem+json');
    const read = await sales('GET', `/alerts/${id}`);
    expect(read.headers.get('etag')).toBeTruthy();
    expect(read.body.acknowledgedAt).toBe(acknowledged.body.acknowledgedAt);
  });
});
