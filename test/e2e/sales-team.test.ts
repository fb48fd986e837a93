import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SalesFigures } from '../../lib/sales/aggregates';
import type { Role } from '../../lib/platform/roles';
import { aSalesRep, aSalesTarget, aTraining } from '../support/factories';
import { useApi } from '../support/api';

const harness = useApi();
const aRegion = () => `e2e-${randomUUID().slice(0, 8)}`;

/** Sales figures written the way the orders module writes them (in-process, on this file's table). */
async function recordSales(rows: Array<{ dimension: 'rep' | 'region'; id: string; month: string; delta: Partial<SalesFigures> }>): Promise<void> {
  // Imported here: these modules read config, which the local stack sets when it starts.
  const { transactWrite } = await import('../../lib/platform/transact');
  const { salesDeltaAction } = await import('../../lib/sales/aggregates');
  await transactWrite(
    rows.map((row) => salesDeltaAction(row.dimension, row.month, row.id, row.delta)),
    () => new Error('aggregate writes have no condition'),
  );
}

describe('api: sales team', () => {
  it('adds reps, records training, sets a target with If-Match and scores the rep from the sales aggregates', async () => {
    const management = await harness.api.as('management');
    const sales = await harness.api.as('sales');
    const region = aRegion();

    const headers = { 'idempotency-key': `head-${region}` };
    const headBody = aSalesRep({ name: 'Head of East', region });
    const head = await management('POST', '/sales-reps', { body: headBody, headers });
    expect(head.status).toBe(201);
    expect(head.headers.get('location')).toBe(`/sales-reps/${head.body.id}`);
    const replay = await management('POST', '/sales-reps', { body: headBody, headers });
    expect(replay.status).toBe(201);
    expect(replay.body.id).toBe(head.body.id);

    const rep = await sales('POST', '/sales-reps', { body: aSalesRep({ name: 'Li Wei', region, managerId: head.body.id }) });
    expect(rep.status).toBe(201);
    expect((await sales('GET', `/sales-reps?managerId=${head.body.id}`)).body.items.map((item: { id: string }) => item.id)).toEqual([rep.body.id]);
    expect((await sales('GET', `/sales-reps?region=${region}`)).body.items.map((item: { name: string }) => item.name)).toEqual(['Head of East', 'Li Wei']);

    const read = await sales('GET', `/sales-reps/${rep.body.id}`);
    expect(read.headers.get('etag')).toBe('"1"');
    const renamed = await sales('PATCH', `/sales-reps/${rep.body.id}`, { body: { name: 'Li Wei (East)' }, headers: { 'if-match': '"1"' } });
    expect(renamed.status).toBe(200);
    expect(renamed.headers.get('etag')).toBe('"2"');
    expect((await sales('PATCH', `/sales-reps/${rep.body.id}`, { body: { name: 'stale' }, headers: { 'if-match': '"1"' } })).status).toBe(412);

    const training = await sales('POST', `/sales-reps/${rep.body.id}/trainings`, { body: aTraining({ topic: 'market', course: 'Reading the regional market' }) });
    expect(training.status).toBe(201);
    const trainings = await management('GET', `/sales-reps/${rep.body.id}/trainings`);
    expect(trainings.body.items).toEqual([training.body]);

    const targetPath = `/sales-targets/rep/${rep.body.id}/2025-Q4`;
    const set = await management('PUT', targetPath, { body: aSalesTarget({ newCustomers: 8 }) });
    expect(set.status).toBe(201);
    expect(set.headers.get('etag')).toBe('"1"');
    expect(set.headers.get('location')).toBe(targetPath);
    expect(set.body).toMatchObject({ scope: 'rep', subjectId: rep.body.id, period: '2025-Q4', deadline: '2025-12-31' });
    const blind = await management('PUT', targetPath, { body: aSalesTarget({ newCustomers: 1 }) });
    expect(blind.status).toBe(409);
    expect(blind.body.currentVersion).toBe(1);
    const current = await sales('GET', targetPath);
    expect(current.headers.get('etag')).toBe('"1"');
    expect(current.body.newCustomers).toBe(8);
    const replaced = await management('PUT', targetPath, { body: aSalesTarget({ newCustomers: 9 }), headers: { 'if-match': current.headers.get('etag') as string } });
    expect(replaced.status).toBe(200);
    expect(replaced.headers.get('etag')).toBe('"2"');
    expect((await sales('GET', `/sales-targets?scope=rep&id=${rep.body.id}`)).body.items.map((item: { newCustomers: number }) => item.newCustomers)).toEqual([9]);

    await recordSales([
      { dimension: 'rep', id: rep.body.id, month: '2025-10', delta: { revenue: 10_000_000, cost: 7_000_000, grossProfit: 3_000_000, quantity: 30, orders: 3, newCustomers: 2 } },
      { dimension: 'rep', id: rep.body.id, month: '2025-12', delta: { revenue: 14_000_000, cost: 9_500_000, grossProfit: 4_500_000, quantity: 41, orders: 4, newCustomers: 1 } },
      { dimension: 'region', id: region, month: '2025-12', delta: { revenue: 20_000_000, grossProfit: 6_000_000, orders: 6, newCustomers: 2 } },
    ]);
    const quarter = await management('GET', `/sales-reps/${rep.body.id}/scorecard?period=2025-Q4`);
    expect(quarter.status).toBe(200);
    expect(quarter.body).toMatchObject({ name: 'Li Wei (East)', closed: true, deadline: '2025-12-31', orders: 7, target: { basis: 'exact', periods: ['2025-Q4'] } });
    expect(quarter.body.measures).toEqual({
      revenue: { target: { amount: 30_000_000, currency: 'CNY' }, actual: { amount: 24_000_000, currency: 'CNY' }, attainmentPercent: 80 },
      grossProfit: { target: { amount: 9_000_000, currency: 'CNY' }, actual: { amount: 7_500_000, currency: 'CNY' }, attainmentPercent: 83.3 },
      newCustomers: { target: 9, actual: 3, attainmentPercent: 33.3 },
      satisfaction: { target: 4.5, actual: null, attainmentPercent: null, reason: 'not measured until the after-sales module records satisfaction' },
    });
    const october = await sales('GET', `/sales-reps/${rep.body.id}/scorecard?period=2025-10`);
    expect(october.body.target).toEqual({ basis: 'quarter-pro-rata', periods: ['2025-Q4'] });
    expect(october.body.measures.revenue).toEqual({ target: { amount: 10_000_000, currency: 'CNY' }, actual: { amount: 10_000_000, currency: 'CNY' }, attainmentPercent: 100 });
    expect(october.body.measures.newCustomers).toEqual({ target: 3, actual: 2, attainmentPercent: 66.7 });

    const regionCard = await sales('GET', `/sales-regions/${region}/scorecard?period=2025-Q4`);
    expect(regionCard.status).toBe(200);
    expect(regionCard.body).toMatchObject({ scope: 'region', subjectId: region, orders: 6, target: { basis: 'none', periods: [] } });
    expect(regionCard.body.measures.revenue).toEqual({ target: null, actual: { amount: 20_000_000, currency: 'CNY' }, attainmentPercent: null });
  });

  it('keeps the sales team to sales, management and admin, and a rep away from their own targets', async () => {
    const management = await harness.api.as('management');
    const rep = await management('POST', '/sales-reps', { body: aSalesRep() });
    expect(rep.status).toBe(201);
    for (const role of ['market', 'rnd', 'production', 'procurement', 'service'] as Role[]) {
      const other = await harness.api.as(role);
      expect((await other('GET', '/sales-reps')).status, role).toBe(403);
      expect((await other('POST', '/sales-reps', { body: aSalesRep() })).status, role).toBe(403);
      expect((await other('GET', `/sales-reps/${rep.body.id}/scorecard?period=2025-Q4`)).status, role).toBe(403);
      expect((await other('PUT', `/sales-targets/rep/${rep.body.id}/2025-Q4`, { body: aSalesTarget() })).status, role).toBe(403);
    }
    expect((await harness.api.call('GET', '/sales-reps')).status).toBe(401);
    expect((await management('GET', `/sales-targets/rep/${rep.body.id}/2025-Q4`)).status).toBe(404);

    // The sales token's user is `user-sales`: make them a rep, then try to set their own target.
    const self = await management('POST', '/sales-reps', { body: aSalesRep({ userId: 'user-sales', name: 'Self' }) });
    expect(self.status).toBe(201);
    const sales = await harness.api.as('sales');
    const own = `/sales-targets/rep/${self.body.id}/2025-Q4`;
    const refused = await sales('PUT', own, { body: aSalesTarget({ revenue: { amount: 1, currency: 'CNY' }, grossProfit: undefined }) });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect((await sales('GET', own)).status).toBe(404);
    expect((await sales('PUT', `/sales-targets/rep/${rep.body.id}/2025-Q4`, { body: aSalesTarget() })).status).toBe(201);
    expect((await management('PUT', own, { body: aSalesTarget() })).status).toBe(201);
  });

  it('answers invalid input with 400 naming each field, and writes nothing', async () => {
    const sales = await harness.api.as('sales');
    const region = aRegion();
    const rep = await sales('POST', '/sales-reps', { body: aSalesRep({ region }) });

    const training = await sales('POST', `/sales-reps/${rep.body.id}/trainings`, {
      body: { course: ' ', topic: 'cooking', date: '2025-13-01', hours: 0, result: 'passed', trainer: 'x' },
    });
    expect(training.status).toBe(400);
    expect(training.body.errors.map((error: { path: string }) => error.path).sort()).toEqual(['$.body.course', '$.body.date', '$.body.hours', '$.body.topic', '$.body.trainer']);
    expect((await sales('GET', `/sales-reps/${rep.body.id}/trainings`)).body.items).toEqual([]);

    const yearly = await sales('PUT', `/sales-targets/rep/${rep.body.id}/2025`, { body: aSalesTarget() });
    expect(yearly.status).toBe(400);
    expect(yearly.body.errors.map((error: { path: string }) => error.path)).toEqual(['$.params.period']);
    const dollars = await sales('PUT', `/sales-targets/region/${region}/2025-11`, { body: aSalesTarget({ revenue: { amount: 30_000_000, currency: 'USD' } }) });
    expect(dollars.status).toBe(400);
    expect(dollars.body.errors).toEqual([{ path: '$.body.revenue.currency', message: 'must be the company currency CNY' }]);
    expect((await sales('GET', `/sales-targets/region/${region}/2025-11`)).status).toBe(404);

    const orphan = await sales('POST', '/sales-reps', { body: aSalesRep({ region, managerId: '01JZZZZZZZZZZZZZZZZZZZZZZZ' }) });
    expect(orphan.status).toBe(400);
    expect(orphan.body.errors).toEqual([{ path: '$.body.managerId', message: 'no such sales rep' }]);
    const twin = await sales('POST', '/sales-reps', { body: aSalesRep({ region, userId: rep.body.userId }) });
    expect(twin.status).toBe(409);
    expect((await sales('GET', `/sales-reps?region=${region}`)).body.items.map((item: { id: string }) => item.id)).toEqual([rep.body.id]);

    expect((await sales('GET', `/sales-reps/${rep.body.id}/scorecard?period=2025-13`)).body.errors[0].path).toBe('$.query.period');
    expect((await sales('GET', '/sales-targets?scope=rep')).status).toBe(400);
  });
});
