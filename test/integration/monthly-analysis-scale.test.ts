import { describe, expect, it } from 'vitest';
import { monthlyJobAtScale } from '../support/job-at-scale';

/**
 * Tenfold the orders, the same reads: the monthly job reads aggregates only. On a DynamoDB Local
 * of its own (see job-at-scale.ts), which is why this file imports no service statically.
 */
describe('what the monthly job reads', () => {
  it('reads the same items, with the same commands, at 5,000 and 50,000 orders, and never scans', { timeout: 300_000 }, async () => {
    const [few, many] = await monthlyJobAtScale(1);
    expect(few?.orders).toBe(5_000);
    expect(many?.orders).toBe(50_000);
    expect(few?.itemsRead).toBeGreaterThan(0);
    expect(many?.itemsRead).toBe(few?.itemsRead);
    expect(many?.commands).toEqual(few?.commands);
    expect(Object.keys(many?.commands ?? {})).not.toContain('ScanCommand');
  });
});
