import { describe, expect, it } from 'vitest';
import { getLevel } from '../../lib/inventory/service';
import { ConflictError, ValidationError } from '../../lib/platform/errors';
import { salesFor, ZERO_FIGURES } from '../../lib/sales/aggregates';
import { getInvoice, issueInvoice, recordPayment } from '../../lib/sales/invoices';
import { cancelOrder, confirmOrder, createOrder, getOrder, listOrders, returnOrderGoods, shipOrder } from '../../lib/sales/orders';
import { customerPurchases } from '../../lib/sales/purchases';
import { fixedClock, testContext } from '../support/factories';
import { aSalesWorld, seller, type SalesWorld } from '../support/sales';

const NOVEMBER = '2026-11-27T08:00:00Z';

function orderOf(world: SalesWorld, quantities: number[], extra: Partial<Parameters<typeof createOrder>[2]> = {}) {
  return createOrder(testContext(fixedClock(NOVEMBER)), seller, {
    customerId: world.customerId,
    channelId: world.channelId,
    repId: world.repId,
    lines: quantities.map((quantity, index) => ({ productId: world.products[index % world.products.length] as string, warehouseId: world.warehouseId, quantity, discountPercent: 0 })),
    ...extra,
  });
}

async function month(dimension: Parameters<typeof salesFor>[0], id: string, yyyyMm = '2026-11') {
  return (await salesFor(dimension, id, [yyyyMm])).get(yyyyMm) ?? { ...ZERO_FIGURES };
}

