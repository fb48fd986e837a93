import { getProduct, getWarehouse } from '../catalog/service';
import { companyTimeZone } from '../organization/service';
import { auditName, type Actor } from '../platform/auth';
import type { ServiceContext } from '../platform/context';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../platform/errors';
import type { Page } from '../platform/pagination';
import { cursorScope } from '../platform/query';
import { addDays, localDate, localMonth, monthStart, nextMonth } from '../platform/time';
import { MAX_TRANSACTION_ACTIONS, transactWrite, type TransactItems } from '../platform/transact';
import { assertIfMatch, lostUpdateError } from '../platform/versioning';
import { allocateFefo, type Take } from './allocation';
import { bandOf, bandRange } from './bands';
import type { LedgerEntry, LevelListQuery, Movement, MovementCreate, MovementListQuery, StockLevel, Thresholds, Turnover, TurnoverQuery } from './schema';
import {
  dayIssuedAction,
  getLevelRecords,
  getLevelRecord,
  getLots,
  getMovementRecord,
  issuedBetweenDays,
  ledgerPutAction,
  levelUpdateAction,
  lotUpdateAction,
  monthTotalsAction,
  monthTotalsOf,
  monthTotalsSince,
  movementPutAction,
  queryLedger,
  queryLevels,
  thresholdsUpdateAction,
  toLevelView,
  type LevelRecord,
  type LotChange,
  type LotRecord,
} from './store';

/**
 * One effect of a movement on one level: the unit every movement kind (and every reservation
 * call from orders and repairs) is translated into before it is planned and written.
 */
export interface StockEffect {
  productId: string;
  warehouseId: string;
  kind: LedgerEntry['kind'];
  onHandDelta: number;
  reservedDelta: number;
  /** A named lot: taken from (negative) or added to (positive). */
  lotNumber?: string;
  /** Expiry of a lot received. */
  expiresOn?: string;
  /** For transfer-in: mirror the lots the effect at this index took. */
  mirrorOf?: number;
  /** Input line this effect came from (for error paths). */
  line: number;
  reference?: string;
  reason?: string;
}

export interface StockChangeRequest {
  /** What the movement record calls itself: a movement kind, or `reservation` etc. */
  kind: string;
  effects: StockEffect[];
  /** The stocktake close marks levels counted. */
  counted?: boolean;
  /** A movement id chosen in advance, so a retried caller can never record the change twice. */
  movementId?: string;
  /**
   * Writes of the calling module that must commit with the stock change or not at all (an
   * order's status and its sales figures): appended to the same transaction.
   */
  alongside?: AlongsideWrites;
}

export interface AlongsideWrites {
  actions: TransactItems;
  /** Maps a failed condition at `index` (into `actions`) to the caller's error. */
  onConditionFailed: (index: number, oldItem: Record<string, unknown> | undefined) => Error;
}

const MAX_ATTEMPTS = 12;
const ISSUE_KINDS = new Set<LedgerEntry['kind']>(['issue', 'issue-reserved']);

class PlanOutdatedError extends Error {}

/**
 * Runs `attempt` until it succeeds or fails for another reason than a plan outdated by a
 * concurrent write; each retry re-reads (inside `attempt`) after a short jittered pause.
 */
async function retryOutdated<T>(attempt: () => Promise<T>, exhausted: () => Error): Promise<T> {
  for (let round = 1; ; round++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof PlanOutdatedError)) throw error;
      if (round >= MAX_ATTEMPTS) throw exhausted();
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(200, 10 * 2 ** round)));
    }
  }
}

// ---- movements -----------------------------------------------------------------------------

