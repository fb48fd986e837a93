import * as z from 'zod';
import { pageQuery, pageSchema } from '../../platform/pagination';
import { isoDateTime, ulid } from '../../platform/schema';

/** Lines per stocktake: a whole warehouse's levels fit (the record stays far below 400 KB). */
export const MAX_STOCKTAKE_LINES = 1000;

/**
 * Lines per adjustment movement at close. A movement is one transaction (≤ 100 actions): per
 * line the level and its ledger entry, per line with a variance the month totals too, plus the
 * movement — 3 × 30 + 1 = 91, which leaves room for the lots a negative variance takes from.
 */
export const CLOSE_CHUNK_LINES = 30;

/** Counts per request (a counting team sends what it has counted, as often as it likes). */
export const MAX_COUNTS_PER_REQUEST = 100;

const uniqueIds = (ids: string[]) => new Set(ids).size === ids.length;

export const STOCKTAKE_STATUSES = ['open', 'closing', 'closed'] as const;
export const stocktakeStatus = z.enum(STOCKTAKE_STATUSES).describe('`closing` only while the adjustment is being written (or after a crash, until the next close).');
export type StocktakeStatus = z.infer<typeof stocktakeStatus>;

export const stocktakeCreate = z
  .object({
    warehouseId: ulid,
    productIds: z
      .array(ulid)
      .min(1)
      .max(MAX_STOCKTAKE_LINES)
      .refine(uniqueIds, 'each product at most once')
      .optional()
      .describe(`The products to count (1–${MAX_STOCKTAKE_LINES}); without it, every level of the warehouse (which must then hold at most ${MAX_STOCKTAKE_LINES}).`),
  })
  .strict();
export type StocktakeCreate = z.infer<typeof stocktakeCreate>;

export const countsInput = z
  .object({
    counts: z
      .array(z.object({ productId: ulid, counted: z.number().int().min(0).max(1_000_000_000) }).strict())
      .min(1)
      .max(MAX_COUNTS_PER_REQUEST)
      .refine((counts) => uniqueIds(counts.map((c) => c.productId)), 'each product at most once per request')
      .describe('Counted quantities; a product counted again replaces its earlier count.'),
  })
  .strict();
export type CountsInput = z.infer<typeof countsInput>;

export const stocktakeLineView = z
  .object({
    productId: ulid,
    expected: z.number().int().describe('On-hand when the stocktake was opened (frozen).'),
    counted: z.number().int().nullable(),
    onHandAtCount: z.number().int().nullable().describe('On-hand in the books at the moment the count was recorded: what the count is compared with.'),
    variance: z.number().int().nullable().describe('counted − onHandAtCount: + found, − missing.'),
    countedAt: isoDateTime.nullable(),
    countedBy: z.string().nullable(),
  })
  .strict();
export type StocktakeLine = z.infer<typeof stocktakeLineView>;

export const varianceReport = z
  .object({
    linesCounted: z.number().int(),
    linesUncounted: z.number().int().describe('Left as they are: no adjustment, not marked counted.'),
    linesWithVariance: z.number().int(),
    unitsOver: z.number().int().describe('Σ positive variances (found).'),
    unitsUnder: z.number().int().describe('Σ |negative variances| (missing).'),
  })
  .strict();
export type VarianceReport = z.infer<typeof varianceReport>;

export const stocktakeView = z
  .object({
    id: ulid,
    warehouseId: ulid,
    scope: z.enum(['warehouse', 'products']),
    status: stocktakeStatus,
    lines: z.array(stocktakeLineView),
    report: varianceReport.nullable().describe('Once closed.'),
    movementIds: z.array(ulid).describe(`The adjustment movements written at close, one per ${CLOSE_CHUNK_LINES} counted lines (empty when nothing was counted).`),
    openedAt: isoDateTime,
    openedBy: z.string(),
    closedAt: isoDateTime.nullable(),
    closedBy: z.string().nullable(),
    version: z.number().int().min(1),
    updatedAt: isoDateTime,
    updatedBy: z.string(),
  })
  .strict();
export type Stocktake = z.infer<typeof stocktakeView>;

export const stocktakeListQuery = z
  .object({ warehouseId: ulid.optional(), status: stocktakeStatus.optional(), ...pageQuery })
  .strict()
  .refine((q) => q.warehouseId || q.status, { message: 'filter by warehouseId or status (or both)', path: ['warehouseId'] });
export type StocktakeListQuery = z.infer<typeof stocktakeListQuery>;
export const stocktakePage = pageSchema(stocktakeView);
