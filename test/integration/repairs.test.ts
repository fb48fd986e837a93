import { describe, expect, it } from 'vitest';
import { createProduct, createWarehouse } from '../../lib/catalog/service';
import { getLevel } from '../../lib/inventory/service';
import { allLedgerEntries } from '../../lib/inventory/store';
import { ConflictError, NotFoundError, PreconditionFailedError, ValidationError } from '../../lib/platform/errors';
import { newId } from '../../lib/platform/ids';
import { confirmOrder, createOrder, shipOrder } from '../../lib/sales/orders';
import { repairCreate } from '../../lib/service/repairs/schema';
import { serviceRequestCreate } from '../../lib/service/requests/schema';
import { createServiceRequest } from '../../lib/service/requests/service';
import {
  cancelRepair,
  completeRepair,
  createRepair,
  getRepair,
  listRepairs,
  recordPartsUsed,
  recordReturnVisit,
  repairAsSeenBy,
  scheduleRepair,
  scheduleReturnVisit,
} from '../../lib/service/repairs/service';
import { createTechnician, getTechnician, listTechnicians, listTechnicianTrainings, recordTechnicianTraining, updateTechnician } from '../../lib/service/repairs/technicians';
import { addMonths } from '../../lib/service/repairs/warranty';
import { aProduct, aRepair, aTechnician, aTechnicianTraining, anActor, aWarehouse, fixedClock, testContext } from '../support/factories';
import { keeper, receive } from '../support/inventory';
import { aSalesWorld, seller } from '../support/sales';

const clerk = anActor(['service'], { email: 'service@example.com' });
const WINDOW = { start: '2026-11-28T01:00:00Z', end: '2026-11-28T03:00:00Z' };
const SIGN_OFF = { name: 'Zhou Lan', signedAt: '2026-11-28T02:50:00Z' };

/** A product to repair, a warehouse, and spare-part products with `stock[i]` units on hand there. */
async function aRepairWorld(stock: number[]) {
  const context = testContext();
  const [product, warehouse, parts] = await Promise.all([
    createProduct(context, keeper, aProduct({ warrantyMonths: 24 })),
    createWarehouse(context, keeper, aWarehouse()),
    Promise.all(stock.map(() => createProduct(context, keeper, aProduct({ name: 'S2 motor', category: 'spare-part' })))),
  ]);
  const warehouseId = warehouse.id;
  await Promise.all(parts.map((part, index) => ((stock[index] ?? 0) > 0 ? receive({ productId: part.id, warehouseId }, stock[index] ?? 0) : undefined)));
  const technician = await createTechnician(context, clerk, aTechnician());
  return { productId: product.id, warehouseId, parts: parts.map((part) => part.id), technicianId: technician.id };
}

type World = Awaited<ReturnType<typeof aRepairWorld>>;

function partLines(world: World, quantities: number[]) {
  return quantities.map((quantity, index) => ({ productId: world.parts[index] as string, warehouseId: world.warehouseId, quantity }));
}

async function stock(world: World, part: number) {
  return getLevel(world.parts[part] as string, world.warehouseId);
}

async function ledgerOf(world: World, part: number) {
  return allLedgerEntries(world.parts[part] as string, world.warehouseId);
}

