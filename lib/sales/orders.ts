import { getProduct, getWarehouse } from '../catalog/service';
import { getCustomer } from '../customers/service';
import { applyStockChange, type AlongsideWrites, type StockEffect } from '../inventory/service';
import { getSettings } from '../organization/service';
import { activeAgreement, getChannel, getPartner } from '../partners/service';
import { agreementUnitPrice } from '../partners/terms';
import { createdStamp, updatedStamp } from '../platform/audit';
import { auditName, type Actor } from '../platform/auth';
import type { ServiceContext } from '../platform/context';
import { ConflictError, NotFoundError, ValidationError, type FieldError } from '../platform/errors';
import type { Page } from '../platform/pagination';
import { cursorScope } from '../platform/query';
import { localDate, localMonth } from '../platform/time';
import { transactWrite, type TransactItems } from '../platform/transact';
import { getRep } from '../sales-team/service';
import { customerSalesDeltaAction, pipelineDeltaAction, salesDeltaAction, TOTAL_ID, type SalesDimension, type SalesFigures } from './aggregates';
import { lineNetAmount, portion } from './amounts';
import type { Order, OrderCancel, OrderCreate, OrderLine, OrderListQuery, OrderReturn, ReturnCreate, Shipment, ShipmentCreate } from './schema';
import {
  getOrderRecord,
  getPurchaseSummary,
  orderPutAction,
  productPurchasesAction,
  purchaseSummaryAction,
  purchaseSummaryReturnAction,
  queryOrders,
} from './store';

/** Shipments and returns an order may have: they live on the order item, which stays small. */
export const MAX_SHIPMENTS = 50;
export const MAX_RETURNS = 50;
const MAX_ATTEMPTS = 10;

/** The order was changed by someone else between our read and our write: read again. */
class StaleOrderError extends Error {}

// ---- create -------------------------------------------------------------------------------------

export async function createOrder(context: ServiceContext, actor: Actor, input: OrderCreate): Promise<Order> {
  const settings = await getSettings();
  const now = context.clock.now();
  const orderDate = input.orderDate ?? localDate(now, settings.timeZone);
  const [customer, channel, partner] = await Promise.all([
    found(getCustomer(input.customerId), 'customerId', `no customer ${input.customerId}`),
    found(getChannel(input.channelId), 'channelId', `no channel ${input.channelId}`),
    input.partnerId ? found(getPartner(input.partnerId), 'partnerId', `no partner ${input.partnerId}`) : Promise.resolve(undefined),
  ]);
  // A rep named on the order must exist; the customer's owner rep is credited only if it does.
  if (input.repId) await found(getRep(input.repId), 'repId', `no sales rep ${input.repId}`);
  const repId = input.repId ?? (customer.ownerRepId && (await repExists(customer.ownerRepId)) ? customer.ownerRepId : undefined);
  if (channel.partnerId && input.partnerId && channel.partnerId !== input.partnerId) {
    throw new ValidationError('The channel belongs to another partner.', [{ path: '$.body.partnerId', message: `channel ${channel.id} is partner ${channel.partnerId}’s` }]);
  }
  const partnerId = partner?.id ?? channel.partnerId;
  const agreement = partnerId ? await activeAgreement(partnerId, orderDate) : undefined;

  const errors: FieldError[] = [];
  const lines: OrderLine[] = await Promise.all(
    input.lines.map(async (line, index): Promise<OrderLine> => {
      const [product] = await Promise.all([
        found(getProduct(line.productId), `lines[${index}].productId`, `no product ${line.productId}`),
        found(getWarehouse(line.warehouseId), `lines[${index}].warehouseId`, `no warehouse ${line.warehouseId}`),
      ]);
      let unitPrice = line.unitPrice;
      let priceSource: OrderLine['priceSource'] = 'order';
      if (unitPrice === undefined) {
        const agreed = agreement ? agreementUnitPrice(agreement, line.productId, product.listPrice) : undefined;
        const price = agreed ?? product.listPrice;
        if (price.currency !== settings.currency) errors.push({ path: `$.body.lines[${index}].unitPrice`, message: `${product.sku} is priced in ${price.currency}; give a price in ${settings.currency}` });
        unitPrice = price.amount;
        priceSource = agreed ? 'agreement' : 'list';
      }
      return {
        line: index,
        productId: line.productId,
        warehouseId: line.warehouseId,
        quantity: line.quantity,
        unitPrice,
        priceSource,
        discountPercent: line.discountPercent,
        netAmount: lineNetAmount(line.quantity, unitPrice, line.discountPercent),
        reserved: 0,
        shipped: 0,
        returned: 0,
        invoiced: 0,
      };
    }),
  );
  if (errors.length) throw new ValidationError('The order’s prices are not in the company currency.', errors);

  const order: Order = {
    id: context.newId(),
    status: 'draft',
    customerId: customer.id,
    channelId: channel.id,
    ...(partnerId ? { partnerId } : {}),
    ...(agreement ? { agreementId: agreement.id } : {}),
    ...(repId ? { repId } : {}),
    region: customer.region,
    orderDate,
    currency: settings.currency,
    ...(input.customerReference ? { customerReference: input.customerReference } : {}),
    ...(input.note ? { note: input.note } : {}),
    lines,
    total: lines.reduce((sum, line) => sum + line.netAmount, 0),
    shipments: [],
    returns: [],
    invoiceIds: [],
    countedProducts: [],
    ...createdStamp(context, actor),
  };
  await applyOrderWrites([orderPutAction(order, undefined)]);
  return order;
}

