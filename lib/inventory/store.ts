import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Page } from '../platform/pagination';
import { db, tableName } from '../platform/db';
import { queryAll, queryPage } from '../platform/query';
import type { TransactItems } from '../platform/transact';
import type { LedgerEntry, MovementListQuery, StockBand, StockLevel, Thresholds } from './schema';

/**
 * Keys of the inventory module — the only place that knows them.
 *   level          pk LEVEL#<productId>        sk WAREHOUSE#<warehouseId>
 *                  (changeSeq counts its writes: commit order for consumers of its events)
 *                  gsi1 LEVELS / <warehouseId>#<productId>            (all levels; by warehouse)
 *                  gsi2 STOCK_SHORT / <0|1>#<warehouseId>#<productId>  (sparse: below safety (0) / minimum (1))
 *                       STOCK_OVER  / <warehouseId>#<productId>        (sparse: above maximum)
 *                  gsi3 COUNT_DUE / <lastCountedAt or createdAt>#<warehouseId>#<productId>  (keys only)
 *   lot            pk LOTS#<productId>#<warehouseId>  sk LOT#<number>
 *                  gsi1 LOT_EXPIRY / <expiresOn>#<productId>#<warehouseId>#<number>  (sparse: qty > 0 with expiry)
 *   ledger entry   pk LEDGER#<productId>#<warehouseId>  sk <occurredAt>#<movementId>#<line>
 *                  gsi1 LEDGER_P#<productId> / same sk     gsi2 LEDGER_W#<warehouseId> / same sk
 *   movement       pk MOVEMENT#<id>  sk MOVEMENT          (its ledger entries, for GET /stock-movements/{id})
 *   month totals   pk TURNOVER#<productId>#<warehouseId>  sk MONTH#<yyyy-mm>
 *                  gsi1 TURNOVER#<yyyy-mm> / <productId>#<warehouseId>
 *                  (issued, net change, time-weighted change, stock-outs, time below minimum)
 *   day issues     pk ISSUED#<productId>#<warehouseId>  sk DAY#<yyyy-mm-dd>
 */
type Item = Record<string, unknown>;

export const levelKey = (productId: string, warehouseId: string) => ({ pk: `LEVEL#${productId}`, sk: `WAREHOUSE#${warehouseId}` });
const lotsPk = (productId: string, warehouseId: string) => `LOTS#${productId}#${warehouseId}`;
const ledgerPk = (productId: string, warehouseId: string) => `LEDGER#${productId}#${warehouseId}`;

/** What a level item holds beyond its view: the part of on-hand that belongs to no lot. */
export interface LevelRecord extends StockLevel {
  unlotted: number;
  exists: boolean;
}

export interface LotRecord {
  productId: string;
  warehouseId: string;
  number: string;
  quantity: number;
  expiresOn: string | null;
  receivedAt: string;
}

/** Count age: every level, by when it was last counted (or created, if never), in gsi3 (keys only). */
export const COUNT_INDEX = 'COUNT_DUE';
export function countKey(at: string, productId: string, warehouseId: string): string {
  return `${at}#${warehouseId}#${productId}`;
}

/** The sparse band index keys for a level in `band`; `ok` levels are in neither partition. */
export function bandIndexKeys(band: StockBand, productId: string, warehouseId: string): { gsi2pk: string; gsi2sk: string } | undefined {
  if (band === 'below-safety') return { gsi2pk: 'STOCK_SHORT', gsi2sk: `0#${warehouseId}#${productId}` };
  if (band === 'below-minimum') return { gsi2pk: 'STOCK_SHORT', gsi2sk: `1#${warehouseId}#${productId}` };
  if (band === 'above-maximum') return { gsi2pk: 'STOCK_OVER', gsi2sk: `${warehouseId}#${productId}` };
  return undefined;
}

export function emptyLevel(productId: string, warehouseId: string): LevelRecord {
  return {
    productId,
    warehouseId,
    onHand: 0,
    reserved: 0,
    available: 0,
    unlotted: 0,
    thresholds: null,
    band: 'ok',
    lastMovementAt: null,
    lastCountedAt: null,
    version: 0,
    updatedAt: null,
    exists: false,
  };
}