describe('repairs: technicians and training', () => {
  it('keeps one technician per user, lists by region and skill, patches, and records training', async () => {
    const context = testContext();
    const technician = await createTechnician(context, clerk, aTechnician({ region: 'north-china', skills: ['hvac'] }));
    await expect(createTechnician(context, clerk, aTechnician({ userId: technician.userId }))).rejects.toBeInstanceOf(ConflictError);
    const byRegion = await listTechnicians({ region: 'north-china', skill: 'hvac', limit: 10 });
    expect(byRegion.items.map((item) => item.id)).toEqual([technician.id]);
    expect((await listTechnicians({ region: 'north-china', skill: 'plumbing', limit: 10 })).items).toEqual([]);

    const patched = await updateTechnician(context, clerk, technician.id, { active: false, email: null }, 1);
    expect(patched).toMatchObject({ active: false, version: 2 });
    expect(patched.email).toBeUndefined();
    await expect(updateTechnician(context, clerk, technician.id, { name: 'X' }, 1)).rejects.toBeInstanceOf(PreconditionFailedError);

    const training = await recordTechnicianTraining(context, clerk, technician.id, aTechnicianTraining());
    expect((await listTechnicianTrainings(technician.id, { limit: 10 })).items).toEqual([training]);
    await expect(recordTechnicianTraining(context, clerk, technician.id, aTechnicianTraining({ date: '2026-12-01' }))).rejects.toMatchObject({ status: 400, errors: [{ path: '$.body.date' }] });
    await expect(recordTechnicianTraining(context, clerk, newId(), aTechnicianTraining())).rejects.toBeInstanceOf(NotFoundError);
    expect((await getTechnician(technician.id)).version).toBe(2);
  });
});

