import * as z from 'zod';
import { DEFAULT_COUNT_AGE_DAYS, DEFAULT_EXPIRY_WINDOW_DAYS, MAX_EXPIRY_WINDOW_DAYS, sweepStock, type SweepResult } from '../../lib/inventory/sweep';
import { getConfig } from '../../lib/platform/config';
import { defaultContext } from '../../lib/platform/context';
import { logger } from '../../lib/platform/logger';

const config = getConfig();

const windowDays = z.coerce.number().int().min(0).max(MAX_EXPIRY_WINDOW_DAYS);

/** The schedule sends `{ source, scheduleName, time }`; a manual run may add `--days 14` (or `expiringWithinDays`). */
const sweepEvent = z
  .object({
    source: z.string().optional(),
    expiringWithinDays: windowDays.optional(),
    days: windowDays.optional(),
    notCountedForDays: z.coerce.number().int().min(1).max(3650).optional(),
  })
  .loose();

/** Scheduled daily at 00:45 company time; also `npm run job -- stock-sweep [--days 14] [--notCountedForDays 30]`. */
export const handler = async (event: unknown = {}): Promise<SweepResult> => {
  const parsed = sweepEvent.parse(event ?? {});
  const expiringWithinDays = parsed.expiringWithinDays ?? parsed.days ?? DEFAULT_EXPIRY_WINDOW_DAYS;
  const notCountedForDays = parsed.notCountedForDays ?? DEFAULT_COUNT_AGE_DAYS;
  const result = await sweepStock(defaultContext, config.API_BASE_URL, { expiringWithinDays, notCountedForDays });
  logger.info('stock swept', { trigger: parsed.source ?? 'schedule', expiringWithinDays, ...result });
  return result;
};
