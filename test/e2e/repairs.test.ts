import { describe, expect, it } from 'vitest';
import { useApi } from '../support/api';
import { aProduct, aRepair, aTechnician, aWarehouse } from '../support/factories';
import { uniqueEmail, waitForEmailsAbout } from '../support/mail';

const harness = useApi();

/** An hour-long window starting tomorrow (real time: the API's clock is the system clock). */
function tomorrow() {
  const start = new Date(Date.now() + 86_400_000);
  return { start: start.toISOString(), end: new Date(start.getTime() + 3_600_000).toISOString() };
}

describe('acceptance: repairs through the local API', () => {
  it('a repair using 3 parts lowers stock by 3; crossing the minimum sends the inventory alert once; a retried use issues once', async () => {
    const admin = await harness.api.as('admin');
    const service = await harness.api.as('service');
    const productionHead = uniqueEmail('production-head');
    expect((await admin('PUT', '/departments/production', { body: { head: { name: 'Zhang Min', email: productionHead } } })).status).toBe(200);
    const [product, part, warehouse] = await Promise.all([
      admin('POST', '/products', { body: aProduct() }),
      admin('POST', '/products', { body: aProduct({ name: 'S2 motor', category: 'spare-part' }) }),
      admin('POST', '/warehouses', { body: aWarehouse() }),
    ]);
    const level = { productId: part.body.id as string, warehouseId: warehouse.body.id as string };
    expect((await admin('POST', '/stock-movements', { body: { kind: 'receipt', source: 'purchase', lines: [{ ...level, quantity: 12 }] } })).status).toBe(201);
    expect((await admin('PUT', `/stock/${level.productId}/${level.warehouseId}/thresholds`, { body: { safety: 2, minimum: 10, maximum: 100, reorderQuantity: 40, leadTimeDays: 7 } })).status).toBe(200);
    const technician = await service('POST', '/technicians', { body: aTechnician() });
    expect(technician.status).toBe(201);

    const created = await service('POST', '/repairs', {
      body: aRepair(product.body.id, { soldOn: '2020-01-01', technicianId: technician.body.id, window: tomorrow(), parts: [{ ...level, quantity: 3 }] }),
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'scheduled', warranty: { underWarranty: false, payer: 'customer' }, parts: [{ reserved: 3 }] });
    const id = created.body.id as string;

    const use = () => service('POST', `/repairs/${id}/parts-used`, { body: { lines: [{ line: 0, quantity: 3 }] }, headers: { 'idempotency-key': `use-${id}` } });
    const first = await use();
    expect(first.status).toBe(200);
    const replay = await use();
    expect(replay.status).toBe(200);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    const completed = await service('POST', `/repairs/${id}/complete`, { body: { labourHours: 2, result: { outcome: 'fixed', summary: 'Replaced three motors.' }, signOff: { name: 'Zhou Lan', signedAt: new Date().toISOString() } } });
    expect(completed.status).toBe(200);
    expect(completed.body.parts[0]).toMatchObject({ used: 3, reserved: 0, released: 0 });

    const stock = await admin('GET', `/stock/${level.productId}/${level.warehouseId}`);
    expect(stock.body).toMatchObject({ onHand: 9, reserved: 0, available: 9, band: 'below-minimum' });

    // Available stock crossed the minimum when the parts were reserved: one alert, naming what is left.
    const alerts = await waitForEmailsAbout(productionHead, 'Below minimum', 1);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.subject).toContain('(9 available, minimum 10)');
  }, 60_000);

  it('production reads repairs without the customer’s contacts; sales cannot read them', async () => {
    const admin = await harness.api.as('admin');
    const service = await harness.api.as('service');
    const product = await admin('POST', '/products', { body: aProduct() });
    const created = await service('POST', '/repairs', { body: aRepair(product.body.id) });
    expect(created.status).toBe(201);
    expect(created.body.customer).toMatchObject({ name: 'Zhou Lan', phone: '+86 21 5555 0123' });
    const production = await harness.api.as('production');
    const seen = await production('GET', `/repairs/${created.body.id}`);
    expect(seen.status).toBe(200);
    expect(seen.body.customer).toEqual({ name: 'Zhou Lan' });
    expect((await (await harness.api.as('sales'))('GET', `/repairs/${created.body.id}`)).status).toBe(403);
  });
});