describe('orders', () => {
  it('creates a draft priced from the list price, with exact line amounts', async () => {
    const world = await aSalesWorld({ listPrice: 10_000, standardCost: 6_000 });
    const order = await createOrder(testContext(fixedClock(NOVEMBER)), seller, {
      customerId: world.customerId,
      channelId: world.channelId,
      lines: [
        { productId: world.products[0] as string, warehouseId: world.warehouseId, quantity: 3, discountPercent: 0 },
        { productId: world.products[1] as string, warehouseId: world.warehouseId, quantity: 3, unitPrice: 100, discountPercent: 33.33 },
      ],
    });
    expect(order).toMatchObject({ status: 'draft', orderDate: '2026-11-27', region: world.region, repId: world.repId, currency: 'CNY' });
    expect(order.lines[0]).toMatchObject({ unitPrice: 10_000, priceSource: 'list', netAmount: 30_000, reserved: 0 });
    // 300 × 66.67 % = 200.01 → 200 (half up).
    expect(order.lines[1]).toMatchObject({ unitPrice: 100, priceSource: 'order', netAmount: 200 });
    expect(order.total).toBe(30_200);
    expect((await getOrder(order.id)).version).toBe(1);
  });

  it('refuses unknown products and customers with the JSON path, writing nothing', async () => {
    const world = await aSalesWorld();
    const unknown = '01JAAAAAAAAAAAAAAAAAAAAAAA';
    await expect(orderOf(world, [1], { lines: [{ productId: unknown, warehouseId: world.warehouseId, quantity: 1, discountPercent: 0 }] })).rejects.toMatchObject({
      status: 400,
      errors: [{ path: '$.body.lines[0].productId' }],
    });
    await expect(orderOf(world, [1], { customerId: unknown })).rejects.toBeInstanceOf(ValidationError);
    expect((await listOrders({ customerId: world.customerId, limit: 10 })).items).toEqual([]);
  });

  it('confirm reserves every line, all or nothing: a short line refuses the whole order', async () => {
    const world = await aSalesWorld({ stock: [10, 2] });
    const short = await orderOf(world, [5, 3]);
    const error = await confirmOrder(testContext(), seller, short.id).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).extensions.shortages).toEqual([expect.objectContaining({ line: 1, productId: world.products[1], requested: 3, available: 2 })]);
    expect(await getLevel(world.products[0] as string, world.warehouseId)).toMatchObject({ reserved: 0, available: 10 });
    expect((await getOrder(short.id)).status).toBe('draft');

    const fits = await orderOf(world, [5, 2]);
    const confirmed = await confirmOrder(testContext(), seller, fits.id);
    expect(confirmed.status).toBe('confirmed');
    expect(confirmed.lines.map((line) => line.reserved)).toEqual([5, 2]);
    expect(await getLevel(world.products[0] as string, world.warehouseId)).toMatchObject({ onHand: 10, reserved: 5, available: 5 });
    await expect(confirmOrder(testContext(), seller, fits.id)).rejects.toMatchObject({ status: 409 });
  });

  it('ships in parts; the figures of every dimension add up exactly to the order', async () => {
    const world = await aSalesWorld({ listPrice: 100, standardCost: 40, stock: [10, 10] });
    const order = await orderOf(world, [3, 4], {
      lines: [
        { productId: world.products[0] as string, warehouseId: world.warehouseId, quantity: 3, discountPercent: 33.33 },
        { productId: world.products[1] as string, warehouseId: world.warehouseId, quantity: 4, discountPercent: 0 },
      ],
    });
    await confirmOrder(testContext(), seller, order.id);
    const context = testContext(fixedClock(NOVEMBER));
    await shipOrder(context, seller, order.id, { lines: [{ line: 0, quantity: 1 }] });
    await shipOrder(context, seller, order.id, { lines: [{ line: 0, quantity: 1 }, { line: 1, quantity: 1 }] });
    const done = await shipOrder(context, seller, order.id, {});
    expect(done.status).toBe('shipped');
    expect(done.shipments.map((shipment) => shipment.lines.map((line) => line.revenue))).toEqual([[67], [66, 100], [67, 300]]);

    const total = 200 + 400;
    const cost = 7 * 40;
    const expected = { revenue: total, cost, grossProfit: total - cost, quantity: 7, orders: 1, newCustomers: 1, repeatCustomers: 0 };
    expect(await month('channel', world.channelId)).toEqual(expected);
    expect(await month('rep', world.repId)).toEqual(expected);
    expect(await month('region', world.region)).toEqual(expected);
    expect(await month('product', world.products[0] as string)).toMatchObject({ revenue: 200, cost: 120, quantity: 3, orders: 1 });
    expect(await month('product', world.products[1] as string)).toMatchObject({ revenue: 400, cost: 160, quantity: 4, orders: 1 });
    expect(await getLevel(world.products[0] as string, world.warehouseId)).toMatchObject({ onHand: 7, reserved: 0, available: 7 });
    const history = await customerPurchases(world.customerId);
    expect(history.totals).toMatchObject({ orders: 1, revenue: total, quantity: 7, firstMonth: '2026-11' });
    expect(history.byProduct).toEqual(expect.arrayContaining([{ productId: world.products[1], quantity: 4, revenue: 400 }]));
    expect(history.recentOrders[0]).toMatchObject({ id: order.id, status: 'shipped', total });
  });

  it('counts a customer new in their first month and repeat in a later one', async () => {
    const world = await aSalesWorld({ stock: [20] });
    for (const [when, expectNew, expectRepeat] of [
      ['2026-11-03T08:00:00Z', 1, 0],
      ['2026-11-20T08:00:00Z', 1, 0],
      ['2026-12-05T08:00:00Z', 0, 1],
    ] as const) {
      const order = await orderOf(world, [1]);
      await confirmOrder(testContext(), seller, order.id);
      await shipOrder(testContext(fixedClock(when)), seller, order.id, {});
      const figures = await month('channel', world.channelId, when.slice(0, 7));
      expect([figures.newCustomers, figures.repeatCustomers]).toEqual([expectNew, expectRepeat]);
    }
    expect(await month('channel', world.channelId, '2026-11')).toMatchObject({ orders: 2, quantity: 2 });
  });

  it('cancel releases exactly what is still reserved; the pipeline follows', async () => {
    const world = await aSalesWorld({ stock: [10] });
    const order = await orderOf(world, [6]);
    await confirmOrder(testContext(), seller, order.id);
    await shipOrder(testContext(fixedClock(NOVEMBER)), seller, order.id, { lines: [{ line: 0, quantity: 2 }] });
    expect(await getLevel(world.products[0] as string, world.warehouseId)).toMatchObject({ onHand: 8, reserved: 4, available: 4 });
    const cancelled = await cancelOrder(testContext(), seller, order.id, { reason: 'customer changed their mind' });
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelReason: 'customer changed their mind' });
    expect(await getLevel(world.products[0] as string, world.warehouseId)).toMatchObject({ onHand: 8, reserved: 0, available: 8 });
    await expect(cancelOrder(testContext(), seller, order.id, { reason: 'again' })).rejects.toMatchObject({ status: 409 });
    await expect(shipOrder(testContext(), seller, order.id, {})).rejects.toMatchObject({ status: 409 });
  });

  it('a return restores the stock and takes the sale back out of the figures exactly', async () => {
    const world = await aSalesWorld({ listPrice: 999, standardCost: 500, stock: [10] });
    const order = await orderOf(world, [3]);
    await confirmOrder(testContext(), seller, order.id);
    await shipOrder(testContext(fixedClock(NOVEMBER)), seller, order.id, {});
    const before = await month('channel', world.channelId);
    await expect(returnOrderGoods(testContext(fixedClock(NOVEMBER)), seller, order.id, { reason: 'damaged', lines: [{ line: 0, quantity: 4 }] })).rejects.toMatchObject({ status: 409 });
    await returnOrderGoods(testContext(fixedClock(NOVEMBER)), seller, order.id, { reason: 'damaged in transit', lines: [{ line: 0, quantity: 1 }] });
    await returnOrderGoods(testContext(fixedClock(NOVEMBER)), seller, order.id, { reason: 'not needed', lines: [{ line: 0, quantity: 2 }] });
    expect(await getLevel(world.products[0] as string, world.warehouseId)).toMatchObject({ onHand: 10, available: 10 });
    expect(before).toMatchObject({ revenue: 2_997, cost: 1_500, quantity: 3 });
    // Orders and customers stay counted: the order happened; its money and units came back.
    expect(await month('channel', world.channelId)).toEqual({ ...ZERO_FIGURES, orders: 1, newCustomers: 1 });
    expect(await month('product', world.products[0] as string)).toMatchObject({ revenue: 0, cost: 0, grossProfit: 0, quantity: 0 });
    expect((await customerPurchases(world.customerId)).totals).toMatchObject({ revenue: 0, quantity: 0 });
  });
});