export function effectsOf(movement: MovementCreate): StockEffect[] {
  switch (movement.kind) {
    case 'receipt':
      return movement.lines.map((line, index) => ({
        productId: line.productId,
        warehouseId: line.warehouseId,
        kind: 'receipt',
        onHandDelta: line.quantity,
        reservedDelta: 0,
        lotNumber: line.lot?.number,
        expiresOn: line.lot?.expiresOn,
        line: index,
        reference: movement.reference,
        reason: movement.source,
      }));
    case 'issue':
      return movement.lines.map((line, index) => ({
        productId: line.productId,
        warehouseId: line.warehouseId,
        kind: 'issue',
        onHandDelta: -line.quantity,
        reservedDelta: 0,
        lotNumber: line.lotNumber,
        line: index,
        reference: movement.reference,
        reason: movement.purpose,
      }));
    case 'transfer':
      return movement.lines.flatMap((line, index) => [
        { productId: line.productId, warehouseId: movement.fromWarehouseId, kind: 'transfer-out' as const, onHandDelta: -line.quantity, reservedDelta: 0, lotNumber: line.lotNumber, line: index, reason: movement.note },
        { productId: line.productId, warehouseId: movement.toWarehouseId, kind: 'transfer-in' as const, onHandDelta: line.quantity, reservedDelta: 0, mirrorOf: index * 2, line: index, reason: movement.note },
      ]);
    case 'adjustment':
      return movement.lines.map((line, index) => ({
        productId: line.productId,
        warehouseId: line.warehouseId,
        kind: 'adjustment',
        onHandDelta: line.quantity,
        reservedDelta: 0,
        lotNumber: line.lotNumber,
        line: index,
        reason: movement.reason,
      }));
  }
}

export async function recordMovement(context: ServiceContext, actor: Actor, movement: MovementCreate): Promise<Movement> {
  return applyStockChange(context, actor, { kind: movement.kind, effects: effectsOf(movement) });
}

/**
 * Reservations for the orders and repairs modules: promise stock (available goes down), give
 * it back, or issue what was promised — each all-or-nothing, each with ledger entries.
 */
export interface ReservationLine {
  productId: string;
  warehouseId: string;
  quantity: number;
}

export function reserveStock(context: ServiceContext, actor: Actor, lines: ReservationLine[], reference: string): Promise<Movement> {
  return applyStockChange(context, actor, { kind: 'reservation', effects: lines.map((l, line) => ({ ...l, kind: 'reservation', onHandDelta: 0, reservedDelta: l.quantity, line, reference })) });
}

export function releaseStock(context: ServiceContext, actor: Actor, lines: ReservationLine[], reference: string): Promise<Movement> {
  return applyStockChange(context, actor, { kind: 'release', effects: lines.map((l, line) => ({ ...l, kind: 'release', onHandDelta: 0, reservedDelta: -l.quantity, line, reference })) });
}

export function issueReservedStock(context: ServiceContext, actor: Actor, lines: ReservationLine[], reference: string): Promise<Movement> {
  return applyStockChange(context, actor, {
    kind: 'issue-reserved',
    effects: lines.map((l, line) => ({ ...l, kind: 'issue-reserved', onHandDelta: -l.quantity, reservedDelta: -l.quantity, line, reference })),
  });
}

/** Plans and writes one stock change as a single transaction, re-planning when a race invalidates it. */
export async function applyStockChange(context: ServiceContext, actor: Actor, request: StockChangeRequest): Promise<Movement> {
  const timeZone = await companyTimeZone();
  const id = request.movementId ?? context.newId();
  return retryOutdated(
    async () => {
      const plan = await planChange(request, id, context.clock.now(), timeZone, auditName(actor));
      await transactWrite(plan.actions, (index, oldItem) => plan.onConditionFailed(index, oldItem));
      return plan.movement;
    },
    () => new ConflictError('Stock changed too often while this movement was being recorded; retry.'),
  );
}

interface Plan {
  actions: TransactItems;
  movement: Movement;
  onConditionFailed: (index: number, oldItem: Record<string, unknown> | undefined) => Error;
}

