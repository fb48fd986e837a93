import { getWarehouse } from '../../catalog/service';
import { createdStamp, updatedStamp } from '../../platform/audit';
import { auditName, type Actor } from '../../platform/auth';
import type { ServiceContext } from '../../platform/context';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors';
import type { Page } from '../../platform/pagination';
import { cursorScope } from '../../platform/query';
import type { StockLevel } from '../schema';
import { applyStockChange, getLevel, getMovement, listLevels, type StockEffect } from '../service';
import { CLOSE_CHUNK_LINES, MAX_STOCKTAKE_LINES, type CountsInput, type Stocktake, type StocktakeCreate, type StocktakeLine, type StocktakeListQuery, type VarianceReport } from './schema';
import { getStocktakeRecord, insertStocktake, queryStocktakes, replaceStocktake, toStocktakeView, type StocktakeRecord } from './store';

/**
 * Stocktakes. How movements during an open count are neither lost nor double-counted
 * (docs/decisions.md, "Stocktakes compare a count with the books at the moment it is recorded"):
 * each count stores the level's on-hand read when the count is recorded, and the variance is
 * counted − that on-hand. The close applies the variance as a DELTA to whatever on-hand is then,
 * so movements before the count are in the books the count is compared with, and movements
 * after it are kept on top of the adjustment. The quantities frozen at open are shown, never
 * used to compute the adjustment.
 */

/** A close that claimed the stocktake and died is taken over after this (longer than any Lambda timeout). */
const CLOSE_LEASE_MS = 5 * 60_000;
const MAX_ATTEMPTS = 8;

class RaceLostError extends Error {}

export async function openStocktake(context: ServiceContext, actor: Actor, input: StocktakeCreate): Promise<Stocktake> {
  await getWarehouse(input.warehouseId).catch(rethrowNotFoundAs('$.body.warehouseId', `no warehouse ${input.warehouseId}`));
  const levels = input.productIds ? await levelsOfProducts(input.warehouseId, input.productIds) : await levelsOfWarehouse(input.warehouseId);
  const stamp = createdStamp(context, actor);
  const record: StocktakeRecord = {
    id: context.newId(),
    warehouseId: input.warehouseId,
    scope: input.productIds ? 'products' : 'warehouse',
    status: 'open',
    lines: levels.map((level) => ({ productId: level.productId, expected: level.onHand, counted: null, onHandAtCount: null, variance: null, countedAt: null, countedBy: null })),
    report: null,
    movementIds: [],
    openedAt: stamp.createdAt,
    openedBy: stamp.createdBy,
    closedAt: null,
    closedBy: null,
    version: stamp.version,
    updatedAt: stamp.updatedAt,
    updatedBy: stamp.updatedBy,
    closeMovementIds: Array.from({ length: Math.max(1, Math.ceil(levels.length / CLOSE_CHUNK_LINES)) }, () => context.newId()),
    closingAt: null,
  };
  await insertStocktake(record);
  return toStocktakeView(record);
}

export async function getStocktake(id: string): Promise<Stocktake> {
  return toStocktakeView(await load(id));
}

export function listStocktakes(query: StocktakeListQuery): Promise<Page<Stocktake>> {
  return queryStocktakes(query, cursorScope('stocktakes', query));
}

/**
 * Records counts (the last count of a product wins) with the on-hand in the books at that
 * moment, which is what the count is compared with.
 */
export async function recordCounts(context: ServiceContext, actor: Actor, id: string, input: CountsInput): Promise<Stocktake> {
  const first = await load(id);
  assertOpen(first);
  const known = new Set(first.lines.map((line) => line.productId));
  const unknown = input.counts.flatMap((count, index) => (known.has(count.productId) ? [] : [{ path: `$.body.counts[${index}].productId`, message: `product ${count.productId} is not in stocktake ${id}` }]));
  if (unknown.length) throw new ValidationError('Counts name products this stocktake does not cover.', unknown);

  const levels = await Promise.all(input.counts.map((count) => getLevel(count.productId, first.warehouseId)));
  const at = context.clock.now().toISOString();
  const by = auditName(actor);
  const counts = new Map(input.counts.map((count, index) => [count.productId, { counted: count.counted, onHand: (levels[index] as StockLevel).onHand }]));
  let current = first;
  for (let attempt = 1; ; attempt++) {
    assertOpen(current);
    const next: StocktakeRecord = {
      ...current,
      lines: current.lines.map((line): StocktakeLine => {
        const count = counts.get(line.productId);
        return count ? { ...line, counted: count.counted, onHandAtCount: count.onHand, variance: count.counted - count.onHand, countedAt: at, countedBy: by } : line;
      }),
      ...updatedStamp(context, actor, current),
    };
    try {
      await replaceStocktake(next, current.version, () => new RaceLostError());
      return toStocktakeView(next);
    } catch (error) {
      if (!(error instanceof RaceLostError) || attempt >= MAX_ATTEMPTS) throw error instanceof RaceLostError ? busy(id) : error;
      current = await load(id);
    }
  }
}