describe('invoices and payments', () => {
  it('invoices shipped units with tax, refuses more, and tracks payments to paid', async () => {
    const world = await aSalesWorld({ listPrice: 10_000, stock: [10] });
    const order = await orderOf(world, [4]);
    await confirmOrder(testContext(), seller, order.id);
    await expect(issueInvoice(testContext(), seller, order.id, { taxRatePercent: 13 })).rejects.toMatchObject({ status: 409 });
    await shipOrder(testContext(fixedClock(NOVEMBER)), seller, order.id, { lines: [{ line: 0, quantity: 3 }] });
    const invoice = await issueInvoice(testContext(fixedClock(NOVEMBER)), seller, order.id, { taxRatePercent: 13, issueDate: '2027-02-01' });
    expect(invoice).toMatchObject({ number: 'INV-2027-000001', net: 30_000, tax: 3_900, gross: 33_900, outstanding: 33_900, status: 'open', dueDate: '2027-03-03' });
    await expect(issueInvoice(testContext(), seller, order.id, { taxRatePercent: 13, issueDate: '2027-02-01' })).rejects.toMatchObject({ status: 409 });
    expect((await getOrder(order.id)).invoiceIds).toEqual([invoice.id]);

    await expect(recordPayment(testContext(), seller, invoice.id, { amount: 40_000, paidOn: '2027-02-10', method: 'bank-transfer' })).rejects.toMatchObject({ status: 409 });
    const part = await recordPayment(testContext(), seller, invoice.id, { amount: 20_000, paidOn: '2027-02-10', method: 'bank-transfer' });
    expect(part).toMatchObject({ status: 'partially-paid', paid: 20_000, outstanding: 13_900 });
    const paid = await recordPayment(testContext(), seller, invoice.id, { amount: 13_900, paidOn: '2027-02-20', method: 'card', reference: 'TX-9' });
    expect(paid).toMatchObject({ status: 'paid', outstanding: 0 });
    expect((await getInvoice(invoice.id)).payments).toHaveLength(2);
  });
});