async function planChange(request: StockChangeRequest, movementId: string, now: Date, timeZone: string, by: string): Promise<Plan> {
  const at = now.toISOString();
  const levelKeys = uniqueLevels(request.effects);
  const levels = new Map((await getLevelRecords(levelKeys)).map((level) => [keyOf(level), level]));
  // A level exists only for a product and warehouse that existed when it was created: the
  // catalog is asked only about levels this change would create.
  const fresh = request.effects.filter((effect) => !(levels.get(keyOf(effect)) as LevelRecord).exists);
  if (fresh.length) await assertCatalogued(fresh);
  // Lots are read only where they matter: a level holding lotted stock that gives some up, or
  // a level receiving named lots (a receipt with a lot, a transfer carrying lots).
  const lotsByLevel = new Map<string, LotRecord[]>();
  const lotsOf = async (key: string): Promise<LotRecord[]> => {
    let lots = lotsByLevel.get(key);
    if (!lots) {
      const level = levels.get(key) as LevelRecord;
      lots = await getLots(level.productId, level.warehouseId);
      lotsByLevel.set(key, lots);
    }
    return lots;
  };

  // Allocate lots line by line; a shortfall here is final (the stock as read is not enough).
  const remaining = new Map<string, Map<string, number>>();
  const takesByEffect: Take[][] = [];
  const shortages: Array<{ line: number; productId: string; warehouseId: string; requested: number; available: number }> = [];
  for (const [index, effect] of request.effects.entries()) {
    const key = keyOf(effect);
    const level = levels.get(key) as LevelRecord;
    const left = remaining.get(key) ?? new Map<string, number>();
    remaining.set(key, left);
    if (effect.onHandDelta < 0) {
      const quantity = -effect.onHandDelta;
      const lots = effect.lotNumber || level.onHand > level.unlotted ? await lotsOf(key) : [];
      const takes = effect.lotNumber ? takeNamedLot(effect.lotNumber, quantity, lots, left) : allocateFefo(quantity, lots, level.unlotted, left);
      if (!takes) shortages.push({ line: effect.line, productId: effect.productId, warehouseId: effect.warehouseId, requested: quantity, available: level.available });
      takesByEffect[index] = takes ?? [];
    } else if (effect.onHandDelta > 0) {
      const mirrored = effect.mirrorOf !== undefined ? takesByEffect[effect.mirrorOf] : undefined;
      const takes = mirrored ?? [{ lotNumber: effect.lotNumber ?? null, quantity: effect.onHandDelta, expiresOn: effect.expiresOn ?? null }];
      if (takes.some((take) => take.lotNumber !== null)) {
        const lots = await lotsOf(key);
        takesByEffect[index] = takes.map((take) => (take.lotNumber !== null && take.expiresOn === null ? { ...take, expiresOn: existingExpiry(lots, take.lotNumber) } : take));
      } else {
        takesByEffect[index] = takes;
      }
    } else {
      takesByEffect[index] = [];
    }
  }

  // Sum per level and per lot: DynamoDB refuses two actions on one item in a transaction.
  const perLevel = new Map<string, { onHand: number; reserved: number; unlotted: number; issued: number }>();
  const perLot = new Map<string, LotChange>();
  request.effects.forEach((effect, index) => {
    const key = keyOf(effect);
    const sums = perLevel.get(key) ?? { onHand: 0, reserved: 0, unlotted: 0, issued: 0 };
    sums.onHand += effect.onHandDelta;
    sums.reserved += effect.reservedDelta;
    if (ISSUE_KINDS.has(effect.kind)) sums.issued += -effect.onHandDelta;
    const sign = Math.sign(effect.onHandDelta);
    for (const take of takesByEffect[index] ?? []) {
      if (take.lotNumber === null) {
        sums.unlotted += sign * take.quantity;
        continue;
      }
      const lotKey = `${key}#${take.lotNumber}`;
      const lots = lotsByLevel.get(key) ?? [];
      const current = lots.find((lot) => lot.number === take.lotNumber);
      if (sign > 0 && current && take.expiresOn && current.expiresOn && current.expiresOn !== take.expiresOn) {
        throw new ValidationError(`Lot ${take.lotNumber} is already held with expiry ${current.expiresOn}.`, [{ path: `$.body.lines[${effect.line}].lot.expiresOn`, message: `lot ${take.lotNumber} expires on ${current.expiresOn}` }]);
      }
      const change = perLot.get(lotKey) ?? { productId: effect.productId, warehouseId: effect.warehouseId, number: take.lotNumber, delta: 0, current, expiresOn: current?.expiresOn ?? take.expiresOn, at };
      change.delta += sign * take.quantity;
      perLot.set(lotKey, change);
    }
    perLevel.set(key, sums);
  });

  for (const [key, sums] of perLevel) {
    const level = levels.get(key) as LevelRecord;
    const available = level.available + sums.onHand - sums.reserved;
    if (level.onHand + sums.onHand < 0 || level.reserved + sums.reserved < 0 || available < 0) {
      const line = request.effects.find((effect) => keyOf(effect) === key)?.line ?? 0;
      if (!shortages.some((s) => keyOf(s) === key)) shortages.push({ line, productId: level.productId, warehouseId: level.warehouseId, requested: -(sums.onHand - sums.reserved), available: level.available });
    }
  }
  if (shortages.length) throw shortfallError(shortages);

  const day = localDate(now, timeZone);
  const { month, secondsLeft } = monthClock(now, timeZone);
  const actions: TransactItems = [];
  const kinds: Array<'level' | 'lot' | 'alongside' | 'other'> = [];
  const levelAt: LevelRecord[] = [];
  const transitions = new Map<string, Transition>();
  for (const [key, sums] of perLevel) {
    const level = levels.get(key) as LevelRecord;
    const availableDelta = sums.onHand - sums.reserved;
    const band = bandOf(level.available + availableDelta, level.thresholds);
    const transition = transitionOf(level, availableDelta);
    transitions.set(key, transition);
    const [low, high] = intersect(bandRange(band, level.thresholds).map((end) => end - availableDelta) as [number, number], transition.pin);
    const floor = availableDelta < 0 ? -availableDelta : Number.NEGATIVE_INFINITY;
    actions.push(
      levelUpdateAction({ level, onHandDelta: sums.onHand, reservedDelta: sums.reserved, unlottedDelta: sums.unlotted, band, availableRange: [Math.max(low, floor), high], at, counted: request.counted }),
    );
    kinds.push('level');
    levelAt[actions.length - 1] = level;
  }
  for (const change of perLot.values()) {
    actions.push(lotUpdateAction(change));
    kinds.push('lot');
  }
  const entries: LedgerEntry[] = request.effects.map((effect, index) => {
    const takes = (takesByEffect[index] ?? []).filter((take) => take.lotNumber !== null);
    return {
      movementId,
      line: index,
      kind: effect.kind,
      productId: effect.productId,
      warehouseId: effect.warehouseId,
      ...(takes.length ? { lots: takes.map((take) => ({ number: take.lotNumber as string, quantity: take.quantity, expiresOn: take.expiresOn })) } : {}),
      onHandDelta: effect.onHandDelta,
      reservedDelta: effect.reservedDelta,
      ...(effect.reference ? { reference: effect.reference } : {}),
      ...(effect.reason ? { reason: effect.reason } : {}),
      occurredAt: at,
      recordedBy: by,
    };
  });
  for (const entry of entries) {
    actions.push(ledgerPutAction(entry));
    kinds.push('other');
  }
  const movement: Movement = { id: movementId, kind: request.kind, entries, createdAt: at, createdBy: by };
  actions.push(movementPutAction(movement));
  kinds.push('other');
  for (const [key, sums] of perLevel) {
    const level = levels.get(key) as LevelRecord;
    const transition = transitions.get(key) as Transition;
    // Every change of the below-minimum state writes the month's totals, so a month without
    // totals is a month the state held throughout (the report relies on it).
    if (sums.onHand !== 0 || sums.issued !== 0 || transition.stockOut || transition.belowBefore !== transition.belowAfter) {
      actions.push(
        monthTotalsAction({
          productId: level.productId,
          warehouseId: level.warehouseId,
          month,
          issued: sums.issued,
          netDelta: sums.onHand,
          weightedDelta: sums.onHand * secondsLeft,
          stockOuts: transition.stockOut ? 1 : 0,
          belowMinimumSeconds: belowSecondsDelta(transition.belowBefore, transition.belowAfter, secondsLeft),
          openingBelowMinimum: transition.belowBefore,
        }),
      );
      kinds.push('other');
    }
    if (sums.issued > 0) {
      actions.push(dayIssuedAction(level.productId, level.warehouseId, day, sums.issued));
      kinds.push('other');
    }
  }
  const stockActions = actions.length;
  for (const action of request.alongside?.actions ?? []) {
    actions.push(action);
    kinds.push('alongside');
  }
  if (actions.length > MAX_TRANSACTION_ACTIONS) {
    throw new ValidationError(`This movement needs ${actions.length} writes (lines, lots and totals); one transaction holds ${MAX_TRANSACTION_ACTIONS}. Split it into smaller movements.`, [
      { path: '$.body.lines', message: 'too many lines or lots for one movement' },
    ]);
  }

  return {
    actions,
    movement,
    onConditionFailed: (index, oldItem) => {
      const kind = kinds[index];
      if (kind === 'level') {
        const level = levelAt[index] as LevelRecord;
        const sums = perLevel.get(keyOf(level));
        const nowAvailable = typeof oldItem?.available === 'number' ? oldItem.available : 0;
        const nowOnHand = typeof oldItem?.onHand === 'number' ? oldItem.onHand : 0;
        const nowReserved = typeof oldItem?.reserved === 'number' ? oldItem.reserved : 0;
        if (sums && (nowAvailable + sums.onHand - sums.reserved < 0 || nowOnHand + sums.onHand < 0 || nowReserved + sums.reserved < 0)) {
          const line = request.effects.find((effect) => keyOf(effect) === keyOf(level))?.line ?? 0;
          return shortfallError([{ line, productId: level.productId, warehouseId: level.warehouseId, requested: -(sums.onHand - sums.reserved), available: nowAvailable }]);
        }
        return new PlanOutdatedError('level changed');
      }
      if (kind === 'lot') return new PlanOutdatedError('lot changed');
      if (kind === 'alongside' && request.alongside) return request.alongside.onConditionFailed(index - stockActions, oldItem);
      return new Error(`stock change ${movementId}: unexpected condition failure at action ${index}`);
    },
  };
}

