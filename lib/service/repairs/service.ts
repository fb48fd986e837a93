import { getProduct, getWarehouse } from '../../catalog/service';
import { seesCustomerContacts } from '../../customers/access';
import { getCustomer } from '../../customers/service';
import { applyStockChange, type AlongsideWrites, type StockEffect } from '../../inventory/service';
import { getSettings } from '../../organization/service';
import { createdStamp, updatedStamp } from '../../platform/audit';
import { auditName, type Actor } from '../../platform/auth';
import type { ServiceContext } from '../../platform/context';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors';
import type { Page } from '../../platform/pagination';
import { cursorScope } from '../../platform/query';
import { localDate } from '../../platform/time';
import { transactWrite, type TransactItems } from '../../platform/transact';
import { assertIfMatch } from '../../platform/versioning';
import { getOrder } from '../../sales/orders';
import { getServiceRequest } from '../requests/service';
import {
  MAX_RETURN_VISITS,
  MAX_STOCK_STEPS,
  type PartsUsedCreate,
  type Repair,
  type RepairCancel,
  type RepairComplete,
  type RepairCreate,
  type RepairListQuery,
  type RepairPart,
  type RepairSchedule,
  type RepairStatus,
  type ReturnVisitCreate,
  type ReturnVisitRecord,
  type StockStep,
  type Warranty,
} from './schema';
import { getRepairRecord, queryRepairs, repairPutAction } from './store';
import { getTechnician } from './technicians';
import { decideWarranty } from './warranty';

/**
 * Repair orders. Every change of a repair is one put conditional on its version; a change that
 * moves stock (reserve at scheduling, issue when used, release and receive at completion,
 * release at cancellation) rides in the inventory module's transaction via `alongside`, so the
 * repair and the stock commit together or not at all. Each stock step's movement id is chosen
 * before the first attempt and recorded on the repair: a retry that finds it there returns the
 * repair as it is, so a step can never be applied twice.
 */

const MAX_ATTEMPTS = 10;

/** The repair changed between our read and our write: read again. */
class StaleRepairError extends Error {}

type PartsInput = RepairCreate['parts'];

// ---- create -------------------------------------------------------------------------------------

export async function createRepair(context: ServiceContext, actor: Actor, input: RepairCreate): Promise<Repair> {
  const { timeZone } = await getSettings();
  const today = localDate(context.clock.now(), timeZone);
  const request = input.serviceRequestId ? await serviceRequestFor(input.serviceRequestId) : undefined;

  const productId = input.productId ?? request?.productId;
  if (!productId) throw new ValidationError('A repair needs the product to repair.', [{ path: '$.body.productId', message: 'the service request names no product; give productId' }]);
  const orderId = input.orderId ?? request?.orderId;
  const serialOrLot = input.serialOrLot ?? request?.serialOrLot;
  const reportedOn = input.reportedOn ?? (request ? localDate(new Date(request.receivedAt), timeZone) : today);
  if (reportedOn > today) throw new ValidationError('A fault is reported before it is repaired.', [{ path: '$.body.reportedOn', message: `must not be after ${today}` }]);

  const [product, customer, technician] = await Promise.all([
    found(getProduct(productId), 'productId', `no product ${productId}`),
    customerSnapshot(input.customer, request?.customer),
    input.technicianId ? activeTechnician(input.technicianId) : Promise.resolve(undefined),
    assertPartsCatalogued(input.parts),
  ]);
  const warranty = await warrantyFor({ productId, warrantyMonths: product.warrantyMonths, orderId, soldOn: input.soldOn, reportedOn, timeZone });

  const scheduled = input.window !== undefined;
  if (scheduled && !technician) throw new ValidationError('A scheduled repair needs its technician.', [{ path: '$.body.technicianId', message: 'required with a window' }]);
  const stamp = createdStamp(context, actor);
  const movementId = context.newId();
  const reserving = scheduled && input.parts.length > 0;
  const repair: Repair = {
    id: context.newId(),
    status: scheduled ? 'scheduled' : 'open',
    ...(request ? { serviceRequestId: request.id } : {}),
    customer,
    productId,
    ...(serialOrLot ? { serialOrLot } : {}),
    ...(orderId ? { orderId } : {}),
    reportedOn,
    ...(input.description ? { description: input.description } : {}),
    mode: input.mode,
    ...(input.address ? { address: input.address } : {}),
    ...(technician ? { technician: { id: technician.id, name: technician.name } } : {}),
    ...(input.window ? { window: input.window } : {}),
    warranty,
    parts: plannedParts(input.parts, reserving),
    stockSteps: reserving ? [step(movementId, 'reservation', stamp.createdAt, actor)] : [],
    ...(scheduled ? { scheduledAt: stamp.createdAt } : {}),
    returnVisits: [],
    ...stamp,
  };
  if (!reserving) {
    await applyRepairWrites([repairPutAction(repair, undefined)]);
    return repair;
  }
  await applyStockChange(context, actor, {
    kind: 'reservation',
    movementId,
    effects: repair.parts.map((part) => effect(repair.id, part, 'reservation', 0, part.quantity)),
    alongside: repairWrites([repairPutAction(repair, undefined)]),
  });
  return repair;
}

