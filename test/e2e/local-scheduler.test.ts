import { describe, expect, it } from 'vitest';
import { findJob, parseJobArgs } from '../../infra/local/job';
import { startScheduler } from '../../infra/local/scheduler';

describe('local scheduler', () => {
  it('evaluates "company" schedules in the company time zone', () => {
    const scheduler = startScheduler({ companyTimeZone: 'Asia/Shanghai', region: 'us-east-1', invoker: async () => undefined });
    try {
      const daily = scheduler.nextRuns().find((run) => run.scheduleName === 'department-heads-check-daily');
      expect(daily).toMatchObject({ functionName: 'department-heads-check', timeZone: 'Asia/Shanghai' });
      // 08:00 in Shanghai (UTC+8, no DST) is 00:00 UTC.
      expect(daily?.next?.toISOString()).toMatch(/T00:00:00\.000Z$/);
    } finally {
      scheduler.stop();
    }
  });
});

describe('npm run job arguments', () => {
  it('turns --key value pairs into event fields', () => {
    expect(parseJobArgs(['monthly-report', '--month', '2026-10', '--dry-run', '--to=a@example.com'])).toEqual({
      name: 'monthly-report',
      extra: { month: '2026-10', 'dry-run': true, to: 'a@example.com' },
    });
  });

  it('finds a job by function or schedule name', () => {
    expect(findJob('department-heads-check')?.spec.name).toBe('department-heads-check');
    expect(findJob('department-heads-check-daily')?.scheduleName).toBe('department-heads-check-daily');
    expect(findJob('nope')).toBeUndefined();
  });
});