describe('repairs: validation and warranty', () => {
  it('refuses bad input with the JSON path and writes nothing', async () => {
    const world = await aRepairWorld([5]);
    const window = repairCreate.safeParse({ ...aRepair(world.productId), window: { start: WINDOW.end, end: WINDOW.start } });
    expect(window.success).toBe(false);
    expect(window.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['window.end']);
    const onSite = repairCreate.safeParse({ ...aRepair(world.productId), mode: 'on-site' });
    expect(onSite.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['address']);
    const twice = repairCreate.safeParse({ ...aRepair(world.productId), parts: [...partLines(world, [1]), ...partLines(world, [2])] });
    expect(twice.success).toBe(false);

    const context = testContext();
    const unknownPart = aRepair(world.productId, { technicianId: world.technicianId, window: WINDOW, parts: [{ productId: newId(), warehouseId: world.warehouseId, quantity: 1 }] });
    await expect(createRepair(context, clerk, unknownPart)).rejects.toMatchObject({ status: 400, errors: [{ path: '$.body.parts[0].productId' }] });
    await expect(createRepair(context, clerk, aRepair(world.productId, { window: WINDOW }))).rejects.toMatchObject({ status: 400, errors: [{ path: '$.body.technicianId' }] });
    await expect(createRepair(context, clerk, aRepair(world.productId, { technicianId: newId() }))).rejects.toMatchObject({ status: 400, errors: [{ path: '$.body.technicianId' }] });
    await expect(createRepair(context, clerk, aRepair(world.productId, { reportedOn: '2026-12-24' }))).rejects.toMatchObject({ status: 400, errors: [{ path: '$.body.reportedOn' }] });
    expect((await listRepairs({ technicianId: world.technicianId, limit: 10 })).items).toEqual([]);
    expect(await stock(world, 0)).toMatchObject({ onHand: 5, reserved: 0 });
  });

  it('decides the payer from the first shipment’s company-local day: the day the warranty ends is already out', async () => {
    const world = await aSalesWorld({ stock: [5] });
    const productId = world.products[0] as string;
    const order = await createOrder(testContext(), seller, { customerId: world.customerId, channelId: world.channelId, lines: [{ productId, warehouseId: world.warehouseId, quantity: 1, discountPercent: 0 }] });
    await confirmOrder(testContext(), seller, order.id);
    // 17:00 UTC on Nov 19 is 01:00 on Nov 20 in Shanghai: the sale day is 2024-11-20.
    await shipOrder(testContext(fixedClock('2024-11-19T17:00:00Z')), seller, order.id, {});
    const context = testContext();
    const repairOn = (reportedOn: string) => createRepair(context, clerk, aRepair(productId, { customer: { id: world.customerId }, orderId: order.id, reportedOn }));

    const inside = await repairOn('2026-11-19');
    expect(inside.warranty).toMatchObject({ underWarranty: true, payer: 'company', basis: { soldOn: '2024-11-20', soldOnSource: 'order-shipment', orderId: order.id, warrantyMonths: 24, warrantyEndsOn: '2026-11-20', reportedOn: '2026-11-19' } });
    const boundary = await repairOn('2026-11-20');
    expect(boundary.warranty).toMatchObject({ underWarranty: false, payer: 'customer', basis: { warrantyEndsOn: '2026-11-20' } });
    expect(boundary.customer).toMatchObject({ id: world.customerId });

    const otherProduct = await createProduct(context, keeper, aProduct());
    await expect(createRepair(context, clerk, aRepair(otherProduct.id, { orderId: order.id }))).rejects.toMatchObject({ status: 400, errors: [{ path: '$.body.orderId' }] });
  });

  it('uses a given sale date, clamps month ends, and without any sale date the customer pays', async () => {
    const product = await createProduct(testContext(), keeper, aProduct({ warrantyMonths: 1 }));
    const context = testContext();
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    const given = await createRepair(context, clerk, aRepair(product.id, { soldOn: '2026-10-31', reportedOn: '2026-11-27' }));
    expect(given.warranty).toMatchObject({ underWarranty: true, payer: 'company', basis: { soldOnSource: 'given', warrantyEndsOn: '2026-11-30' } });
    const unknown = await createRepair(context, clerk, aRepair(product.id));
    expect(unknown.warranty).toMatchObject({ underWarranty: false, payer: 'customer', basis: { soldOn: null, soldOnSource: 'unknown', warrantyEndsOn: null } });
  });

  it('starts from a repair request: its customer, product, serial and receipt day fill the repair; a consultation is refused', async () => {
    const product = await createProduct(testContext(), keeper, aProduct());
    const context = testContext();
    const filed = (type: 'repair' | 'consultation') =>
      createServiceRequest(
        context,
        clerk,
        serviceRequestCreate.parse({
          type,
          channel: 'hotline',
          receivedAt: '2026-11-19T17:30:00Z',
          customer: { name: 'Sun Hao', phone: '+86 21 5555 0777' },
          productId: product.id,
          serialOrLot: 'S2-000123',
          description: 'The motor grinds when locking.',
          category: 'quality',
        }),
      );
    const request = await filed('repair');
    const repair = await createRepair(context, clerk, { serviceRequestId: request.id, mode: 'remote', parts: [] });
    expect(repair).toMatchObject({ serviceRequestId: request.id, productId: product.id, serialOrLot: 'S2-000123', reportedOn: '2026-11-20', customer: { name: 'Sun Hao', phone: '+86 21 5555 0777' } });
    const consultation = await filed('consultation');
    await expect(createRepair(context, clerk, { serviceRequestId: consultation.id, mode: 'remote', parts: [] })).rejects.toMatchObject({ status: 400, errors: [{ path: '$.body.serviceRequestId' }] });
    await expect(createRepair(context, clerk, { serviceRequestId: newId(), mode: 'remote', parts: [] })).rejects.toMatchObject({ status: 400, errors: [{ path: '$.body.serviceRequestId' }] });
  });

  it('shows the customer’s email and phone only to the roles that deal with customers', async () => {
    const product = await createProduct(testContext(), keeper, aProduct());
    const repair = await createRepair(testContext(), clerk, aRepair(product.id));
    expect(repairAsSeenBy(clerk, repair).customer).toEqual({ name: 'Zhou Lan', phone: '+86 21 5555 0123', email: 'zhou.lan@example.com' });
    expect(repairAsSeenBy(anActor(['production']), repair).customer).toEqual({ name: 'Zhou Lan' });
  });
});

