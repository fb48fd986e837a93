import type { ServiceContext } from '../../platform/context';
import { getSettings } from '../../organization/service';
import { dueCheckpoints, largestWarningLeadMs } from './checkpoints';
import { escalateRequestIfDue } from './escalate';
import { NotFoundError } from '../../platform/errors';
import { getServiceRequest } from '../requests/service';
import { openDeadlines } from '../requests/store';

/** Index page size, and how many requests are escalated at once within a page. */
const PAGE = 100;
const CONCURRENCY = 10;

export interface SlaSweepResult {
  candidates: number;
  escalated: number;
}

/**
 * The hourly safety net behind the one-time schedules: reads the SLA_OPEN index up to now + the
 * largest warning lead (a warning is due at most that long before its request's earliest unmet
 * due time), and applies the same escalate-if-due rule to every checkpoint that is due. Whatever
 * the schedules already escalated is a no-op here (the marker exists).
 */
export async function sweepSla(context: ServiceContext): Promise<SlaSweepResult> {
  const now = context.clock.now();
  const { slaHours } = await getSettings();
  const before = new Date(now.getTime() + largestWarningLeadMs(slaHours)).toISOString();
  let cursor: string | null = null;
  let candidates = 0;
  let escalated = 0;
  do {
    const page = await openDeadlines(before, PAGE, cursor ?? undefined);
    cursor = page.nextCursor;
    candidates += page.ids.length;
    for (let start = 0; start < page.ids.length; start += CONCURRENCY) {
      const outcomes = await Promise.all(page.ids.slice(start, start + CONCURRENCY).map((id) => sweepOne(context, id, now)));
      escalated += outcomes.reduce((sum, count) => sum + count, 0);
    }
  } while (cursor);
  return { candidates, escalated };
}

async function sweepOne(context: ServiceContext, id: string, now: Date): Promise<number> {
  const request = await getServiceRequest(id).catch((error: unknown) => {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  });
  if (!request) return 0;
  let escalated = 0;
  // Warning before breach: both due at once (a sweep after a long outage) still reads in order.
  for (const checkpoint of dueCheckpoints(request, now)) {
    if ((await escalateRequestIfDue(context, request, checkpoint.deadline, checkpoint.level, 'sweep')) === 'escalated') escalated++;
  }
  return escalated;
}