// ---- read ---------------------------------------------------------------------------------------

export async function getRepair(id: string): Promise<Repair> {
  const repair = await getRepairRecord(id);
  if (!repair) throw new NotFoundError(`No repair ${id}.`);
  return repair;
}

export function listRepairs(query: RepairListQuery): Promise<Page<Repair>> {
  return queryRepairs(query, cursorScope('repairs', query));
}

/** The repair as `actor` may see it: the customer's email and phone only for the roles that deal with customers. */
export function repairAsSeenBy(actor: Actor, repair: Repair): Repair {
  if (seesCustomerContacts(actor)) return repair;
  const { email: _email, phone: _phone, ...customer } = repair.customer;
  return { ...repair, customer };
}

// ---- schedule -----------------------------------------------------------------------------------

/**
 * Schedules an open repair (technician, window) and reserves its parts, all or nothing: a 409
 * names the short lines and nothing is written. A scheduled repair may be rescheduled (window,
 * technician); its parts are already reserved and stay as they are.
 */
export async function scheduleRepair(context: ServiceContext, actor: Actor, id: string, input: RepairSchedule, ifMatch: number | undefined): Promise<Repair> {
  const [technician] = await Promise.all([
    input.technicianId ? activeTechnician(input.technicianId) : Promise.resolve(undefined),
    input.parts ? assertPartsCatalogued(input.parts) : Promise.resolve(),
  ]);
  const movementId = context.newId();
  return retryStale(async () => {
    const current = await getRepair(id);
    if (applied(current, movementId)) return current;
    assertIfMatch(ifMatch, current.version);
    assertStatus(current, ['open', 'scheduled'], 'scheduled');
    const assigned = technician ? { id: technician.id, name: technician.name } : current.technician;
    if (!assigned) throw new ValidationError('A scheduled repair needs its technician.', [{ path: '$.body.technicianId', message: 'the repair has no technician yet' }]);
    const stamp = updatedStamp(context, actor, current);
    if (current.status === 'scheduled') {
      if (input.parts) throw new ConflictError('The repair’s parts are already reserved; cancel it and create another to change them.', { currentStatus: current.status });
      const next: Repair = { ...current, ...stamp, window: input.window, technician: assigned };
      await applyRepairWrites([repairPutAction(next, current.version)]);
      return next;
    }
    const parts = input.parts ? plannedParts(input.parts, true) : current.parts.map((part) => ({ ...part, reserved: part.quantity }));
    const next: Repair = {
      ...current,
      ...stamp,
      status: 'scheduled',
      window: input.window,
      technician: assigned,
      scheduledAt: stamp.updatedAt,
      parts,
      stockSteps: parts.length ? [...current.stockSteps, step(movementId, 'reservation', stamp.updatedAt, actor)] : current.stockSteps,
    };
    if (!parts.length) {
      await applyRepairWrites([repairPutAction(next, current.version)]);
      return next;
    }
    await applyStockChange(context, actor, {
      kind: 'reservation',
      movementId,
      effects: parts.map((part) => effect(id, part, 'reservation', 0, part.quantity)),
      alongside: repairWrites([repairPutAction(next, current.version)]),
    });
    return next;
  });
}