// ---- read ---------------------------------------------------------------------------------------

export async function getOrder(id: string): Promise<Order> {
  const order = await getOrderRecord(id);
  if (!order) throw new NotFoundError(`No order ${id}.`);
  return order;
}

export function listOrders(query: OrderListQuery): Promise<Page<Order>> {
  return queryOrders(query, cursorScope('orders', query));
}

// ---- confirm ------------------------------------------------------------------------------------

/** Reserves every line's stock, all or nothing (409 naming the short lines; nothing written). */
export async function confirmOrder(context: ServiceContext, actor: Actor, id: string): Promise<Order> {
  return retryStale(async () => {
    const current = await getOrder(id);
    assertStatus(current, ['draft'], 'confirmed');
    const costs = await Promise.all(current.lines.map(async (line) => unitCostOf(await getProduct(line.productId), current.currency)));
    const stamp = updatedStamp(context, actor, current);
    const next: Order = {
      ...current,
      ...stamp,
      status: 'confirmed',
      confirmedAt: stamp.updatedAt,
      lines: current.lines.map((line, index) => ({ ...line, reserved: line.quantity, ...(costs[index] !== undefined ? { unitCost: costs[index] } : {}) })),
    };
    const actions: TransactItems = [orderPutAction(next, current.version), ...pipelineActions(next.lines.map((line) => ({ productId: line.productId, quantity: line.quantity, value: line.netAmount })))];
    await applyStockChange(context, actor, {
      kind: 'reservation',
      effects: next.lines.map((line) => effect(line, 'reservation', 0, line.quantity, current.id)),
      alongside: orderWrites(actions),
    });
    return next;
  });
}

// ---- ship ---------------------------------------------------------------------------------------

/**
 * Issues reserved stock and books the sale: the order, the stock, the sales figures of every
 * dimension, the pipeline and the customer's history change in one transaction.
 */
