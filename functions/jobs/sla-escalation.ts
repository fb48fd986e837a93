import * as z from 'zod';
import { getConfig } from '../../lib/platform/config';
import { defaultContext, type ServiceContext } from '../../lib/platform/context';
import { logger } from '../../lib/platform/logger';
import { SLA_DEADLINES, SLA_LEVELS } from '../../lib/service/sla/checkpoints';
import { escalateIfDue, type EscalationOutcome } from '../../lib/service/sla/escalate';
import { sweepSla, type SlaSweepResult } from '../../lib/service/sla/sweep';

getConfig();

/**
 * Two triggers, one rule. A one-time schedule (one per SLA checkpoint) sends
 * `{ requestId, deadline, level, time: <scheduled time> }`; the hourly schedule (and
 * `npm run job -- sla-escalation [--time …]`) sends no requestId and sweeps. `time`, when given,
 * is the escalation's "now": Scheduler fills in the time the checkpoint was due, and a test or a
 * manual run can pass its own clock.
 */
const escalationEvent = z
  .object({
    requestId: z.string().min(1).optional(),
    deadline: z.enum(SLA_DEADLINES).optional(),
    level: z.enum(SLA_LEVELS).optional(),
    time: z.iso.datetime({ offset: true }).optional(),
    source: z.string().optional(),
  })
  .loose();

export const handler = async (event: unknown = {}): Promise<{ outcome: EscalationOutcome } | SlaSweepResult> => {
  const parsed = escalationEvent.parse(event ?? {});
  const context: ServiceContext = parsed.time ? { ...defaultContext, clock: { now: () => new Date(parsed.time as string) } } : defaultContext;
  if (parsed.requestId) {
    if (!parsed.deadline || !parsed.level) throw new Error('a checkpoint invocation needs requestId, deadline and level');
    const outcome = await escalateIfDue(context, parsed.requestId, parsed.deadline, parsed.level, 'schedule');
    logger.info('sla checkpoint handled', { requestId: parsed.requestId, deadline: parsed.deadline, level: parsed.level, outcome });
    return { outcome };
  }
  const result = await sweepSla(context);
  logger.info('sla swept', { trigger: parsed.source ?? 'schedule', ...result });
  return result;
};