/** The company-local month of an instant and the whole seconds from it to the month's end. */
function monthClock(now: Date, timeZone: string): { month: string; secondsLeft: number } {
  const month = localMonth(now, timeZone);
  return { month, secondsLeft: Math.max(0, Math.round((monthStart(nextMonth(month), timeZone).getTime() - now.getTime()) / 1000)) };
}

const isBelowMinimum = (available: number, thresholds: Thresholds | null) => thresholds !== null && available < thresholds.minimum;

function belowSecondsDelta(before: boolean, after: boolean, secondsLeft: number): number {
  if (before === after) return 0;
  return after ? secondsLeft : -secondsLeft;
}

/**
 * What a change does to the month's stock-out and below-minimum figures, decided from the
 * level as read, and `pin`: the range the pre-change `available` must lie in for that to hold.
 * The band condition alone pins only the state after the change; a concurrent movement could
 * otherwise move the state before it and a transition be counted twice or missed.
 */
interface Transition {
  stockOut: boolean;
  belowBefore: boolean;
  belowAfter: boolean;
  pin: [number, number];
}

function transitionOf(level: LevelRecord, availableDelta: number): Transition {
  const before = level.available;
  const after = before + availableDelta;
  const stockOut = before > 0 && after <= 0;
  const belowBefore = isBelowMinimum(before, level.thresholds);
  let pin: [number, number] = [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
  if (level.thresholds) pin = intersect(pin, belowBefore ? [Number.NEGATIVE_INFINITY, level.thresholds.minimum - 1] : [level.thresholds.minimum, Number.POSITIVE_INFINITY]);
  // A fall reaches 0 from exactly −delta (it can never go below 0): pin that, or stay above it.
  if (availableDelta < 0) pin = intersect(pin, stockOut ? [1, -availableDelta] : [1 - availableDelta, Number.POSITIVE_INFINITY]);
  return { stockOut, belowBefore, belowAfter: isBelowMinimum(after, level.thresholds), pin };
}

function intersect(a: [number, number], b: [number, number]): [number, number] {
  return [Math.max(a[0], b[0]), Math.min(a[1], b[1])];
}

function takeNamedLot(number: string, quantity: number, lots: LotRecord[], remaining: Map<string, number>): Take[] | undefined {
  const lot = lots.find((candidate) => candidate.number === number);
  if (!lot) return undefined;
  const have = remaining.get(number) ?? lot.quantity;
  if (have < quantity) return undefined;
  remaining.set(number, have - quantity);
  return [{ lotNumber: number, quantity, expiresOn: lot.expiresOn }];
}

function existingExpiry(lots: LotRecord[], number: string | undefined): string | null {
  return (number && lots.find((lot) => lot.number === number)?.expiresOn) || null;
}

function shortfallError(shortages: Array<{ line: number; productId: string; warehouseId: string; requested: number; available: number }>): ConflictError {
  const first = shortages[0];
  const detail = shortages.map((s) => `line ${s.line}: ${s.requested} requested, ${s.available} available`).join('; ');
  return new ConflictError(`Not enough stock: ${detail}. Nothing was recorded.`, { shortages, available: first?.available });
}

function keyOf(value: { productId: string; warehouseId: string }): string {
  return `${value.productId}#${value.warehouseId}`;
}

function uniqueLevels(effects: StockEffect[]): Array<{ productId: string; warehouseId: string }> {
  const seen = new Map<string, { productId: string; warehouseId: string }>();
  for (const effect of effects) seen.set(keyOf(effect), { productId: effect.productId, warehouseId: effect.warehouseId });
  return [...seen.values()];
}

/** Every product and warehouse a change names must exist (400 naming the line otherwise). */
async function assertCatalogued(effects: StockEffect[]): Promise<void> {
  const products = [...new Set(effects.map((effect) => effect.productId))];
  const warehouses = [...new Set(effects.map((effect) => effect.warehouseId))];
  const missing = async (ids: string[], lookup: (id: string) => Promise<unknown>) =>
    (await Promise.all(ids.map(async (id) => ((await lookup(id).catch((error: unknown) => (error instanceof NotFoundError ? undefined : Promise.reject(error)))) ? undefined : id)))).filter(
      (id): id is string => id !== undefined,
    );
  const [unknownProducts, unknownWarehouses] = await Promise.all([missing(products, getProduct), missing(warehouses, getWarehouse)]);
  if (unknownProducts.length || unknownWarehouses.length) {
    const errors = [
      ...unknownProducts.map((id) => ({ path: `$.body.lines[${effects.find((e) => e.productId === id)?.line ?? 0}].productId`, message: `no product ${id}` })),
      ...unknownWarehouses.map((id) => ({ path: `$.body.lines[${effects.find((e) => e.warehouseId === id)?.line ?? 0}].warehouseId`, message: `no warehouse ${id}` })),
    ];
    throw new ValidationError('The movement names products or warehouses that do not exist.', errors);
  }
}

// ---- levels and thresholds ------------------------------------------------------------------

export async function getLevel(productId: string, warehouseId: string): Promise<StockLevel> {
  await Promise.all([getProduct(productId), getWarehouse(warehouseId)]);
  return toLevelView(await getLevelRecord(productId, warehouseId));
}

export function listLevels(query: LevelListQuery): Promise<Page<StockLevel>> {
  return queryLevels({ ...query, scope: cursorScope('stock', query) });
}

export async function setThresholds(
  context: ServiceContext,
  productId: string,
  warehouseId: string,
  thresholds: Thresholds,
  ifMatch: number | undefined,
): Promise<StockLevel> {
  const [timeZone] = await Promise.all([companyTimeZone(), getProduct(productId), getWarehouse(warehouseId)]);
  // A movement that changes the stock between read and write outdates the band: re-read and place it again.
  return retryOutdated(async () => {
    const level = await getLevelRecord(productId, warehouseId);
    assertIfMatch(ifMatch, level.version);
    const band = bandOf(level.available, thresholds);
    const now = context.clock.now();
    const at = now.toISOString();
    const actions: TransactItems = [thresholdsUpdateAction(level, thresholds, band, at)];
    // New thresholds can move the level across its minimum: the month's time below minimum
    // follows (the update pins `available`, so before and after are exact).
    const belowBefore = isBelowMinimum(level.available, level.thresholds);
    const belowAfter = isBelowMinimum(level.available, thresholds);
    if (belowBefore !== belowAfter) {
      const { month, secondsLeft } = monthClock(now, timeZone);
      actions.push(
        monthTotalsAction({
          productId,
          warehouseId,
          month,
          issued: 0,
          netDelta: 0,
          weightedDelta: 0,
          stockOuts: 0,
          belowMinimumSeconds: belowSecondsDelta(belowBefore, belowAfter, secondsLeft),
          openingBelowMinimum: belowBefore,
        }),
      );
    }
    await transactWrite(actions, (_index, old) => (old && old.version !== level.version ? lostUpdateError(ifMatch) : new PlanOutdatedError('stock moved')));
    return toLevelView({ ...level, thresholds, band, version: level.version + 1, updatedAt: at, exists: true });
  }, () => lostUpdateError(ifMatch));
}

// ---- ledger ---------------------------------------------------------------------------------

export function listMovements(query: MovementListQuery): Promise<Page<LedgerEntry>> {
  return queryLedger(query, cursorScope('stock-movements', query));
}

export async function getMovement(id: string): Promise<Movement> {
  const item = await getMovementRecord(id);
  if (!item) throw new NotFoundError(`No stock movement ${id}.`);
  return { id: item.id as string, kind: item.kind as string, entries: item.entries as LedgerEntry[], createdAt: item.createdAt as string, createdBy: item.createdBy as string };
}

/** Units issued over the last `days` company days, today included (for alerts' days of cover). */
export async function issuedInLastDays(productId: string, warehouseId: string, days: number, now: Date): Promise<number> {
  const today = localDate(now, await companyTimeZone());
  return issuedBetweenDays(productId, warehouseId, addDays(today, -(days - 1)), today);
}

// ---- turnover -------------------------------------------------------------------------------

/**
 * Turnover per level for a month, from month totals kept by every movement: cost grows with
 * levels × months, never with the number of movements. Opening stock is today's on-hand minus
 * every net change since the month began; the average adds each change weighted by the time
 * it was held in the month.
 */
export async function listTurnover(query: TurnoverQuery, now: Date): Promise<Page<Turnover>> {
  const timeZone = await companyTimeZone();
  const current = localMonth(now, timeZone);
  if (query.month > current) throw new ValidationError('That month has not begun.', [{ path: '$.query.month', message: `must not be after ${current}` }]);
  const page = await monthTotalsOf(query.month, query.limit, query.cursor, cursorScope('turnover', query));
  const start = monthStart(query.month, timeZone).getTime();
  const end = Math.min(monthStart(nextMonth(query.month), timeZone).getTime(), now.getTime());
  const fullSeconds = (monthStart(nextMonth(query.month), timeZone).getTime() - start) / 1000;
  const heldSeconds = Math.max(1, (end - start) / 1000);
  const items = await Promise.all(
    page.items.map(async (totals): Promise<Turnover> => {
      const [level, since] = await Promise.all([getLevelRecord(totals.productId, totals.warehouseId), monthTotalsSince(totals.productId, totals.warehouseId, query.month)]);
      const opening = level.onHand - since.reduce((sum, month) => sum + month.netDelta, 0);
      const closing = opening + totals.netDelta;
      // weightedDelta counts each change to the end of the month; for the current month, stop at now.
      const unelapsed = (fullSeconds - heldSeconds) * totals.netDelta;
      const averageOnHand = round2(opening + (totals.weightedDelta - unelapsed) / heldSeconds);
      const turnover = averageOnHand > 0 ? round2(totals.issued / averageOnHand) : null;
      const days = heldSeconds / 86_400;
      return {
        productId: totals.productId,
        warehouseId: totals.warehouseId,
        month: query.month,
        issued: totals.issued,
        openingOnHand: opening,
        closingOnHand: closing,
        averageOnHand,
        turnover,
        daysOfInventory: turnover ? round2(days / turnover) : null,
      };
    }),
  );
  return { items, nextCursor: page.nextCursor };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Procurement records what arrives; every other movement is production's (or admin's). */
export function assertMayRecord(actor: Actor, kind: MovementCreate['kind']): void {
  const writer = actor.roles.some((role) => role === 'production' || role === 'admin');
  if (!writer && !(kind === 'receipt' && actor.roles.includes('procurement'))) {
    throw new ForbiddenError('Procurement may record receipts only; other movements are for production or admin.');
  }
}
