import * as z from 'zod';
import { pageQuery, pageSchema } from '../../platform/pagination';
import { auditFields, money, ulid } from '../../platform/schema';
import { category } from '../intel/schema';

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month, yyyy-mm');
const sharePercent = z
  .number()
  .min(0)
  .max(100)
  .refine((value) => Math.abs(value * 100 - Math.round(value * 100)) < 1e-6, 'at most 2 decimals')
  .describe('Our share of the market, 0–100 %.');

export const figureParams = z.object({ category, month }).strict();
export type FigureParams = z.infer<typeof figureParams>;

export const figureInput = z
  .object({
    marketSize: money.optional().describe('The market’s size in the month (minor units and currency).'),
    sharePercent: sharePercent.optional(),
    sourceNote: z.string().trim().max(500).optional().describe('Where the figures come from.'),
  })
  .strict()
  .refine((input) => input.marketSize !== undefined || input.sharePercent !== undefined, 'give the market size, our share, or both')
  .describe('Replaces the month’s figures (what is left out is cleared). With If-Match, only that version is replaced.');
export type FigureInput = z.infer<typeof figureInput>;

export const figureView = z
  .object({
    category: z.string(),
    month,
    marketSize: money.optional(),
    sharePercent: z.number().optional(),
    sourceNote: z.string().optional(),
    fromEntries: z.array(ulid).describe('Entries whose figures filled a value the month did not have yet.'),
    ...auditFields,
  })
  .strict();
export type MarketFigure = z.infer<typeof figureView>;

export const figureListQuery = z
  .object({ category, from: month.optional(), to: month.optional(), ...pageQuery })
  .strict()
  .refine((query) => !query.from || !query.to || query.from <= query.to, { message: 'from must not be after to', path: ['from'] })
  .describe('A category’s months, oldest first, between two months (both inclusive).');
export type FigureListQuery = z.infer<typeof figureListQuery>;
export const figurePage = pageSchema(figureView);
