import type { EventFunctionSpec, ScheduleFunctionSpec, StreamFunctionSpec } from './types';

/** Stream → domain events. */
export const changesFunction: StreamFunctionSpec = {
  kind: 'stream',
  name: 'changes',
  description: 'Turns committed table changes into domain events on the bus.',
  entry: 'functions/changes.ts',
  batchSize: 50,
  maxRetries: 5,
};

/** Domain events → email. Each rule is one event pattern on the bus. */
export const notifyFunction: EventFunctionSpec = {
  kind: 'event',
  name: 'notify',
  description: 'Emails department heads about the domain events that concern them.',
  entry: 'functions/notify.ts',
  rules: [
    { name: 'department-head-changed', source: ['postlaunch.organization'], detailType: ['DepartmentHeadChanged'] },
    // StockRecovered is not here: it resolves the alert and sends no email (docs/decisions.md).
    { name: 'stock-alerts', source: ['postlaunch.inventory'], detailType: ['StockBelowMinimum', 'StockBelowSafety', 'StockAboveMaximum'] },
    // SlaCheckpointsChanged is not here: it drives the SLA schedules (infra/manifest/service-sla.ts), not email.
    { name: 'service-emails', source: ['postlaunch.service'], detailType: ['ComplaintFiled', 'ServiceRequestAssigned', 'SlaWarning', 'SlaBreached', 'ComplaintResolved'] },
    { name: 'market-alerts', source: ['postlaunch.market'], detailType: ['MarketAlertRaised'] },
  ],
};

export const departmentHeadsCheckFunction: ScheduleFunctionSpec = {
  kind: 'schedule',
  name: 'department-heads-check',
  description: 'Daily: warns admin and management when a department has no head, since its alerts would reach nobody.',
  entry: 'functions/jobs/department-heads-check.ts',
  schedules: [
    {
      name: 'department-heads-check-daily',
      description: 'Every day at 08:00 company time.',
      cron: '0 8 * * *',
      timeZone: 'company',
    },
  ],
};

export const stockSweepFunction: ScheduleFunctionSpec = {
  kind: 'schedule',
  name: 'stock-sweep',
  description: 'Daily: emails the production and procurement heads one digest of what is still wrong with stock (below minimum, above maximum, expiring lots).',
  entry: 'functions/jobs/stock-sweep.ts',
  schedules: [
    {
      name: 'stock-sweep-daily',
      description: 'Every day at 00:45 company time.',
      cron: '45 0 * * *',
      timeZone: 'company',
    },
  ],
};