describe('sales reliability', () => {
  it('100 concurrent confirms of 5-line orders over scarce stock: each all or nothing; shipping them all sums exactly', async () => {
    const world = await aSalesWorld({ listPrice: 1_234, standardCost: 777, stock: [120, 120, 120, 120, 120] });
    const orders = await Promise.all(Array.from({ length: 100 }, (_, index) => orderOf(world, [1, 2, 3, 1, 2].map((q) => q + (index % 3)))));
    const results = await Promise.allSettled(orders.map((order) => confirmOrder(testContext(), seller, order.id)));
    for (const result of results) if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(ConflictError);

    const after = await Promise.all(orders.map((order) => getOrder(order.id)));
    const confirmed = after.filter((order) => order.status === 'confirmed');
    expect(confirmed.length).toBeGreaterThan(0);
    expect(confirmed.length).toBeLessThan(100);
    for (const order of after) {
      if (order.status === 'confirmed') expect(order.lines.every((line) => line.reserved === line.quantity)).toBe(true);
      else expect(order).toMatchObject({ status: 'draft', lines: order.lines.map(() => expect.objectContaining({ reserved: 0 })) });
    }
    for (const [index, productId] of world.products.entries()) {
      const reserved = confirmed.reduce((sum, order) => sum + (order.lines[index]?.quantity ?? 0), 0);
      const level = await getLevel(productId, world.warehouseId);
      expect(level).toMatchObject({ onHand: 120, reserved, available: 120 - reserved });
      expect(level.available).toBeGreaterThanOrEqual(0);
    }

    const shipped = await Promise.all(confirmed.map((order) => shipOrder(testContext(fixedClock(NOVEMBER)), seller, order.id, {})));
    const revenue = shipped.reduce((sum, order) => sum + order.total, 0);
    const units = shipped.reduce((sum, order) => sum + order.lines.reduce((s, line) => s + line.quantity, 0), 0);
    expect(await month('channel', world.channelId)).toEqual({ revenue, cost: units * 777, grossProfit: revenue - units * 777, quantity: units, orders: shipped.length, newCustomers: 1, repeatCustomers: 0 });
    for (const [index, productId] of world.products.entries()) {
      const productUnits = shipped.reduce((sum, order) => sum + (order.lines[index]?.quantity ?? 0), 0);
      expect(await month('product', productId)).toMatchObject({ quantity: productUnits, revenue: productUnits * 1_234, orders: shipped.length });
    }
  }, 180_000);

  it('50 concurrent invoices get unique, gap-free numbers', async () => {
    const world = await aSalesWorld({ stock: [100] });
    const orders = await Promise.all(Array.from({ length: 50 }, () => orderOf(world, [1])));
    for (const order of orders) await confirmOrder(testContext(), seller, order.id);
    await Promise.all(orders.map((order) => shipOrder(testContext(fixedClock(NOVEMBER)), seller, order.id, {})));
    const invoices = await Promise.all(orders.map((order) => issueInvoice(testContext(), seller, order.id, { taxRatePercent: 6, issueDate: '2031-05-01' })));
    expect(invoices.map((invoice) => invoice.sequence).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, index) => index + 1));
    expect(new Set(invoices.map((invoice) => invoice.number)).size).toBe(50);
  }, 180_000);

  it('concurrent shipments of the same order never ship more than was reserved', async () => {
    const world = await aSalesWorld({ stock: [10] });
    const order = await orderOf(world, [5]);
    await confirmOrder(testContext(), seller, order.id);
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => shipOrder(testContext(fixedClock(NOVEMBER)), seller, order.id, {})));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect(await getLevel(world.products[0] as string, world.warehouseId)).toMatchObject({ onHand: 5, reserved: 0 });
    expect((await month('channel', world.channelId)).quantity).toBe(5);
  }, 60_000);
});