export async function shipOrder(context: ServiceContext, actor: Actor, id: string, input: ShipmentCreate): Promise<Order> {
  const settings = await getSettings();
  return retryStale(async () => {
    const current = await getOrder(id);
    assertStatus(current, ['confirmed', 'partially-shipped'], 'shipped');
    if (current.shipments.length >= MAX_SHIPMENTS) throw new ConflictError(`An order holds at most ${MAX_SHIPMENTS} shipments.`);
    const requested = input.lines ?? current.lines.filter((line) => line.reserved > 0).map((line) => ({ line: line.line, quantity: line.reserved }));
    assertQuantities(current, requested, (line) => line.reserved, 'reserved and not yet shipped');

    const now = context.clock.now();
    const month = localMonth(now, settings.timeZone);
    const stamp = updatedStamp(context, actor, current);
    const movementId = context.newId();
    const shipmentLines: Shipment['lines'] = requested.map(({ line, quantity }) => {
      const orderLine = lineOf(current, line);
      const revenue = portion(orderLine.netAmount, orderLine.quantity, orderLine.shipped, quantity);
      return { line, quantity, revenue, cost: (orderLine.unitCost ?? 0) * quantity };
    });
    const lines = current.lines.map((line) => {
      const shipped = requested.find((request) => request.line === line.line)?.quantity ?? 0;
      return { ...line, reserved: line.reserved - shipped, shipped: line.shipped + shipped };
    });
    const firstShipment = current.shipments.length === 0;
    const newlyCountedProducts = [...new Set(requested.map(({ line }) => lineOf(current, line).productId))].filter((productId) => !current.countedProducts.includes(productId));
    const next: Order = {
      ...current,
      ...stamp,
      lines,
      status: lines.every((line) => line.reserved === 0) ? 'shipped' : 'partially-shipped',
      shipments: [...current.shipments, { id: context.newId(), movementId, shippedAt: stamp.updatedAt, shippedBy: auditName(actor), month, lines: shipmentLines, ...(input.trackingNumber ? { trackingNumber: input.trackingNumber } : {}) }],
      countedProducts: [...current.countedProducts, ...newlyCountedProducts],
    };

    const revenue = sum(shipmentLines, (line) => line.revenue);
    const cost = sum(shipmentLines, (line) => line.cost);
    const quantity = sum(shipmentLines, (line) => line.quantity);
    const history = await getPurchaseSummary(current.customerId);
    const newCustomer = history === undefined;
    const repeatCustomer = history !== undefined && history.lastMonth < month;

    const actions: TransactItems = [orderPutAction(next, current.version), purchaseSummaryAction(current.customerId, history, { month, firstShipmentOfOrder: firstShipment, revenue, quantity })];
    for (const [productId, figures] of byProduct(current, shipmentLines)) {
      const counted = newlyCountedProducts.includes(productId) ? 1 : 0;
      actions.push(salesDeltaAction('product', month, productId, { ...figures, orders: counted }));
      actions.push(pipelineDeltaAction(productId, -figures.quantity, -figures.revenue));
      actions.push(productPurchasesAction(current.customerId, productId, figures.quantity, figures.revenue));
    }
    const orderFigures: Partial<SalesFigures> = {
      revenue,
      cost,
      grossProfit: revenue - cost,
      quantity,
      orders: firstShipment ? 1 : 0,
      newCustomers: newCustomer ? 1 : 0,
      repeatCustomers: repeatCustomer ? 1 : 0,
    };
    for (const [dimension, dimensionId] of orderDimensions(current)) actions.push(salesDeltaAction(dimension, month, dimensionId, orderFigures));
    actions.push(customerSalesDeltaAction(month, current.customerId, { revenue, cost, grossProfit: revenue - cost, quantity, orders: firstShipment ? 1 : 0 }));

    await applyStockChange(context, actor, {
      kind: 'shipment',
      movementId,
      effects: requested.map(({ line, quantity: count }) => effect(lineOf(current, line), 'issue-reserved', -count, -count, current.id)),
      alongside: orderWrites(actions),
    });
    return next;
  });
}

// ---- cancel -------------------------------------------------------------------------------------

/** Cancels what is not shipped yet, releasing exactly its reservation. */
export async function cancelOrder(context: ServiceContext, actor: Actor, id: string, input: OrderCancel): Promise<Order> {
  return retryStale(async () => {
    const current = await getOrder(id);
    assertStatus(current, ['draft', 'confirmed', 'partially-shipped'], 'cancelled');
    const stamp = updatedStamp(context, actor, current);
    const next: Order = { ...current, ...stamp, status: 'cancelled', cancelledAt: stamp.updatedAt, cancelReason: input.reason, lines: current.lines.map((line) => ({ ...line, reserved: 0 })) };
    const held = current.lines.filter((line) => line.reserved > 0);
    const actions: TransactItems = [
      orderPutAction(next, current.version),
      ...pipelineActions(held.map((line) => ({ productId: line.productId, quantity: -line.reserved, value: -portion(line.netAmount, line.quantity, line.shipped, line.reserved) }))),
    ];
    if (!held.length) {
      await applyOrderWrites(actions);
      return next;
    }
    await applyStockChange(context, actor, {
      kind: 'release',
      effects: held.map((line) => effect(line, 'release', 0, -line.reserved, current.id)),
      alongside: orderWrites(actions),
    });
    return next;
  });
}

// ---- return -------------------------------------------------------------------------------------

