import * as z from 'zod';
import { pageQuery, pageSchema } from '../platform/pagination';
import { isoDate, isoDateTime, text, ulid } from '../platform/schema';

/** Quantities are whole units. */
const quantity = z.number().int().min(1).max(1_000_000_000);

export const thresholdsInput = z
  .object({
    safety: z.number().int().min(0).describe('Below this, stock is critically low.'),
    minimum: z.number().int().min(0).describe('Below this, reorder: the production and procurement heads are alerted.'),
    maximum: z.number().int().min(1).describe('Above this, money sits idle as overstock.'),
    reorderQuantity: z.number().int().min(1),
    leadTimeDays: z.number().int().min(0).max(365),
  })
  .strict()
  .refine((t) => t.safety <= t.minimum, { message: 'safety must not exceed minimum', path: ['safety'] })
  .refine((t) => t.minimum <= t.maximum, { message: 'minimum must not exceed maximum', path: ['minimum'] });
export type Thresholds = z.infer<typeof thresholdsInput>;

export const STOCK_BANDS = ['below-safety', 'below-minimum', 'ok', 'above-maximum'] as const;
export const stockBand = z.enum(STOCK_BANDS);
export type StockBand = z.infer<typeof stockBand>;

export const levelParams = z.object({ productId: ulid, warehouseId: ulid }).strict();

export const levelView = z
  .object({
    productId: ulid,
    warehouseId: ulid,
    onHand: z.number().int(),
    reserved: z.number().int(),
    available: z.number().int().describe('onHand − reserved: what can still be promised or issued.'),
    thresholds: thresholdsInput.nullable(),
    band: stockBand.describe('Where available stock stands against the thresholds.'),
    lastMovementAt: isoDateTime.nullable(),
    lastCountedAt: isoDateTime.nullable(),
    version: z.number().int().min(0).describe('Version of the thresholds (the ETag); movements do not change it.'),
    updatedAt: isoDateTime.nullable(),
  })
  .strict();
export type StockLevel = z.infer<typeof levelView>;

export const levelListQuery = z
  .object({
    warehouseId: ulid.optional(),
    productId: ulid.optional(),
    below: z.enum(['minimum', 'safety']).optional(),
    above: z.literal('maximum').optional(),
    ...pageQuery,
  })
  .strict()
  .refine((q) => !(q.below && q.above), { message: 'ask for below or above, not both', path: ['above'] });
export type LevelListQuery = z.infer<typeof levelListQuery>;
export const levelPage = pageSchema(levelView);

/** Bounded so that every movement fits one DynamoDB transaction (100 actions). */
export const MAX_MOVEMENT_LINES = 20;

const lotNumber = z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$/, 'letters, digits, ".", "_", "/" or "-", at most 40');

const receiptLine = z
  .object({
    productId: ulid,
    warehouseId: ulid,
    quantity,
    lot: z.object({ number: lotNumber, expiresOn: isoDate.optional() }).strict().optional(),
  })
  .strict();
const issueLine = z.object({ productId: ulid, warehouseId: ulid, quantity, lotNumber: lotNumber.optional() }).strict();
const transferLine = z.object({ productId: ulid, quantity, lotNumber: lotNumber.optional() }).strict();
const adjustmentLine = z
  .object({
    productId: ulid,
    warehouseId: ulid,
    quantity: z.number().int().min(-1_000_000_000).max(1_000_000_000).refine((q) => q !== 0, 'must not be 0').describe('Signed: + found, − lost.'),
    lotNumber: lotNumber.optional(),
  })
  .strict();

const lines = <T extends z.ZodType>(line: T) => z.array(line).min(1).max(MAX_MOVEMENT_LINES).describe(`1–${MAX_MOVEMENT_LINES} lines; all or nothing.`);
const reference = z.string().trim().min(1).max(80);
const note = z.string().trim().max(500).optional();

export const movementCreate = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('receipt'), source: z.enum(['purchase', 'production', 'return']), reference: reference.optional(), note, lines: lines(receiptLine) }).strict(),
  z.object({ kind: z.literal('issue'), purpose: z.enum(['sale', 'repair', 'scrap', 'sample']), reference: reference.optional(), note, lines: lines(issueLine) }).strict(),
  z
    .object({ kind: z.literal('transfer'), fromWarehouseId: ulid, toWarehouseId: ulid, note, lines: lines(transferLine) })
    .strict()
    .refine((t) => t.fromWarehouseId !== t.toWarehouseId, { message: 'a transfer needs two different warehouses', path: ['toWarehouseId'] }),
  z.object({ kind: z.literal('adjustment'), reason: text(500), lines: lines(adjustmentLine) }).strict(),
]);
export type MovementCreate = z.infer<typeof movementCreate>;
export type MovementKind = MovementCreate['kind'];

/** One ledger entry: one line's effect on one level. Appended, never updated or deleted. */
export const ledgerEntryView = z
  .object({
    movementId: ulid,
    line: z.number().int().min(0),
    kind: z.enum(['receipt', 'issue', 'transfer-out', 'transfer-in', 'adjustment', 'reservation', 'release', 'issue-reserved']),
    productId: ulid,
    warehouseId: ulid,
    lots: z.array(z.object({ number: z.string(), quantity: z.number().int(), expiresOn: isoDate.nullable() }).strict()).optional().describe('Which lots the quantity came from or went to.'),
    onHandDelta: z.number().int(),
    reservedDelta: z.number().int(),
    reference: z.string().optional(),
    reason: z.string().optional(),
    occurredAt: isoDateTime,
    recordedBy: z.string(),
  })
  .strict();
export type LedgerEntry = z.infer<typeof ledgerEntryView>;

export const movementView = z
  .object({
    id: ulid,
    kind: z.string(),
    entries: z.array(ledgerEntryView),
    createdAt: isoDateTime,
    createdBy: z.string(),
  })
  .strict();
export type Movement = z.infer<typeof movementView>;

export const movementListQuery = z
  .object({
    productId: ulid.optional(),
    warehouseId: ulid.optional(),
    from: isoDateTime.optional(),
    to: isoDateTime.optional(),
    kind: ledgerEntryView.shape.kind.optional(),
    ...pageQuery,
  })
  .strict()
  .refine((q) => q.productId || q.warehouseId, { message: 'filter by productId or warehouseId (or both)', path: ['productId'] });
export type MovementListQuery = z.infer<typeof movementListQuery>;
export const ledgerPage = pageSchema(ledgerEntryView);

export const turnoverQuery = z
  .object({
    month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM'),
    ...pageQuery,
  })
  .strict();
export type TurnoverQuery = z.infer<typeof turnoverQuery>;

export const turnoverView = z
  .object({
    productId: ulid,
    warehouseId: ulid,
    month: z.string(),
    issued: z.number().int().describe('Units issued (sales, repairs, scrap, samples) in the month.'),
    openingOnHand: z.number().int(),
    closingOnHand: z.number().int(),
    averageOnHand: z.number().describe('Time-weighted average on-hand over the month (to now, for the current month).'),
    turnover: z.number().nullable().describe('issued ÷ average on-hand; null when nothing was held.'),
    daysOfInventory: z.number().nullable().describe('Days in the month ÷ turnover; null when nothing was issued.'),
  })
  .strict();
export type Turnover = z.infer<typeof turnoverView>;
export const turnoverPage = pageSchema(turnoverView);