describe('repairs: spare parts', () => {
  it('reserves all or nothing: a short line refuses the whole schedule and nothing is written', async () => {
    const world = await aRepairWorld([10, 2]);
    const context = testContext();
    const error = await createRepair(context, clerk, aRepair(world.productId, { technicianId: world.technicianId, window: WINDOW, parts: partLines(world, [4, 3]) })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).extensions.shortages).toEqual([expect.objectContaining({ line: 1, productId: world.parts[1], requested: 3, available: 2 })]);
    expect(await stock(world, 0)).toMatchObject({ onHand: 10, reserved: 0, available: 10 });
    expect((await ledgerOf(world, 0)).filter((entry) => entry.kind === 'reservation')).toEqual([]);
    expect((await listRepairs({ technicianId: world.technicianId, limit: 10 })).items).toEqual([]);

    const open = await createRepair(context, clerk, aRepair(world.productId, { parts: partLines(world, [4, 3]) }));
    expect(open).toMatchObject({ status: 'open', stockSteps: [] });
    await expect(scheduleRepair(context, clerk, open.id, { window: WINDOW, technicianId: world.technicianId }, undefined)).rejects.toBeInstanceOf(ConflictError);
    expect(await getRepair(open.id)).toMatchObject({ status: 'open', version: 1 });
    const scheduled = await scheduleRepair(context, clerk, open.id, { window: WINDOW, technicianId: world.technicianId, parts: partLines(world, [4, 2]) }, 1);
    expect(scheduled).toMatchObject({ status: 'scheduled', technician: { id: world.technicianId, name: 'Chen Jie' }, window: WINDOW });
    expect(scheduled.parts.map((part) => part.reserved)).toEqual([4, 2]);
    expect(await stock(world, 1)).toMatchObject({ onHand: 2, reserved: 2, available: 0 });
    const moved = await scheduleRepair(context, clerk, open.id, { window: { start: '2026-11-29T01:00:00Z', end: '2026-11-29T02:00:00Z' } }, undefined);
    expect(moved).toMatchObject({ status: 'scheduled', window: { start: '2026-11-29T01:00:00Z' } });
    expect(await stock(world, 0)).toMatchObject({ reserved: 4 });
  });

  it('parts used, released and returned add up exactly on the levels and the ledger', async () => {
    const world = await aRepairWorld([10, 10]);
    const context = testContext();
    const repair = await createRepair(context, clerk, aRepair(world.productId, { technicianId: world.technicianId, window: WINDOW, parts: partLines(world, [5, 2]) }));
    expect(repair.status).toBe('scheduled');
    expect(await stock(world, 0)).toMatchObject({ onHand: 10, reserved: 5, available: 5 });

    await recordPartsUsed(context, clerk, repair.id, { lines: [{ line: 0, quantity: 2 }] }, undefined);
    const used = await recordPartsUsed(context, clerk, repair.id, { lines: [{ line: 0, quantity: 1 }, { line: 1, quantity: 1 }] }, undefined);
    expect(used.status).toBe('in-progress');
    await expect(recordPartsUsed(context, clerk, repair.id, { lines: [{ line: 1, quantity: 2 }] }, undefined)).rejects.toMatchObject({ status: 409, extensions: { lines: [{ line: 1, requested: 2, allowed: 1 }] } });

    const done = await completeRepair(context, clerk, repair.id, { labourHours: 1.5, result: { outcome: 'fixed', summary: 'Replaced the motor.' }, signOff: SIGN_OFF, returned: [{ line: 0, quantity: 1 }] }, undefined);
    expect(done).toMatchObject({ status: 'completed', labourHours: 1.5, signOff: SIGN_OFF, completedAt: '2026-11-27T08:00:00.000Z' });
    expect(done.parts).toEqual([
      expect.objectContaining({ line: 0, quantity: 5, reserved: 0, used: 3, released: 2, returned: 1 }),
      expect.objectContaining({ line: 1, quantity: 2, reserved: 0, used: 1, released: 1, returned: 0 }),
    ]);
    expect(done.stockSteps.map((step) => step.kind)).toEqual(['reservation', 'issue', 'issue', 'completion']);

    // 10 − 3 used + 1 back = 8 on hand, nothing held; 10 − 1 = 9.
    expect(await stock(world, 0)).toMatchObject({ onHand: 8, reserved: 0, available: 8 });
    expect(await stock(world, 1)).toMatchObject({ onHand: 9, reserved: 0, available: 9 });
    for (const [part, onHand] of [[0, 8], [1, 9]] as const) {
      const ledger = (await ledgerOf(world, part)).filter((entry) => entry.reference === `repair ${repair.id}`);
      expect(ledger.reduce((sum, entry) => sum + entry.reservedDelta, 0)).toBe(0);
      expect(ledger.reduce((sum, entry) => sum + entry.onHandDelta, 0)).toBe(onHand - 10);
    }
    const kinds = (await ledgerOf(world, 0)).filter((entry) => entry.reference === `repair ${repair.id}`).map((entry) => `${entry.kind}:${entry.onHandDelta}/${entry.reservedDelta}`);
    expect(kinds.sort()).toEqual(['issue-reserved:-1/-1', 'issue-reserved:-2/-2', 'receipt:1/0', 'release:0/-2', 'reservation:0/5'].sort());
    await expect(completeRepair(context, clerk, repair.id, { labourHours: 1, result: { outcome: 'fixed', summary: 'again' }, signOff: SIGN_OFF, returned: [] }, undefined)).rejects.toMatchObject({ status: 409 });
  });

  it('cancel releases everything still reserved; used parts stay issued', async () => {
    const world = await aRepairWorld([6]);
    const context = testContext();
    const repair = await createRepair(context, clerk, aRepair(world.productId, { technicianId: world.technicianId, window: WINDOW, parts: partLines(world, [4]) }));
    await recordPartsUsed(context, clerk, repair.id, { lines: [{ line: 0, quantity: 1 }] }, undefined);
    const cancelled = await cancelRepair(context, clerk, repair.id, { reason: 'customer replaced the lock' });
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelReason: 'customer replaced the lock', parts: [expect.objectContaining({ reserved: 0, used: 1, released: 3 })] });
    expect(await stock(world, 0)).toMatchObject({ onHand: 5, reserved: 0, available: 5 });
    await expect(cancelRepair(context, clerk, repair.id, { reason: 'twice' })).rejects.toMatchObject({ status: 409 });
  });

  it('20 concurrent repairs wanting the last 10 parts: exactly 10 are scheduled, the rest get 409 and hold nothing', async () => {
    const world = await aRepairWorld([10]);
    const context = testContext();
    const repairs = await Promise.all(Array.from({ length: 20 }, () => createRepair(context, clerk, aRepair(world.productId, { parts: partLines(world, [1]) }))));
    const results = await Promise.allSettled(repairs.map((repair) => scheduleRepair(testContext(), clerk, repair.id, { window: WINDOW, technicianId: world.technicianId }, undefined)));
    const refused = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(10);
    expect(refused).toHaveLength(10);
    for (const result of refused) expect(result.reason).toBeInstanceOf(ConflictError);
    expect(await stock(world, 0)).toMatchObject({ onHand: 10, reserved: 10, available: 0 });
    expect((await ledgerOf(world, 0)).filter((entry) => entry.kind === 'reservation')).toHaveLength(10);
    const after = await Promise.all(repairs.map((repair) => getRepair(repair.id)));
    expect(after.filter((repair) => repair.status === 'scheduled' && repair.parts[0]?.reserved === 1)).toHaveLength(10);
    expect(after.filter((repair) => repair.status === 'open' && repair.parts[0]?.reserved === 0)).toHaveLength(10);
  }, 120_000);

  it('retries never double: a repeated step is a no-op, concurrent uses of the same units issue once, a stale If-Match is refused', async () => {
    const world = await aRepairWorld([10]);
    const context = testContext();
    const repair = await createRepair(context, clerk, aRepair(world.productId, { technicianId: world.technicianId, window: WINDOW, parts: partLines(world, [4]) }));

    // A retry of the same step (same movement id, as the service's own retry uses) finds it applied.
    const stepId = newId();
    const retrying = { clock: fixedClock('2026-11-27T09:00:00Z'), newId: () => stepId };
    const first = await recordPartsUsed(retrying, clerk, repair.id, { lines: [{ line: 0, quantity: 1 }] }, undefined);
    const again = await recordPartsUsed(retrying, clerk, repair.id, { lines: [{ line: 0, quantity: 1 }] }, undefined);
    expect(again).toEqual(first);
    expect(await stock(world, 0)).toMatchObject({ onHand: 9, reserved: 3 });

    // Two clerks record the last 3 at once: one issues them, the other is told they are gone.
    const both = await Promise.allSettled([0, 1].map(() => recordPartsUsed(testContext(), clerk, repair.id, { lines: [{ line: 0, quantity: 3 }] }, undefined)));
    expect(both.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect(both.find((result): result is PromiseRejectedResult => result.status === 'rejected')?.reason).toMatchObject({ status: 409 });
    expect(await stock(world, 0)).toMatchObject({ onHand: 6, reserved: 0 });
    const issues = (await ledgerOf(world, 0)).filter((entry) => entry.kind === 'issue-reserved');
    expect(issues.map((entry) => entry.onHandDelta).sort()).toEqual([-1, -3]);

    await expect(recordPartsUsed(context, clerk, repair.id, { lines: [{ line: 0, quantity: 1 }] }, first.version)).rejects.toBeInstanceOf(PreconditionFailedError);
  });
});

