import type { ServiceContext } from '../../platform/context';
import { getConfig } from '../../platform/config';
import { logger } from '../../platform/logger';
import { createOneTimeSchedule, deleteSchedule, type ScheduleTarget } from '../../platform/scheduler';
import type { SlaCheckpointsChanged } from '../events';
import { scheduleNameOf, type Checkpoint } from './checkpoints';
import { escalateIfDue } from './escalate';

/** What the escalation function receives from a one-time schedule. */
export interface CheckpointInvocation {
  requestId: string;
  deadline: Checkpoint['deadline'];
  level: Checkpoint['level'];
  /** Filled in by Scheduler with the time the schedule was due: the escalation's "now". */
  time: string;
}

export const SCHEDULED_TIME = '<aws.scheduler.scheduled-time>';

function target(): ScheduleTarget {
  const { SLA_ESCALATION_FUNCTION_ARN, SLA_SCHEDULER_ROLE_ARN, SLA_SCHEDULE_DLQ_ARN } = getConfig();
  if (!SLA_ESCALATION_FUNCTION_ARN || !SLA_SCHEDULER_ROLE_ARN) {
    throw new Error('SLA_ESCALATION_FUNCTION_ARN and SLA_SCHEDULER_ROLE_ARN must be set to schedule SLA checkpoints');
  }
  return { arn: SLA_ESCALATION_FUNCTION_ARN, roleArn: SLA_SCHEDULER_ROLE_ARN, deadLetterArn: SLA_SCHEDULE_DLQ_ARN };
}

export interface SyncResult {
  created: number;
  deleted: number;
  escalatedNow: number;
}

/**
 * Keeps one one-time schedule per pending checkpoint: creates the armed ones (a checkpoint
 * already past is escalated at once instead — Scheduler does not fire in the past), deletes the
 * disarmed ones (deadline met, request closed, deadline re-armed). Every step is idempotent —
 * deterministic names, "already exists"/"not found" are fine — so a retried event converges.
 * Out-of-order events are harmless: a schedule that outlives its deadline fires into
 * escalate-if-due, which sees the deadline met and does nothing.
 */
export async function syncCheckpointSchedules(context: ServiceContext, change: SlaCheckpointsChanged): Promise<SyncResult> {
  const now = context.clock.now();
  const result: SyncResult = { created: 0, deleted: 0, escalatedNow: 0 };
  for (const checkpoint of change.disarm) {
    if (await deleteSchedule(scheduleNameOf(change.requestId, checkpoint))) result.deleted++;
  }
  for (const checkpoint of change.arm) {
    if (Date.parse(checkpoint.at) <= now.getTime()) {
      if ((await escalateIfDue(context, change.requestId, checkpoint.deadline, checkpoint.level, 'schedule')) === 'escalated') result.escalatedNow++;
      continue;
    }
    const input: CheckpointInvocation = { requestId: change.requestId, deadline: checkpoint.deadline, level: checkpoint.level, time: SCHEDULED_TIME };
    const created = await createOneTimeSchedule({
      name: scheduleNameOf(change.requestId, checkpoint),
      at: new Date(checkpoint.at),
      target: target(),
      input: { ...input },
      description: `${change.reference}: SLA ${checkpoint.deadline} ${checkpoint.level}`,
    });
    if (created) result.created++;
  }
  logger.info('sla schedules synced', { requestId: change.requestId, reference: change.reference, ...result });
  return result;
}
