import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  type GetScheduleCommandOutput,
} from '@aws-sdk/client-scheduler';
import { getConfig, localCredentials } from './config';

/**
 * One-time EventBridge Scheduler schedules created at run time (the SLA checkpoints), in the
 * stack's schedule group. Locally the client points at the local Scheduler endpoint
 * (SCHEDULER_ENDPOINT, infra/local/scheduler-api.ts).
 */
const config = getConfig();
const client = new SchedulerClient({
  region: config.AWS_REGION,
  ...(config.SCHEDULER_ENDPOINT ? { endpoint: config.SCHEDULER_ENDPOINT } : {}),
  ...localCredentials(config.SCHEDULER_ENDPOINT),
});

export interface ScheduleTarget {
  /** The Lambda function invoked. */
  arn: string;
  /** The role EventBridge Scheduler assumes to invoke it (passed with iam:PassRole). */
  roleArn: string;
  /** Where invocations that still fail after the retries go. */
  deadLetterArn?: string;
}

export interface OneTimeSchedule {
  /** ≤ 64 chars of [0-9A-Za-z-_.]; unique in the group. */
  name: string;
  /** Fires at this instant, rounded up to the next whole second (Scheduler's resolution). */
  at: Date;
  target: ScheduleTarget;
  /** JSON input; may hold Scheduler's context keywords, e.g. `<aws.scheduler.scheduled-time>`. */
  input: Record<string, unknown>;
  description?: string;
}

/** `at(2026-11-27T08:00:00)` in UTC, never earlier than `at` (a fire before the checkpoint would be a no-op). */
export function atExpression(at: Date): string {
  const seconds = Math.ceil(at.getTime() / 1000) * 1000;
  return `at(${new Date(seconds).toISOString().slice(0, 19)})`;
}

/** Creates the schedule; `false` if one of that name already exists (a retried or duplicate call). */
export async function createOneTimeSchedule(schedule: OneTimeSchedule): Promise<boolean> {
  try {
    await client.send(
      new CreateScheduleCommand({
        Name: schedule.name,
        GroupName: config.SCHEDULER_GROUP,
        Description: schedule.description,
        ScheduleExpression: atExpression(schedule.at),
        ScheduleExpressionTimezone: 'UTC',
        FlexibleTimeWindow: { Mode: 'OFF' },
        ActionAfterCompletion: 'DELETE',
        State: 'ENABLED',
        Target: {
          Arn: schedule.target.arn,
          RoleArn: schedule.target.roleArn,
          Input: JSON.stringify(schedule.input),
          RetryPolicy: { MaximumRetryAttempts: 4, MaximumEventAgeInSeconds: 2 * 60 * 60 },
          ...(schedule.target.deadLetterArn ? { DeadLetterConfig: { Arn: schedule.target.deadLetterArn } } : {}),
        },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConflictException) return false;
    throw error;
  }
}

/** Deletes the schedule; `false` if there was none (already fired and deleted, or never created). */
export async function deleteSchedule(name: string): Promise<boolean> {
  try {
    await client.send(new DeleteScheduleCommand({ Name: name, GroupName: config.SCHEDULER_GROUP }));
    return true;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return false;
    throw error;
  }
}

export async function getSchedule(name: string): Promise<GetScheduleCommandOutput | undefined> {
  try {
    return await client.send(new GetScheduleCommand({ Name: name, GroupName: config.SCHEDULER_GROUP }));
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}