/** A level item (from the table or an index with all attributes) as the module sees it. */
export function levelFromItem(item: Item): LevelRecord {
  return {
    productId: item.productId as string,
    warehouseId: item.warehouseId as string,
    onHand: item.onHand as number,
    reserved: item.reserved as number,
    available: item.available as number,
    unlotted: item.unlotted as number,
    thresholds: (item.thresholds as Thresholds | undefined) ?? null,
    band: item.band as StockBand,
    lastMovementAt: (item.lastMovementAt as string | undefined) ?? null,
    lastCountedAt: (item.lastCountedAt as string | undefined) ?? null,
    version: item.version as number,
    updatedAt: (item.updatedAt as string | undefined) ?? null,
    exists: true,
  };
}

export function toLevelView(level: LevelRecord): StockLevel {
  const { unlotted: _unlotted, exists: _exists, ...view } = level;
  return view;
}

export async function getLevelRecord(productId: string, warehouseId: string): Promise<LevelRecord> {
  const result = await db.send(new GetCommand({ TableName: tableName, Key: levelKey(productId, warehouseId), ConsistentRead: true }));
  return result.Item ? levelFromItem(result.Item) : emptyLevel(productId, warehouseId);
}

/** Consistent reads of several levels (a movement touches at most a few dozen). */
export async function getLevelRecords(keys: Array<{ productId: string; warehouseId: string }>): Promise<LevelRecord[]> {
  return Promise.all(keys.map((key) => getLevelRecord(key.productId, key.warehouseId)));
}

export async function getLots(productId: string, warehouseId: string): Promise<LotRecord[]> {
  const result = await db.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': lotsPk(productId, warehouseId) },
      ConsistentRead: true,
    }),
  );
  return (result.Items ?? []).map((item) => ({
    productId,
    warehouseId,
    number: item.number as string,
    quantity: item.quantity as number,
    expiresOn: (item.expiresOn as string | undefined) ?? null,
    receivedAt: item.receivedAt as string,
  }));
}

// ---- transaction actions ------------------------------------------------------------------

export interface LevelChange {
  level: LevelRecord;
  onHandDelta: number;
  reservedDelta: number;
  unlottedDelta: number;
  /** Band after the change, decided from the level as read. */
  band: StockBand;
  /** Pre-change `available` must lie in this range for `band` to be right (and stock ≥ 0). */
  availableRange: [number, number];
  at: string;
  counted?: boolean;
}

/**
 * What every write of a level sets: what it is, its listing key, its band and the sparse band
 * index keys (removed when the band is `ok`), and the `changeSeq` increment's operand.
 */
function levelBase(level: LevelRecord, band: StockBand) {
  const values: Record<string, unknown> = {
    ':band': band,
    ':productId': level.productId,
    ':warehouseId': level.warehouseId,
    ':type': 'StockLevel',
    ':levels': 'LEVELS',
    ':levelsSk': `${level.warehouseId}#${level.productId}`,
    ':one': 1,
  };
  const set = ['#band = :band', 'productId = :productId', 'warehouseId = :warehouseId', '#type = :type', 'gsi1pk = :levels', 'gsi1sk = :levelsSk'];
  const bandKeys = bandIndexKeys(band, level.productId, level.warehouseId);
  if (bandKeys) {
    set.push('gsi2pk = :gsi2pk', 'gsi2sk = :gsi2sk');
    values[':gsi2pk'] = bandKeys.gsi2pk;
    values[':gsi2sk'] = bandKeys.gsi2sk;
  }
  return { set, values, names: { '#band': 'band', '#type': 'type' }, remove: bandKeys ? '' : ' REMOVE gsi2pk, gsi2sk' };
}

/**
 * One atomic update of a level: counters move by ADD (no read-modify-write race), and the
 * condition pins exactly what the plan assumed — enough stock, the same thresholds, and an
 * `available` still in the range that keeps the new band right. Concurrent movements that do
 * not cross a threshold never conflict; one that does is retried with a fresh read.
 */
