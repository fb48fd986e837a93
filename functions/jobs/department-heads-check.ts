import { checkDepartmentHeads, type HeadsCheckResult } from '../../lib/organization/heads-check';
import { getConfig } from '../../lib/platform/config';
import { defaultContext } from '../../lib/platform/context';
import { logger } from '../../lib/platform/logger';

const config = getConfig();

/** Scheduled daily; also `npm run job -- department-heads-check`. */
export const handler = async (event: { time?: string; source?: string } = {}): Promise<HeadsCheckResult> => {
  const result = await checkDepartmentHeads(defaultContext, config.API_BASE_URL);
  logger.info('department heads checked', { trigger: event.source ?? 'schedule', ...result });
  return result;
};