/**
 * Turns every counted line into adjustment movements and closes the stocktake exactly once.
 * The close claims it (open → closing), then writes one all-or-nothing movement per
 * CLOSE_CHUNK_LINES counted lines, each under an id chosen at open (a second write of one is
 * refused by its own condition, so a retried close skips what is done), and then records the
 * report (closing → closed). If the first movement fails, nothing was written and the
 * stocktake is open again; if a later one fails, the close stays claimed and the next close
 * finishes it — no line is ever adjusted twice, and none is forgotten.
 */
export async function closeStocktake(context: ServiceContext, actor: Actor, id: string): Promise<Stocktake> {
  const claimed = await claimClose(context, actor, id);
  const counted = claimed.lines.filter((line) => line.counted !== null && line.variance !== null);
  const chunks = chunk(counted, CLOSE_CHUNK_LINES);
  const written: string[] = [];
  for (const [index, lines] of chunks.entries()) {
    const movementId = claimed.closeMovementIds[index] as string;
    if (await movementExists(movementId)) {
      written.push(movementId);
      continue;
    }
    const reason = `stocktake ${id}`;
    const effects: StockEffect[] = lines.map((line, position) => ({
      productId: line.productId,
      warehouseId: claimed.warehouseId,
      kind: 'adjustment',
      // A line counted without variance is still an effect: it marks the level counted, and
      // its zero entry in the ledger says the books were confirmed.
      onHandDelta: line.variance as number,
      reservedDelta: 0,
      line: index * CLOSE_CHUNK_LINES + position,
      reference: id,
      reason,
    }));
    try {
      await applyStockChange(context, actor, { kind: 'stocktake', counted: true, movementId, effects });
    } catch (error) {
      // The movement may exist all the same (committed although the reply was lost).
      if (!(await movementExists(movementId))) {
        if (written.length === 0) {
          await reopen(context, actor, claimed);
          throw error;
        }
        await releaseClose(context, actor, claimed);
        throw new ConflictError(
          `Stocktake ${id} is partly closed: ${written.length} of ${chunks.length} adjustments are written and the next failed (${error instanceof Error ? error.message : 'unknown error'}). Close it again to finish; nothing will be adjusted twice.`,
          { status: 'closing', movementIds: written },
        );
      }
    }
    written.push(movementId);
  }
  const now = context.clock.now().toISOString();
  const closed: StocktakeRecord = {
    ...claimed,
    status: 'closed',
    report: reportOf(claimed.lines),
    movementIds: written,
    closedAt: now,
    closedBy: auditName(actor),
    closingAt: null,
    ...updatedStamp(context, actor, claimed),
  };
  await replaceStocktake(closed, claimed.version, () => new ConflictError(`Stocktake ${id} was taken over by another close; re-read it.`));
  return toStocktakeView(closed);
}

/** A close that stopped part-way gives up its claim (status stays closing), so a retry need not wait for the lease. */
async function releaseClose(context: ServiceContext, actor: Actor, claimed: StocktakeRecord): Promise<void> {
  const released: StocktakeRecord = { ...claimed, closingAt: null, ...updatedStamp(context, actor, claimed) };
  await replaceStocktake(released, claimed.version, () => new RaceLostError()).catch((error: unknown) => {
    if (!(error instanceof RaceLostError)) throw error;
  });
}

function chunk<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_unused, index) => items.slice(index * size, (index + 1) * size));
}