describe('repairs: return visits and lists', () => {
  it('schedules and records return visits once, listed on the repair', async () => {
    const world = await aRepairWorld([]);
    const context = testContext();
    const open = await createRepair(context, clerk, aRepair(world.productId));
    await expect(scheduleReturnVisit(context, clerk, open.id, { scheduledOn: '2026-12-05', purpose: 'check' })).rejects.toMatchObject({ status: 409 });
    await scheduleRepair(context, clerk, open.id, { window: WINDOW, technicianId: world.technicianId }, undefined);
    await completeRepair(context, clerk, open.id, { labourHours: 0.5, result: { outcome: 'no-fault-found', summary: 'Batteries were flat.' }, signOff: SIGN_OFF, returned: [] }, undefined);
    const { repair, visitId } = await scheduleReturnVisit(context, clerk, open.id, { scheduledOn: '2026-12-05', purpose: 'Check the lock after a week' });
    expect(repair.returnVisits).toEqual([expect.objectContaining({ id: visitId, status: 'scheduled', scheduledOn: '2026-12-05' })]);
    const recorded = await recordReturnVisit(context, clerk, open.id, visitId, { outcome: 'Working fine.', satisfaction: 5 });
    expect(recorded.returnVisits[0]).toMatchObject({ status: 'recorded', satisfaction: 5, visitedAt: '2026-11-27T08:00:00.000Z', recordedBy: 'service@example.com' });
    await expect(recordReturnVisit(context, clerk, open.id, visitId, { outcome: 'again', satisfaction: 1 })).rejects.toMatchObject({ status: 409 });
    await expect(recordReturnVisit(context, clerk, open.id, newId(), { outcome: 'x', satisfaction: 3 })).rejects.toBeInstanceOf(NotFoundError);
    expect((await getRepair(open.id)).returnVisits).toHaveLength(1);
  });

  it('lists by technician (status on top) and by status, newest first, page by page', async () => {
    const world = await aRepairWorld([]);
    const context = testContext();
    const made = [];
    for (let n = 0; n < 3; n++) made.push(await createRepair(context, clerk, aRepair(world.productId, { technicianId: world.technicianId, window: WINDOW })));
    await cancelRepair(context, clerk, made[0]?.id as string, { reason: 'duplicate' });
    const first = await listRepairs({ technicianId: world.technicianId, status: 'scheduled', limit: 1 });
    expect(first.items.map((item) => item.id)).toEqual([made[2]?.id]);
    const second = await listRepairs({ technicianId: world.technicianId, status: 'scheduled', limit: 1, cursor: first.nextCursor ?? undefined });
    expect(second.items.map((item) => item.id)).toEqual([made[1]?.id]);
    expect((await listRepairs({ status: 'cancelled', limit: 100 })).items.map((item) => item.id)).toContain(made[0]?.id);
    await expect(listRepairs({ technicianId: world.technicianId, limit: 1, cursor: first.nextCursor ?? undefined })).rejects.toBeInstanceOf(ValidationError);
  });
});
