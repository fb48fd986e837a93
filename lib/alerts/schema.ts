import * as z from 'zod';
import { stockBand, thresholdsInput } from '../inventory/schema';
import { pageQuery, pageSchema } from '../platform/pagination';
import { isoDateTime, ulid } from '../platform/schema';

/**
 * The alert register: one alert per episode of a watched condition on a subject (a stock level
 * below its minimum, …), opened by the event that starts the episode and resolved by the one
 * that ends it. Complaint SLAs will add their kinds (and subject/figures shapes) here.
 */
export const ALERT_KINDS = ['stock-below-minimum', 'stock-below-safety', 'stock-above-maximum'] as const;
export const alertKind = z.enum(ALERT_KINDS);
export type AlertKind = z.infer<typeof alertKind>;

export const ALERT_STATUSES = ['open', 'resolved'] as const;
export const alertStatus = z.enum(ALERT_STATUSES);
export type AlertStatus = z.infer<typeof alertStatus>;

export const stockSubject = z.object({ productId: ulid, warehouseId: ulid }).strict();
export type StockSubject = z.infer<typeof stockSubject>;

export const stockFigures = z
  .object({
    onHand: z.number().int(),
    reserved: z.number().int(),
    available: z.number().int(),
    band: stockBand,
    thresholds: thresholdsInput.nullable(),
  })
  .strict()
  .describe('The level as the write that opened the alert left it.');
export type StockFigures = z.infer<typeof stockFigures>;

export const alertView = z
  .object({
    id: ulid,
    kind: alertKind,
    subject: stockSubject,
    status: alertStatus,
    openedAt: isoDateTime.describe('When the threshold was crossed.'),
    resolvedAt: isoDateTime.nullable().describe('When the level came back over the threshold.'),
    figures: stockFigures,
    acknowledgedAt: isoDateTime.nullable(),
    acknowledgedBy: z.string().nullable(),
    version: z.number().int().min(1),
  })
  .strict();
export type Alert = z.infer<typeof alertView>;

export const alertListQuery = z
  .object({
    status: alertStatus.default('open').describe('open (default) or resolved.'),
    kind: alertKind.optional(),
    ...pageQuery,
  })
  .strict();
export type AlertListQuery = z.infer<typeof alertListQuery>;
export const alertPage = pageSchema(alertView).describe('Open alerts newest opened first; resolved alerts newest resolved first.');
