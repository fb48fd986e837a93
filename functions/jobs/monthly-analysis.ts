import * as z from 'zod';
import { getConfig } from '../../lib/platform/config';
import { defaultContext } from '../../lib/platform/context';
import { logger } from '../../lib/platform/logger';
import { runMonthlyAnalysis, type MonthlyRunResult } from '../../lib/reports/job';
import { month } from '../../lib/sales/period';

const config = getConfig();

/** The schedule sends `{ source, scheduleName, time }`; a manual run adds `--month 2026-10` and maybe `--resend`. */
const monthlyEvent = z
  .object({
    source: z.string().optional(),
    month: month.optional(),
    resend: z.union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')]).optional(),
  })
  .loose();

/** Scheduled at 02:00 company time on the 1st; also `npm run job -- monthly-analysis --month 2026-10 [--resend]`. */
export const handler = async (event: unknown = {}): Promise<MonthlyRunResult> => {
  const parsed = monthlyEvent.parse(event ?? {});
  const result = await runMonthlyAnalysis(defaultContext, config.API_BASE_URL, { month: parsed.month, resend: parsed.resend ?? false });
  logger.info('monthly analysis done', { trigger: parsed.source ?? 'schedule', month: result.month, changed: result.sections.filter((section) => section.changed).map((section) => section.section), sent: result.digests.sent.length });
  return result;
};