export function levelUpdateAction(change: LevelChange): TransactItems[number] {
  const { level } = change;
  const base = levelBase(level, change.band);
  const values: Record<string, unknown> = {
    ...base.values,
    ':onHand': change.onHandDelta,
    ':reserved': change.reservedDelta,
    ':available': change.onHandDelta - change.reservedDelta,
    ':unlotted': change.unlottedDelta,
    ':at': change.at,
    ':zero': 0,
  };
  const set = [...base.set, 'lastMovementAt = :at', 'updatedAt = :at', 'version = if_not_exists(version, :zero)'];
  if (change.counted) set.push('lastCountedAt = :at');
  if (change.counted || !level.exists) {
    // Count age: counted now, or (a new level) due from now.
    set.push('gsi3pk = :countIndex', 'gsi3sk = :countKey');
    values[':countIndex'] = COUNT_INDEX;
    values[':countKey'] = countKey(change.at, level.productId, level.warehouseId);
  }
  const conditions: string[] = [];
  if (!level.exists) {
    conditions.push('attribute_not_exists(pk)');
  } else {
    conditions.push('version = :version');
    values[':version'] = level.version;
    const [low, high] = change.availableRange;
    if (Number.isFinite(low)) {
      conditions.push('available >= :low');
      values[':low'] = low;
    }
    if (Number.isFinite(high)) {
      conditions.push('available <= :high');
      values[':high'] = high;
    }
    if (change.onHandDelta < 0) {
      conditions.push('onHand >= :needOnHand');
      values[':needOnHand'] = -change.onHandDelta;
    }
    if (change.reservedDelta < 0) {
      conditions.push('reserved >= :needReserved');
      values[':needReserved'] = -change.reservedDelta;
    }
    if (change.unlottedDelta < 0) {
      conditions.push('unlotted >= :needUnlotted');
      values[':needUnlotted'] = -change.unlottedDelta;
    }
  }
  return {
    Update: {
      TableName: tableName,
      Key: levelKey(level.productId, level.warehouseId),
      UpdateExpression: `SET ${set.join(', ')} ADD onHand :onHand, reserved :reserved, available :available, unlotted :unlotted, changeSeq :one${base.remove}`,
      ConditionExpression: conditions.join(' AND '),
      ExpressionAttributeNames: base.names,
      ExpressionAttributeValues: values,
    },
  };
}

/** Sets thresholds and the band they imply, conditional on the version and stock as read. */
export function thresholdsUpdateAction(level: LevelRecord, thresholds: Thresholds, band: StockBand, at: string): TransactItems[number] {
  const base = levelBase(level, band);
  const values: Record<string, unknown> = {
    ...base.values,
    ':thresholds': thresholds,
    ':at': at,
    ':next': level.version + 1,
    ':zero': 0,
    ':countIndex': COUNT_INDEX,
    ':countKey': countKey(at, level.productId, level.warehouseId),
  };
  const set = [
    ...base.set,
    'thresholds = :thresholds',
    'updatedAt = :at',
    'version = :next',
    'onHand = if_not_exists(onHand, :zero)',
    'reserved = if_not_exists(reserved, :zero)',
    'available = if_not_exists(available, :zero)',
    'unlotted = if_not_exists(unlotted, :zero)',
    'gsi3pk = if_not_exists(gsi3pk, :countIndex)',
    'gsi3sk = if_not_exists(gsi3sk, :countKey)',
  ];
  let condition = 'attribute_not_exists(pk)';
  if (level.exists) {
    condition = 'version = :version AND available = :seen';
    values[':version'] = level.version;
    values[':seen'] = level.available;
  }
  return {
    Update: {
      TableName: tableName,
      Key: levelKey(level.productId, level.warehouseId),
      UpdateExpression: `SET ${set.join(', ')} ADD changeSeq :one${base.remove}`,
      ConditionExpression: condition,
      ExpressionAttributeNames: base.names,
      ExpressionAttributeValues: values,
    },
  };
}

export interface LotChange {
  productId: string;
  warehouseId: string;
  number: string;
  delta: number;
  /** The lot as read (undefined: a new lot from a receipt). */
  current: LotRecord | undefined;
  expiresOn: string | null;
  at: string;
}

