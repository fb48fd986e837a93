import { describe, expect, it } from 'vitest';
import { toAwsCron } from '../../../infra/manifest/cron';

describe('manifest cron → EventBridge Scheduler cron', () => {
  it('puts ? in day-of-week when only the day of month is given', () => {
    expect(toAwsCron('0 2 1 * *')).toBe('cron(0 2 1 * ? *)');
  });

  it('puts ? in day-of-month when the day of week is given', () => {
    expect(toAwsCron('30 8 * * MON-FRI')).toBe('cron(30 8 ? * MON-FRI *)');
  });

  it('refuses numeric weekdays, whose numbering differs between the dialects', () => {
    expect(() => toAwsCron('0 8 * * 1')).toThrow(/names/);
  });

  it('refuses the wrong number of fields', () => {
    expect(() => toAwsCron('0 8 * *')).toThrow(/five fields/);
  });
});