// ---- parts used ---------------------------------------------------------------------------------

/** Issues reserved parts the technician used (issue-reserved): on hand and reserved both go down. */
export async function recordPartsUsed(context: ServiceContext, actor: Actor, id: string, input: PartsUsedCreate, ifMatch: number | undefined): Promise<Repair> {
  const movementId = context.newId();
  return retryStale(async () => {
    const current = await getRepair(id);
    if (applied(current, movementId)) return current;
    assertIfMatch(ifMatch, current.version);
    assertStatus(current, ['scheduled', 'in-progress'], 'given parts');
    assertStepRoom(current);
    assertLines(current, input.lines, (part) => part.reserved, 'reserved and not yet used');
    const stamp = updatedStamp(context, actor, current);
    const usedOf = (line: number) => input.lines.find((request) => request.line === line)?.quantity ?? 0;
    const next: Repair = {
      ...current,
      ...stamp,
      status: 'in-progress',
      parts: current.parts.map((part) => ({ ...part, reserved: part.reserved - usedOf(part.line), used: part.used + usedOf(part.line) })),
      stockSteps: [...current.stockSteps, step(movementId, 'issue', stamp.updatedAt, actor)],
    };
    await applyStockChange(context, actor, {
      kind: 'issue-reserved',
      movementId,
      effects: input.lines.map(({ line, quantity }) => ({ ...effect(id, partOf(current, line), 'issue-reserved', -quantity, -quantity), reason: 'repair: parts used' })),
      alongside: repairWrites([repairPutAction(next, current.version)]),
    });
    return next;
  });
}

// ---- complete -----------------------------------------------------------------------------------

/**
 * Records labour, result and the customer's sign-off; releases what is still reserved and
 * receives the issued parts that came back — one transaction with the repair's write.
 */
export async function completeRepair(context: ServiceContext, actor: Actor, id: string, input: RepairComplete, ifMatch: number | undefined): Promise<Repair> {
  const returnWarehouses = [...new Set(input.returned.map((line) => line.warehouseId).filter((warehouse): warehouse is string => warehouse !== undefined))];
  await Promise.all(returnWarehouses.map((warehouseId) => found(getWarehouse(warehouseId), 'returned', `no warehouse ${warehouseId}`)));
  const movementId = context.newId();
  return retryStale(async () => {
    const current = await getRepair(id);
    if (applied(current, movementId)) return current;
    assertIfMatch(ifMatch, current.version);
    assertStatus(current, ['scheduled', 'in-progress'], 'completed');
    assertStepRoom(current);
    assertLines(current, input.returned, (part) => part.used - part.returned, 'used and not yet returned', true);
    const stamp = updatedStamp(context, actor, current);
    const returnedOf = (line: number) => input.returned.find((request) => request.line === line)?.quantity ?? 0;
    const effects: StockEffect[] = [
      ...current.parts.filter((part) => part.reserved > 0).map((part) => ({ ...effect(id, part, 'release', 0, -part.reserved), reason: 'repair completed: not used' })),
      ...input.returned.map(({ line, quantity, warehouseId }) => {
        const part = partOf(current, line);
        return { ...effect(id, { ...part, warehouseId: warehouseId ?? part.warehouseId }, 'receipt', quantity, 0), reason: 'repair completed: part came back' };
      }),
    ];
    const next: Repair = {
      ...current,
      ...stamp,
      status: 'completed',
      parts: current.parts.map((part) => ({ ...part, reserved: 0, released: part.released + part.reserved, returned: part.returned + returnedOf(part.line) })),
      stockSteps: effects.length ? [...current.stockSteps, step(movementId, 'completion', stamp.updatedAt, actor)] : current.stockSteps,
      labourHours: input.labourHours,
      result: input.result,
      signOff: input.signOff,
      completedAt: stamp.updatedAt,
    };
    if (!effects.length) {
      await applyRepairWrites([repairPutAction(next, current.version)]);
      return next;
    }
    await applyStockChange(context, actor, { kind: 'repair-completion', movementId, effects, alongside: repairWrites([repairPutAction(next, current.version)]) });
    return next;
  });
}