/** Takes shipped goods back by receipt and reverses their sales in the month of the return. */
export async function returnOrderGoods(context: ServiceContext, actor: Actor, id: string, input: ReturnCreate): Promise<Order> {
  const settings = await getSettings();
  const warehouses = [...new Set(input.lines.map((line) => line.warehouseId).filter((warehouse): warehouse is string => warehouse !== undefined))];
  await Promise.all(warehouses.map((warehouseId) => found(getWarehouse(warehouseId), 'lines', `no warehouse ${warehouseId}`)));
  return retryStale(async () => {
    const current = await getOrder(id);
    if (current.shipments.length === 0) throw new ConflictError('Nothing of this order has been shipped, so nothing can be returned.', { currentStatus: current.status });
    if (current.returns.length >= MAX_RETURNS) throw new ConflictError(`An order holds at most ${MAX_RETURNS} returns.`);
    assertQuantities(current, input.lines, (line) => line.shipped - line.returned, 'shipped and not yet returned');

    const month = localMonth(context.clock.now(), settings.timeZone);
    const stamp = updatedStamp(context, actor, current);
    const movementId = context.newId();
    const returnLines: OrderReturn['lines'] = input.lines.map(({ line, quantity, warehouseId }) => {
      const orderLine = lineOf(current, line);
      return {
        line,
        quantity,
        warehouseId: warehouseId ?? orderLine.warehouseId,
        revenue: portion(orderLine.netAmount, orderLine.quantity, orderLine.returned, quantity),
        cost: (orderLine.unitCost ?? 0) * quantity,
      };
    });
    const next: Order = {
      ...current,
      ...stamp,
      lines: current.lines.map((line) => ({ ...line, returned: line.returned + (input.lines.find((request) => request.line === line.line)?.quantity ?? 0) })),
      returns: [...current.returns, { id: context.newId(), movementId, receivedAt: stamp.updatedAt, receivedBy: auditName(actor), month, reason: input.reason, lines: returnLines }],
    };

    const revenue = sum(returnLines, (line) => line.revenue);
    const cost = sum(returnLines, (line) => line.cost);
    const quantity = sum(returnLines, (line) => line.quantity);
    const actions: TransactItems = [orderPutAction(next, current.version), purchaseSummaryReturnAction(current.customerId, revenue, quantity)];
    for (const [productId, figures] of byProduct(current, returnLines)) {
      actions.push(salesDeltaAction('product', month, productId, negate(figures)));
      actions.push(productPurchasesAction(current.customerId, productId, -figures.quantity, -figures.revenue));
    }
    const reversed = negate({ revenue, cost, grossProfit: revenue - cost, quantity });
    for (const [dimension, dimensionId] of orderDimensions(current)) actions.push(salesDeltaAction(dimension, month, dimensionId, reversed));
    actions.push(customerSalesDeltaAction(month, current.customerId, { revenue: -revenue, cost: -cost, grossProfit: cost - revenue, quantity: -quantity, orders: 0 }));

    await applyStockChange(context, actor, {
      kind: 'return',
      movementId,
      effects: returnLines.map((line) => ({ ...effect({ ...lineOf(current, line.line), warehouseId: line.warehouseId }, 'receipt', line.quantity, 0, current.id), reason: `customer return: ${input.reason}` })),
      alongside: orderWrites(actions),
    });
    return next;
  });
}

// ---- shared steps -------------------------------------------------------------------------------

type OrderStatus = Order['status'];

function assertStatus(order: Order, allowed: OrderStatus[], target: string): void {
  if (!allowed.includes(order.status)) {
    throw new ConflictError(`A ${order.status} order cannot be ${target}; that needs an order that is ${allowed.join(' or ')}.`, { currentStatus: order.status, allowed });
  }
}

/** Every named line exists and asks for no more than `room` allows; 409 naming the lines otherwise. */
function assertQuantities(order: Order, requested: Array<{ line: number; quantity: number }>, room: (line: OrderLine) => number, what: string): void {
  if (!requested.length) throw new ConflictError(`Nothing on this order is ${what}.`, { currentStatus: order.status });
  const unknown = requested.filter(({ line }) => !order.lines[line]);
  if (unknown.length) {
    throw new ValidationError('The request names lines the order does not have.', unknown.map(({ line }) => ({ path: `$.body.lines`, message: `no line ${line} (the order has ${order.lines.length})` })));
  }
  const over = requested.filter(({ line, quantity }) => quantity > room(lineOf(order, line)));
  if (over.length) {
    const lines = over.map(({ line, quantity }) => ({ line, requested: quantity, allowed: room(lineOf(order, line)) }));
    throw new ConflictError(`Too many units: ${lines.map((l) => `line ${l.line}: ${l.requested} requested, ${l.allowed} ${what}`).join('; ')}.`, { lines });
  }
}

