import { Cron } from 'croner';
import { manifest } from '../manifest';
import type { ScheduleFunctionSpec, ScheduleSpec } from '../manifest/types';
import { invoke } from './lambda';
import { localLog } from './log';

/**
 * The manifest's schedules on a local clock (croner), evaluated in the same time zone AWS
 * EventBridge Scheduler uses for them, invoking the job in-process with the payload our
 * schedules send: `{ source: 'schedule', scheduleName, time }`.
 */
export interface ScheduledJobEvent {
  source: string;
  scheduleName?: string;
  time: string;
  [key: string]: unknown;
}

export interface SchedulerOptions {
  /** COMPANY_TIME_ZONE: what `timeZone: 'company'` means. */
  companyTimeZone: string;
  region: string;
  /** How a job is run; defaults to invoking it in-process. */
  invoker?: (spec: ScheduleFunctionSpec, event: ScheduledJobEvent) => Promise<unknown>;
}

export interface NextRun {
  functionName: string;
  scheduleName: string;
  cron: string;
  timeZone: string;
  next: Date | null;
}

export interface Scheduler {
  stop(): void;
  nextRuns(): NextRun[];
}

const log = localLog('scheduler');

export function scheduleFunctions(): ScheduleFunctionSpec[] {
  return manifest.filter((spec): spec is ScheduleFunctionSpec => spec.kind === 'schedule');
}

export function resolveTimeZone(schedule: ScheduleSpec, companyTimeZone: string): string {
  return schedule.timeZone === 'company' ? companyTimeZone : schedule.timeZone;
}

export function startScheduler(options: SchedulerOptions): Scheduler {
  const run = options.invoker ?? ((spec: ScheduleFunctionSpec, event: ScheduledJobEvent) => invoke(spec, event, options.region));
  const jobs = scheduleFunctions().flatMap((spec) =>
    spec.schedules.map((schedule) => {
      const timeZone = resolveTimeZone(schedule, options.companyTimeZone);
      const cron = new Cron(
        schedule.cron,
        // protect: a slow run is not overlapped by the next tick; unref: the clock alone keeps nothing alive.
        { name: schedule.name, timezone: timeZone, protect: true, unref: true, mode: '5-part' },
        async () => {
          const event: ScheduledJobEvent = { source: 'schedule', scheduleName: schedule.name, time: new Date().toISOString() };
          log.info(`${schedule.name} → ${spec.name}`);
          try {
            await run(spec, event);
          } catch (error) {
            log.error(`${spec.name} failed on schedule ${schedule.name}`, error);
          }
        },
      );
      return { spec, schedule, timeZone, cron };
    }),
  );
  return {
    stop: () => jobs.forEach((job) => job.cron.stop()),
    nextRuns: () =>
      jobs.map((job) => ({ functionName: job.spec.name, scheduleName: job.schedule.name, cron: job.schedule.cron, timeZone: job.timeZone, next: job.cron.nextRun() })),
  };
}