// ---- cancel -------------------------------------------------------------------------------------

/** Cancels a repair that is not completed, releasing everything still reserved (issued parts stay issued). */
export async function cancelRepair(context: ServiceContext, actor: Actor, id: string, input: RepairCancel): Promise<Repair> {
  const movementId = context.newId();
  return retryStale(async () => {
    const current = await getRepair(id);
    if (applied(current, movementId)) return current;
    assertStatus(current, ['open', 'scheduled', 'in-progress'], 'cancelled');
    const stamp = updatedStamp(context, actor, current);
    const held = current.parts.filter((part) => part.reserved > 0);
    const next: Repair = {
      ...current,
      ...stamp,
      status: 'cancelled',
      cancelledAt: stamp.updatedAt,
      cancelReason: input.reason,
      parts: current.parts.map((part) => ({ ...part, reserved: 0, released: part.released + part.reserved })),
      stockSteps: held.length ? [...current.stockSteps, step(movementId, 'cancellation', stamp.updatedAt, actor)] : current.stockSteps,
    };
    if (!held.length) {
      await applyRepairWrites([repairPutAction(next, current.version)]);
      return next;
    }
    await applyStockChange(context, actor, {
      kind: 'release',
      movementId,
      effects: held.map((part) => ({ ...effect(id, part, 'release', 0, -part.reserved), reason: `repair cancelled: ${input.reason}` })),
      alongside: repairWrites([repairPutAction(next, current.version)]),
    });
    return next;
  });
}

// ---- return visits ------------------------------------------------------------------------------

/** Schedules a follow-up visit; any repair that has been scheduled and is not cancelled may have them. */
export async function scheduleReturnVisit(context: ServiceContext, actor: Actor, id: string, input: ReturnVisitCreate): Promise<{ repair: Repair; visitId: string }> {
  const visitId = context.newId();
  const repair = await retryStale(async () => {
    const current = await getRepair(id);
    if (current.returnVisits.some((visit) => visit.id === visitId)) return current;
    assertStatus(current, ['scheduled', 'in-progress', 'completed'], 'given a return visit');
    if (current.returnVisits.length >= MAX_RETURN_VISITS) throw new ConflictError(`A repair holds at most ${MAX_RETURN_VISITS} return visits.`);
    const next: Repair = {
      ...current,
      ...updatedStamp(context, actor, current),
      returnVisits: [...current.returnVisits, { id: visitId, scheduledOn: input.scheduledOn, purpose: input.purpose, status: 'scheduled', scheduledBy: auditName(actor) }],
    };
    await applyRepairWrites([repairPutAction(next, current.version)]);
    return next;
  });
  return { repair, visitId };
}

/** Records what a return visit found and the customer's satisfaction; once per visit (409 after). */
export async function recordReturnVisit(context: ServiceContext, actor: Actor, id: string, visitId: string, input: ReturnVisitRecord): Promise<Repair> {
  return retryStale(async () => {
    const current = await getRepair(id);
    const visit = current.returnVisits.find((candidate) => candidate.id === visitId);
    if (!visit) throw new NotFoundError(`Repair ${id} has no return visit ${visitId}.`);
    if (visit.status === 'recorded') throw new ConflictError(`Return visit ${visitId} was already recorded by ${visit.recordedBy ?? 'someone'}.`, { status: visit.status });
    const stamp = updatedStamp(context, actor, current);
    const next: Repair = {
      ...current,
      ...stamp,
      returnVisits: current.returnVisits.map((candidate) =>
        candidate.id === visitId
          ? { ...candidate, status: 'recorded' as const, outcome: input.outcome, satisfaction: input.satisfaction, visitedAt: input.visitedAt ?? stamp.updatedAt, recordedBy: auditName(actor) }
          : candidate,
      ),
    };
    await applyRepairWrites([repairPutAction(next, current.version)]);
    return next;
  });
}

