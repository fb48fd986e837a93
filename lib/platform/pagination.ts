import * as z from 'zod';

/** List conventions shared by every module's schemas (pure: no I/O, safe for the CDK app). */
export const DEFAULT_LIMIT = 25;
export const MAX_LIMIT = 100;

export const pageQuery = {
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_LIMIT)
    .default(DEFAULT_LIMIT)
    .describe(`Page size, 1–${MAX_LIMIT} (default ${DEFAULT_LIMIT}).`),
  cursor: z.string().max(2048).optional().describe('Opaque cursor from the previous page’s `nextCursor`.'),
};

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() }).strict();
}