/** Lot quantity moves by ADD; taking from a lot needs enough in it; an empty lot leaves the expiry index. */
export function lotUpdateAction(change: LotChange): TransactItems[number] {
  const after = (change.current?.quantity ?? 0) + change.delta;
  const values: Record<string, unknown> = {
    ':delta': change.delta,
    ':number': change.number,
    ':productId': change.productId,
    ':warehouseId': change.warehouseId,
    ':at': change.at,
    ':type': 'StockLot',
  };
  const set = ['#number = :number', 'productId = :productId', 'warehouseId = :warehouseId', 'receivedAt = if_not_exists(receivedAt, :at)', '#type = :type'];
  if (change.expiresOn) {
    set.push('expiresOn = :expiresOn');
    values[':expiresOn'] = change.expiresOn;
  }
  let remove = '';
  if (after > 0 && change.expiresOn) {
    set.push('gsi1pk = :expiryIndex', 'gsi1sk = :expirySk');
    values[':expiryIndex'] = 'LOT_EXPIRY';
    values[':expirySk'] = `${change.expiresOn}#${change.productId}#${change.warehouseId}#${change.number}`;
  } else {
    remove = ' REMOVE gsi1pk, gsi1sk';
  }
  // The quantity seen is pinned: whether the lot empties (and leaves the index) depends on it.
  const condition = change.current ? 'quantity = :seen' : 'attribute_not_exists(pk)';
  if (change.current) values[':seen'] = change.current.quantity;
  return {
    Update: {
      TableName: tableName,
      Key: { pk: lotsPk(change.productId, change.warehouseId), sk: `LOT#${change.number}` },
      UpdateExpression: `SET ${set.join(', ')} ADD quantity :delta${remove}`,
      ConditionExpression: condition,
      ExpressionAttributeNames: { '#number': 'number', '#type': 'type' },
      ExpressionAttributeValues: values,
    },
  };
}

export function ledgerPutAction(entry: LedgerEntry): TransactItems[number] {
  const sk = `${entry.occurredAt}#${entry.movementId}#${String(entry.line).padStart(3, '0')}`;
  return {
    Put: {
      TableName: tableName,
      Item: {
        pk: ledgerPk(entry.productId, entry.warehouseId),
        sk,
        gsi1pk: `LEDGER_P#${entry.productId}`,
        gsi1sk: sk,
        gsi2pk: `LEDGER_W#${entry.warehouseId}`,
        gsi2sk: sk,
        type: 'LedgerEntry',
        ...entry,
      },
      // Append-only: an entry is written once and never replaced.
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

export function movementPutAction(movement: { id: string; kind: string; entries: LedgerEntry[]; createdAt: string; createdBy: string }): TransactItems[number] {
  return {
    Put: {
      TableName: tableName,
      Item: { pk: `MOVEMENT#${movement.id}`, sk: 'MOVEMENT', type: 'Movement', ...movement },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

export interface MonthTotals {
  productId: string;
  warehouseId: string;
  month: string;
  issued: number;
  netDelta: number;
  /** Σ delta × seconds from the movement to the end of the month: turns into average on-hand. */
  weightedDelta: number;
  /** Times `available` fell from above 0 to 0 in the month. */
  stockOuts: number;
  /**
   * The same trick for time below minimum: + seconds left in the month on entering, − on
   * leaving. With the opening state, the month's seconds below minimum are
   * (openingBelowMinimum ? seconds in the month : 0) + belowMinimumSeconds.
   */
  belowMinimumSeconds: number;
  /**
   * Below minimum at the start of the month: set once, by the month's first write, from the
   * state before that change (a level's state changes only through writes that also write
   * here). Absent on items written before it existed.
   */
  openingBelowMinimum?: boolean;
}

/**
 * Month totals move by ADD in the movement's own transaction: reading a month is one item.
 * `openingBelowMinimum` is the state before this change; only the month's first write keeps it.
 */
export function monthTotalsAction(totals: MonthTotals & { openingBelowMinimum: boolean }): TransactItems[number] {
  return {
    Update: {
      TableName: tableName,
      Key: { pk: `TURNOVER#${totals.productId}#${totals.warehouseId}`, sk: `MONTH#${totals.month}` },
      UpdateExpression:
        'SET productId = :p, warehouseId = :w, #month = :m, #type = :type, gsi1pk = :index, gsi1sk = :indexSk, openingBelowMinimum = if_not_exists(openingBelowMinimum, :openingBelow) ' +
        'ADD issued :issued, netDelta :net, weightedDelta :weighted, stockOuts :stockOuts, belowMinimumSeconds :belowSeconds',
      ExpressionAttributeNames: { '#month': 'month', '#type': 'type' },
      ExpressionAttributeValues: {
        ':p': totals.productId,
        ':w': totals.warehouseId,
        ':m': totals.month,
        ':type': 'StockMonth',
        ':index': `TURNOVER#${totals.month}`,
        ':indexSk': `${totals.productId}#${totals.warehouseId}`,
        ':issued': totals.issued,
        ':net': totals.netDelta,
        ':weighted': totals.weightedDelta,
        ':stockOuts': totals.stockOuts,
        ':belowSeconds': totals.belowMinimumSeconds,
        ':openingBelow': totals.openingBelowMinimum,
      },
    },
  };
}

export function dayIssuedAction(productId: string, warehouseId: string, day: string, quantity: number): TransactItems[number] {
  return {
    Update: {
      TableName: tableName,
      Key: { pk: `ISSUED#${productId}#${warehouseId}`, sk: `DAY#${day}` },
      UpdateExpression: 'SET #type = :type ADD issued :q',
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: { ':q': quantity, ':type': 'StockDayIssued' },
    },
  };
}

// ---- reads ---------------------------------------------------------------------------------

export async function issuedBetweenDays(productId: string, warehouseId: string, fromDay: string, toDay: string): Promise<number> {
  const result = await db.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': `ISSUED#${productId}#${warehouseId}`, ':from': `DAY#${fromDay}`, ':to': `DAY#${toDay}` },
    }),
  );
  return (result.Items ?? []).reduce((sum, item) => sum + (item.issued as number), 0);
}

/** A level's month totals from `month` on (bounded by months, not movements). */
export async function monthTotalsSince(productId: string, warehouseId: string, month: string): Promise<MonthTotals[]> {
  const result = await db.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND sk >= :from',
      ExpressionAttributeValues: { ':pk': `TURNOVER#${productId}#${warehouseId}`, ':from': `MONTH#${month}` },
    }),
  );
  return (result.Items ?? []).map(monthTotalsFromItem);
}