// ---- shared steps -------------------------------------------------------------------------------

interface RequestFacts {
  id: string;
  receivedAt: string;
  customer: { id?: string; name: string; email?: string; phone?: string };
  productId?: string;
  serialOrLot?: string;
  orderId?: string;
}

/** The service request a repair answers: a complaint or a repair request (a consultation is not repaired). */
async function serviceRequestFor(id: string): Promise<RequestFacts> {
  const request = await found(getServiceRequest(id), 'serviceRequestId', `no service request ${id}`);
  if (request.type === 'consultation') {
    throw new ValidationError('A consultation does not start a repair.', [{ path: '$.body.serviceRequestId', message: `${request.reference} is a consultation` }]);
  }
  return request;
}

/**
 * The customer as the repair keeps it: given fields win; a customer id fills name and first
 * contact from the customer record; otherwise the service request's snapshot.
 */
async function customerSnapshot(given: RepairCreate['customer'], fromRequest: RequestFacts['customer'] | undefined): Promise<Repair['customer']> {
  if (!given) {
    if (!fromRequest) throw new ValidationError('A repair needs its customer.', [{ path: '$.body.customer', message: 'required without a service request' }]);
    return withoutUndefined({ id: fromRequest.id, name: fromRequest.name, email: fromRequest.email, phone: fromRequest.phone });
  }
  if (!given.id) return withoutUndefined({ name: given.name as string, email: given.email, phone: given.phone });
  const record = await found(getCustomer(given.id), 'customer.id', `no customer ${given.id}`);
  const contact = record.contacts[0];
  return withoutUndefined({ id: record.id, name: given.name ?? record.name, email: given.email ?? contact?.email, phone: given.phone ?? contact?.phone });
}

/** The sale date: the order's first shipment (company-local day), else a given date, else unknown. */
async function warrantyFor(facts: { productId: string; warrantyMonths: number; orderId: string | undefined; soldOn: string | undefined; reportedOn: string; timeZone: string }): Promise<Warranty> {
  const base = { warrantyMonths: facts.warrantyMonths, reportedOn: facts.reportedOn };
  if (facts.orderId) {
    const order = await found(getOrder(facts.orderId), 'orderId', `no order ${facts.orderId}`);
    if (!order.lines.some((line) => line.productId === facts.productId)) {
      throw new ValidationError('The order did not sell this product.', [{ path: '$.body.orderId', message: `order ${order.id} has no line for product ${facts.productId}` }]);
    }
    const shippedAt = order.shipments[0]?.shippedAt;
    if (shippedAt) return decideWarranty({ ...base, soldOn: localDate(new Date(shippedAt), facts.timeZone), soldOnSource: 'order-shipment', orderId: order.id });
  }
  if (facts.soldOn) return decideWarranty({ ...base, soldOn: facts.soldOn, soldOnSource: 'given' });
  return decideWarranty({ ...base, soldOn: undefined, soldOnSource: 'unknown', ...(facts.orderId ? { orderId: facts.orderId } : {}) });
}

async function activeTechnician(id: string) {
  const technician = await found(getTechnician(id), 'technicianId', `no technician ${id}`);
  if (!technician.active) throw new ValidationError('That technician is inactive.', [{ path: '$.body.technicianId', message: `${technician.name} is inactive` }]);
  return technician;
}

/** Part lines must name catalogued products and warehouses (400 naming the line). */
async function assertPartsCatalogued(parts: PartsInput): Promise<void> {
  await Promise.all(
    parts.flatMap((part, index) => [
      found(getProduct(part.productId), `parts[${index}].productId`, `no product ${part.productId}`),
      found(getWarehouse(part.warehouseId), `parts[${index}].warehouseId`, `no warehouse ${part.warehouseId}`),
    ]),
  );
}