export function reportOf(lines: StocktakeLine[]): VarianceReport {
  const counted = lines.filter((line) => line.counted !== null);
  const variances = counted.map((line) => line.variance ?? 0);
  return {
    linesCounted: counted.length,
    linesUncounted: lines.length - counted.length,
    linesWithVariance: variances.filter((v) => v !== 0).length,
    unitsOver: variances.filter((v) => v > 0).reduce((sum, v) => sum + v, 0),
    unitsUnder: variances.filter((v) => v < 0).reduce((sum, v) => sum - v, 0),
  };
}

// ---- helpers --------------------------------------------------------------------------------

async function load(id: string): Promise<StocktakeRecord> {
  const record = await getStocktakeRecord(id);
  if (!record) throw new NotFoundError(`No stocktake ${id}.`);
  return record;
}

function assertOpen(stocktake: StocktakeRecord): void {
  if (stocktake.status !== 'open') {
    throw new ConflictError(`Stocktake ${stocktake.id} is ${stocktake.status}; it no longer takes counts.`, { status: stocktake.status });
  }
}

function busy(id: string): ConflictError {
  return new ConflictError(`Stocktake ${id} changed too often while this request was being recorded; retry.`);
}

/** open → closing, or a stale closing (its close died) → closing again. Anything else is 409. */
async function claimClose(context: ServiceContext, actor: Actor, id: string): Promise<StocktakeRecord> {
  for (let attempt = 1; ; attempt++) {
    const current = await load(id);
    const now = context.clock.now();
    if (current.status === 'closed') throw new ConflictError(`Stocktake ${id} is already closed.`, { status: 'closed', movementIds: current.movementIds });
    if (current.status === 'closing' && current.closingAt && Date.parse(current.closingAt) + CLOSE_LEASE_MS > now.getTime()) {
      throw new ConflictError(`Stocktake ${id} is being closed right now.`, { status: 'closing' });
    }
    const claimed: StocktakeRecord = { ...current, status: 'closing', closingAt: now.toISOString(), ...updatedStamp(context, actor, current) };
    try {
      await replaceStocktake(claimed, current.version, () => new RaceLostError());
      return claimed;
    } catch (error) {
      // A count or another close got in first: look again (the checks above decide).
      if (!(error instanceof RaceLostError) || attempt >= MAX_ATTEMPTS) throw error instanceof RaceLostError ? busy(id) : error;
    }
  }
}

/** closing → open after a failed adjustment; if another close took over meanwhile, leave it to that one. */
async function reopen(context: ServiceContext, actor: Actor, claimed: StocktakeRecord): Promise<void> {
  const open: StocktakeRecord = { ...claimed, status: 'open', closingAt: null, ...updatedStamp(context, actor, claimed) };
  await replaceStocktake(open, claimed.version, () => new RaceLostError()).catch((error: unknown) => {
    if (!(error instanceof RaceLostError)) throw error;
  });
}

async function movementExists(id: string): Promise<boolean> {
  try {
    await getMovement(id);
    return true;
  } catch (error) {
    if (error instanceof NotFoundError) return false;
    throw error;
  }
}

async function levelsOfProducts(warehouseId: string, productIds: string[]): Promise<StockLevel[]> {
  return Promise.all(productIds.map((productId, index) => getLevel(productId, warehouseId).catch(rethrowNotFoundAs(`$.body.productIds[${index}]`, `no product ${productId}`))));
}

async function levelsOfWarehouse(warehouseId: string): Promise<StockLevel[]> {
  const levels: StockLevel[] = [];
  let cursor: string | undefined;
  do {
    const page = await listLevels({ warehouseId, limit: 100, cursor });
    levels.push(...page.items);
    if (levels.length > MAX_STOCKTAKE_LINES) {
      throw new ValidationError(`Warehouse ${warehouseId} holds more than ${MAX_STOCKTAKE_LINES} stock levels: count it in several stocktakes, naming the products of each.`, [
        { path: '$.body.productIds', message: `required when the warehouse holds more than ${MAX_STOCKTAKE_LINES} levels` },
      ]);
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  if (!levels.length) {
    throw new ValidationError(`Warehouse ${warehouseId} holds no stock levels yet: name the products to count.`, [{ path: '$.body.productIds', message: 'required for a warehouse without stock levels' }]);
  }
  return levels;
}

function rethrowNotFoundAs(path: string, message: string) {
  return (error: unknown): never => {
    if (error instanceof NotFoundError) throw new ValidationError(`The stocktake names something that does not exist: ${message}.`, [{ path, message }]);
    throw error;
  };
}