/** Items written before stock-outs and time below minimum were kept read as zero (opening state unknown). */
function monthTotalsFromItem(item: Item): MonthTotals {
  return {
    productId: item.productId as string,
    warehouseId: item.warehouseId as string,
    month: item.month as string,
    issued: item.issued as number,
    netDelta: item.netDelta as number,
    weightedDelta: item.weightedDelta as number,
    stockOuts: (item.stockOuts as number | undefined) ?? 0,
    belowMinimumSeconds: (item.belowMinimumSeconds as number | undefined) ?? 0,
    ...(typeof item.openingBelowMinimum === 'boolean' ? { openingBelowMinimum: item.openingBelowMinimum } : {}),
  };
}

/** Every level (the LEVELS partition of gsi1, all attributes): one item per product × warehouse. */
export async function everyLevel(): Promise<LevelRecord[]> {
  const items = await queryAll({ IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': 'LEVELS' } });
  return items.map(levelFromItem);
}

export async function monthTotalsOf(month: string, limit: number, cursor: string | undefined, scope: string): Promise<Page<MonthTotals>> {
  return queryPage(
    { index: 'gsi1', keyCondition: 'gsi1pk = :pk', values: { ':pk': `TURNOVER#${month}` }, limit, cursor, scope },
    monthTotalsFromItem,
  );
}

export interface LevelQuery {
  productId?: string;
  warehouseId?: string;
  below?: 'minimum' | 'safety';
  above?: 'maximum';
  limit: number;
  cursor?: string | undefined;
  scope: string;
}

/** Levels through the narrowest index: band partition, product partition, or all by warehouse. */
export async function queryLevels(query: LevelQuery): Promise<Page<StockLevel>> {
  const view = (item: Item) => toLevelView(levelFromItem(item));
  const filters: string[] = [];
  const values: Record<string, unknown> = {};
  if (query.below || query.above) {
    if (query.productId) {
      filters.push('productId = :productId');
      values[':productId'] = query.productId;
    }
    const short = query.below !== undefined;
    const prefix = query.below === 'safety' ? '0#' : undefined;
    if (!short && query.warehouseId) {
      return queryPage(
        { index: 'gsi2', keyCondition: 'gsi2pk = :pk AND begins_with(gsi2sk, :prefix)', values: { ...values, ':pk': 'STOCK_OVER', ':prefix': `${query.warehouseId}#` }, filter: filters.join(' AND ') || undefined, limit: query.limit, cursor: query.cursor, scope: query.scope },
        view,
      );
    }
    if (query.warehouseId) {
      filters.push('warehouseId = :warehouseId');
      values[':warehouseId'] = query.warehouseId;
    }
    return queryPage(
      {
        index: 'gsi2',
        keyCondition: prefix ? 'gsi2pk = :pk AND begins_with(gsi2sk, :prefix)' : 'gsi2pk = :pk',
        values: { ...values, ':pk': short ? 'STOCK_SHORT' : 'STOCK_OVER', ...(prefix ? { ':prefix': prefix } : {}) },
        filter: filters.join(' AND ') || undefined,
        limit: query.limit,
        cursor: query.cursor,
        scope: query.scope,
      },
      view,
    );
  }
  if (query.productId) {
    const keyCondition = query.warehouseId ? 'pk = :pk AND sk = :sk' : 'pk = :pk AND begins_with(sk, :sk)';
    const sk = query.warehouseId ? `WAREHOUSE#${query.warehouseId}` : 'WAREHOUSE#';
    return queryPage({ keyCondition, values: { ':pk': `LEVEL#${query.productId}`, ':sk': sk }, limit: query.limit, cursor: query.cursor, scope: query.scope }, view);
  }
  return queryPage(
    {
      index: 'gsi1',
      keyCondition: query.warehouseId ? 'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)' : 'gsi1pk = :pk',
      values: { ':pk': 'LEVELS', ...(query.warehouseId ? { ':prefix': `${query.warehouseId}#` } : {}) },
      limit: query.limit,
      cursor: query.cursor,
      scope: query.scope,
    },
    view,
  );
}

export async function queryLedger(query: MovementListQuery, scope: string): Promise<Page<LedgerEntry>> {
  const from = query.from ?? '0000';
  const to = query.to ? `${query.to}~` : '9999';
  const base = { values: { ':from': from, ':to': to } as Record<string, unknown>, filter: undefined as string | undefined, names: undefined as Record<string, string> | undefined };
  if (query.kind) {
    base.filter = '#kind = :kind';
    base.names = { '#kind': 'kind' };
    base.values[':kind'] = query.kind;
  }
  const view = (item: Item) => {
    const { pk: _pk, sk: _sk, gsi1pk: _a, gsi1sk: _b, gsi2pk: _c, gsi2sk: _d, type: _type, ...entry } = item;
    return entry as unknown as LedgerEntry;
  };
  const common = { ...base, newestFirst: true, limit: query.limit, cursor: query.cursor, scope };
  if (query.productId && query.warehouseId) {
    return queryPage({ ...common, keyCondition: 'pk = :pk AND sk BETWEEN :from AND :to', values: { ...base.values, ':pk': ledgerPk(query.productId, query.warehouseId) } }, view);
  }
  if (query.productId) {
    return queryPage({ ...common, index: 'gsi1', keyCondition: 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to', values: { ...base.values, ':pk': `LEDGER_P#${query.productId}` } }, view);
  }
  return queryPage({ ...common, index: 'gsi2', keyCondition: 'gsi2pk = :pk AND gsi2sk BETWEEN :from AND :to', values: { ...base.values, ':pk': `LEDGER_W#${query.warehouseId}` } }, view);
}

export async function getMovementRecord(id: string): Promise<Item | undefined> {
  const result = await db.send(new GetCommand({ TableName: tableName, Key: { pk: `MOVEMENT#${id}`, sk: 'MOVEMENT' } }));
  return result.Item;
}

/** Every ledger entry of a level (tests and audits: Σ ledger = on-hand). */
export async function allLedgerEntries(productId: string, warehouseId: string): Promise<LedgerEntry[]> {
  const items = await queryAll({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': ledgerPk(productId, warehouseId) }, ConsistentRead: true });
  return items as unknown as LedgerEntry[];
}

