import type { EventFunctionSpec, ScheduleFunctionSpec } from './types';

/**
 * SLA escalation (lib/service/sla): the checkpoints of every service request become one-time
 * EventBridge Scheduler schedules (created and deleted by `sla-schedules` from the change path)
 * that invoke `sla-escalation`, whose hourly sweep is the safety net. Both run the same
 * escalate-if-due rule. The schedule-group grants and the scheduler role the one-time schedules
 * pass are wired in infra/service-stack.ts (`wireSlaSchedules`).
 */
export const SLA_ESCALATION_FUNCTION = 'sla-escalation';
export const SLA_SCHEDULES_FUNCTION = 'sla-schedules';

export const slaEscalationFunction: ScheduleFunctionSpec = {
  kind: 'schedule',
  name: SLA_ESCALATION_FUNCTION,
  description: 'Escalates an SLA checkpoint that is due (one-time schedule per checkpoint) and, hourly, sweeps every open deadline as the safety net.',
  entry: 'functions/jobs/sla-escalation.ts',
  schedules: [
    {
      name: 'sla-sweep-hourly',
      description: 'Every hour on the hour, company time.',
      cron: '0 * * * *',
      timeZone: 'company',
    },
  ],
};

export const slaSchedulesFunction: EventFunctionSpec = {
  kind: 'event',
  name: SLA_SCHEDULES_FUNCTION,
  description: 'Creates a one-time schedule per SLA checkpoint of a service request and deletes those whose deadline was met.',
  entry: 'functions/sla-schedules.ts',
  rules: [{ name: 'sla-checkpoints', source: ['postlaunch.service'], detailType: ['SlaCheckpointsChanged'] }],
};