function lineOf(order: Order, line: number): OrderLine {
  const found = order.lines[line];
  if (!found) throw new Error(`order ${order.id} has no line ${line}`);
  return found;
}

function effect(line: Pick<OrderLine, 'line' | 'productId' | 'warehouseId'>, kind: StockEffect['kind'], onHandDelta: number, reservedDelta: number, orderId: string): StockEffect {
  return { productId: line.productId, warehouseId: line.warehouseId, kind, onHandDelta, reservedDelta, line: line.line, reference: `order ${orderId}` };
}

/** The ids an order's sales count under, besides its products. */
function orderDimensions(order: Order): Array<[SalesDimension, string]> {
  const dimensions: Array<[SalesDimension, string]> = [
    ['channel', order.channelId],
    ['region', order.region],
    ['total', TOTAL_ID],
  ];
  if (order.partnerId) dimensions.push(['partner', order.partnerId]);
  if (order.repId) dimensions.push(['rep', order.repId]);
  return dimensions;
}

function byProduct(order: Order, lines: Array<{ line: number; quantity: number; revenue: number; cost: number }>): Map<string, Required<Pick<SalesFigures, 'revenue' | 'cost' | 'grossProfit' | 'quantity'>>> {
  const totals = new Map<string, { revenue: number; cost: number; grossProfit: number; quantity: number }>();
  for (const line of lines) {
    const productId = lineOf(order, line.line).productId;
    const figures = totals.get(productId) ?? { revenue: 0, cost: 0, grossProfit: 0, quantity: 0 };
    figures.revenue += line.revenue;
    figures.cost += line.cost;
    figures.grossProfit += line.revenue - line.cost;
    figures.quantity += line.quantity;
    totals.set(productId, figures);
  }
  return totals;
}

function negate(figures: Partial<SalesFigures>): Partial<SalesFigures> {
  return Object.fromEntries(Object.entries(figures).map(([name, value]) => [name, -(value ?? 0)]));
}

function sum<T>(items: T[], value: (item: T) => number): number {
  return items.reduce((total, item) => total + value(item), 0);
}

function unitCostOf(product: { standardCost?: { amount: number; currency: string } | undefined }, currency: string): number | undefined {
  return product.standardCost && product.standardCost.currency === currency ? product.standardCost.amount : undefined;
}

/** A failed condition on the order means it changed under us (retried); on anything else, a bug. */
function orderWrites(actions: TransactItems): AlongsideWrites {
  return {
    actions,
    onConditionFailed: (index) => (index <= 1 ? new StaleOrderError('order or customer history changed') : new Error(`order write ${index} failed its condition`)),
  };
}

async function applyOrderWrites(actions: TransactItems): Promise<void> {
  await transactWrite(actions, orderWrites(actions).onConditionFailed);
}

/** One pipeline change per product (a transaction may touch an item once). */
function pipelineActions(changes: Array<{ productId: string; quantity: number; value: number }>): TransactItems {
  const merged = new Map<string, { quantity: number; value: number }>();
  for (const change of changes) {
    const total = merged.get(change.productId) ?? { quantity: 0, value: 0 };
    total.quantity += change.quantity;
    total.value += change.value;
    merged.set(change.productId, total);
  }
  return [...merged].map(([productId, total]) => pipelineDeltaAction(productId, total.quantity, total.value));
}

async function retryStale<T>(attempt: () => Promise<T>): Promise<T> {
  for (let round = 1; ; round++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof StaleOrderError)) throw error;
      if (round >= MAX_ATTEMPTS) throw new ConflictError('The order changed too often while this was being recorded; retry.');
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(250, 10 * 2 ** round)));
    }
  }
}

async function repExists(id: string): Promise<boolean> {
  return getRep(id).then(
    () => true,
    (error: unknown) => (error instanceof NotFoundError ? false : Promise.reject(error)),
  );
}

/** Resolves a lookup, turning "not found" into a 400 naming the field. */
async function found<T>(lookup: Promise<T>, field: string, message: string): Promise<T> {
  try {
    return await lookup;
  } catch (error) {
    if (error instanceof NotFoundError) throw new ValidationError('The order names something that does not exist.', [{ path: `$.body.${field}`, message }]);
    throw error;
  }
}