function plannedParts(parts: PartsInput, reserved: boolean): RepairPart[] {
  return parts.map((part, line) => ({ line, ...part, reserved: reserved ? part.quantity : 0, used: 0, released: 0, returned: 0 }));
}

function step(movementId: string, kind: StockStep['kind'], at: string, actor: Actor): StockStep {
  return { movementId, kind, at, by: auditName(actor) };
}

/** A step whose movement is already on the repair committed with it: a retry must not repeat it. */
function applied(repair: Repair, movementId: string): boolean {
  return repair.stockSteps.some((candidate) => candidate.movementId === movementId);
}

function assertStatus(repair: Repair, allowed: RepairStatus[], target: string): void {
  if (!allowed.includes(repair.status)) {
    throw new ConflictError(`A ${repair.status} repair cannot be ${target}; that needs a repair that is ${allowed.join(' or ')}.`, { status: repair.status, allowed });
  }
}

function assertStepRoom(repair: Repair): void {
  if (repair.stockSteps.length >= MAX_STOCK_STEPS) throw new ConflictError(`A repair holds at most ${MAX_STOCK_STEPS} stock steps.`);
}

/** Every named line exists and asks for no more than `room` allows; 409 naming the lines otherwise. */
function assertLines(repair: Repair, requested: Array<{ line: number; quantity: number }>, room: (part: RepairPart) => number, what: string, mayBeEmpty = false): void {
  if (!requested.length && mayBeEmpty) return;
  const unknown = requested.filter(({ line }) => !repair.parts[line]);
  if (unknown.length) {
    throw new ValidationError('The request names part lines the repair does not have.', unknown.map(({ line }) => ({ path: '$.body', message: `no part line ${line} (the repair has ${repair.parts.length})` })));
  }
  const over = requested.filter(({ line, quantity }) => quantity > room(partOf(repair, line)));
  if (over.length) {
    const lines = over.map(({ line, quantity }) => ({ line, requested: quantity, allowed: room(partOf(repair, line)) }));
    throw new ConflictError(`Too many units: ${lines.map((l) => `line ${l.line}: ${l.requested} requested, ${l.allowed} ${what}`).join('; ')}.`, { lines });
  }
}

function partOf(repair: Repair, line: number): RepairPart {
  const part = repair.parts[line];
  if (!part) throw new Error(`repair ${repair.id} has no part line ${line}`);
  return part;
}

function effect(repairId: string, part: Pick<RepairPart, 'line' | 'productId' | 'warehouseId'>, kind: StockEffect['kind'], onHandDelta: number, reservedDelta: number): StockEffect {
  return { productId: part.productId, warehouseId: part.warehouseId, kind, onHandDelta, reservedDelta, line: part.line, reference: `repair ${repairId}` };
}

/** A failed condition on the repair means it changed under us (retried); on anything else, a bug. */
function repairWrites(actions: TransactItems): AlongsideWrites {
  return {
    actions,
    onConditionFailed: (index, oldItem) => {
      if (index === 0 && oldItem !== undefined) return new StaleRepairError('repair changed');
      return new Error(`repair write ${index} failed its condition`);
    },
  };
}

async function applyRepairWrites(actions: TransactItems): Promise<void> {
  await transactWrite(actions, repairWrites(actions).onConditionFailed);
}

async function retryStale<T>(attempt: () => Promise<T>): Promise<T> {
  for (let round = 1; ; round++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof StaleRepairError)) throw error;
      if (round >= MAX_ATTEMPTS) throw new ConflictError('The repair changed too often while this was being recorded; retry.');
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(250, 10 * 2 ** round)));
    }
  }
}

/** Resolves a lookup, turning "not found" into a 400 naming the field. */
async function found<T>(lookup: Promise<T>, field: string, message: string): Promise<T> {
  try {
    return await lookup;
  } catch (error) {
    if (error instanceof NotFoundError) throw new ValidationError('The repair names something that does not exist.', [{ path: `$.body.${field}`, message }]);
    throw error;
  }
}

function withoutUndefined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
