import { describe, expect, it } from 'vitest';
import { ConflictError, ForbiddenError, NotFoundError, PreconditionFailedError, ValidationError } from '../../lib/platform/errors';
import { transactWrite } from '../../lib/platform/transact';
import { salesDeltaAction, type SalesFigures } from '../../lib/sales/aggregates';
import {
  repCreate,
  scorecardView,
  targetInput,
  targetParams,
  trainingCreate,
  type RepListQuery,
  type SalesRep,
  type TargetParams,
} from '../../lib/sales-team/schema';
import {
  createRep,
  getRep,
  getRepByUserId,
  getTarget,
  listReps,
  listTargets,
  listTrainings,
  recordTraining,
  regionScorecard,
  repScorecard,
  setTarget,
  updateRep,
} from '../../lib/sales-team/service';
import { aSalesRep, aSalesTarget, aTraining, anActor, fixedClock, testContext, unique } from '../support/factories';

const manager = anActor(['management'], { email: 'head.of.sales@example.com' });
const salesUser = anActor(['sales'], { email: 'sales@example.com' });
const reps = (overrides: Partial<RepListQuery> = {}): RepListQuery => ({ limit: 25, ...overrides });
const region = () => unique('region').toLowerCase();
const MISSING = '01JZZZZZZZZZZZZZZZZZZZZZZZ';

/** Sales figures as the orders module writes them: ADDs in one transaction. */
async function recordSales(rows: Array<{ dimension: 'rep' | 'region'; id: string; month: string; delta: Partial<SalesFigures> }>): Promise<void> {
  await transactWrite(
    rows.map((row) => salesDeltaAction(row.dimension, row.month, row.id, row.delta)),
    () => new Error('aggregate writes have no condition'),
  );
}

const target = (scope: TargetParams['scope'], id: string, period: string): TargetParams => ({ scope, id, period });

describe('sales team: reps', () => {
  it('creates a rep, version 1 with audit fields, found by id and by user', async () => {
    const context = testContext(fixedClock('2026-11-27T08:00:00Z'));
    const rep = await createRep(context, manager, aSalesRep({ name: 'Wang Fang' }));
    expect(rep).toMatchObject({ name: 'Wang Fang', active: true, version: 1, createdBy: 'head.of.sales@example.com', createdAt: '2026-11-27T08:00:00.000Z' });
    expect(await getRep(rep.id)).toEqual(rep);
    expect(await getRepByUserId(rep.userId)).toEqual(rep);
    expect(await getRepByUserId('nobody')).toBeUndefined();
  });

  it('refuses a second rep for the same user with 409 and writes nothing', async () => {
    const first = await createRep(testContext(), manager, aSalesRep());
    const elsewhere = region();
    const second = createRep(testContext(), manager, aSalesRep({ userId: first.userId, region: elsewhere }));
    await expect(second).rejects.toThrow(ConflictError);
    await expect(second).rejects.toMatchObject({ extensions: { field: 'userId' } });
    expect((await listReps(reps({ region: elsewhere }))).items).toEqual([]);
    expect(await getRepByUserId(first.userId)).toEqual(first);
  });

  it('lets exactly one of 20 concurrent creates for one user win', async () => {
    const userId = unique('user');
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => createRep(testContext(), manager, aSalesRep({ userId }))));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    for (const result of results.filter((result): result is PromiseRejectedResult => result.status === 'rejected')) expect(result.reason).toBeInstanceOf(ConflictError);
  });

  it('refuses a manager who does not exist or is inactive (400 on managerId), writing nothing', async () => {
    const where = region();
    const unknown = aSalesRep({ region: where, managerId: MISSING });
    const missing = createRep(testContext(), manager, unknown);
    await expect(missing).rejects.toThrow(ValidationError);
    await expect(missing).rejects.toMatchObject({ errors: [{ path: '$.body.managerId', message: 'no such sales rep' }] });
    // Neither the rep nor its user guard was written: the same user can still be added.
    expect(await getRepByUserId(unknown.userId)).toBeUndefined();

    const retired = await createRep(testContext(), manager, aSalesRep({ region: where, active: false }));
    const underRetired = createRep(testContext(), manager, aSalesRep({ region: where, managerId: retired.id }));
    await expect(underRetired).rejects.toMatchObject({ errors: [{ path: '$.body.managerId', message: 'the manager is inactive' }] });
    expect((await listReps(reps({ region: where }))).items.map((rep) => rep.id)).toEqual([retired.id]);
    expect(await createRep(testContext(), manager, { ...unknown, managerId: undefined })).toMatchObject({ userId: unknown.userId });
  });

  it('refuses self-management and management loops, changing nothing', async () => {
    const head = await createRep(testContext(), manager, aSalesRep({ name: 'Head' }));
    const lead = await createRep(testContext(), manager, aSalesRep({ name: 'Lead', managerId: head.id }));
    const member = await createRep(testContext(), manager, aSalesRep({ name: 'Member', managerId: lead.id }));

    await expect(updateRep(testContext(), manager, head.id, { managerId: head.id }, undefined)).rejects.toMatchObject({
      errors: [{ path: '$.body.managerId', message: 'must be another rep' }],
    });
    const loop = updateRep(testContext(), manager, head.id, { managerId: member.id }, undefined);
    await expect(loop).rejects.toThrow(ConflictError);
    await expect(loop).rejects.toMatchObject({ extensions: { chain: [member.id, lead.id, head.id] } });
    expect(await getRep(head.id)).toEqual(head);

    // Moving the member under the head directly is fine, and removing the manager too.
    const moved = await updateRep(testContext(), manager, member.id, { managerId: head.id }, member.version);
    expect(moved).toMatchObject({ managerId: head.id, version: 2 });
    const alone = await updateRep(testContext(), manager, member.id, { managerId: null, email: null }, moved.version);
    expect(alone.managerId).toBeUndefined();
    expect(alone.email).toBeUndefined();
    expect(await getRep(member.id)).toEqual(alone);
  });

  it('answers 412 for a stale If-Match and 404 for an unknown rep', async () => {
    const rep = await createRep(testContext(), manager, aSalesRep());
    await updateRep(testContext(), manager, rep.id, { name: 'v2' }, 1);
    await expect(updateRep(testContext(), manager, rep.id, { name: 'stale' }, 1)).rejects.toThrow(PreconditionFailedError);
    expect((await getRep(rep.id)).name).toBe('v2');
    await expect(updateRep(testContext(), manager, MISSING, { name: 'x' }, undefined)).rejects.toThrow(NotFoundError);
  });

  it('moves the user guard with a new user id: the old one is free, a taken one is refused', async () => {
    const rep = await createRep(testContext(), manager, aSalesRep());
    const other = await createRep(testContext(), manager, aSalesRep());
    const oldUser = rep.userId;
    const newUser = unique('user');
    const moved = await updateRep(testContext(), manager, rep.id, { userId: newUser }, undefined);
    expect(await getRepByUserId(newUser)).toEqual(moved);
    expect(await getRepByUserId(oldUser)).toBeUndefined();
    expect(await createRep(testContext(), manager, aSalesRep({ userId: oldUser }))).toMatchObject({ userId: oldUser });

    await expect(updateRep(testContext(), manager, rep.id, { userId: other.userId, name: 'Taken' }, undefined)).rejects.toMatchObject({ status: 409, extensions: { field: 'userId' } });
    expect(await getRep(rep.id)).toEqual(moved);
    expect((await getRepByUserId(other.userId))?.id).toBe(other.id);
  });

  it('lists a region by name, a manager’s reports, active ones, and pages without repeats', async () => {
    const where = region();
    const boss = await createRep(testContext(), manager, aSalesRep({ name: 'Zhou', region: where }));
    const names = ['Chen', 'an', 'Bai', 'Du'];
    const created: SalesRep[] = [];
    for (const name of names) created.push(await createRep(testContext(), manager, aSalesRep({ name, region: where, managerId: boss.id })));
    await updateRep(testContext(), manager, created[3]?.id as string, { active: false }, undefined);
    const elsewhere = await createRep(testContext(), manager, aSalesRep({ name: 'Elsewhere', region: region(), managerId: boss.id }));

    expect((await listReps(reps({ region: where }))).items.map((rep) => rep.name)).toEqual(['an', 'Bai', 'Chen', 'Du', 'Zhou']);
    expect((await listReps(reps({ managerId: boss.id }))).items.map((rep) => rep.name)).toEqual(['an', 'Bai', 'Chen', 'Du', 'Elsewhere']);
    expect((await listReps(reps({ managerId: boss.id, region: where, active: 'true' }))).items.map((rep) => rep.name)).toEqual(['an', 'Bai', 'Chen']);
    expect((await listReps(reps({ region: where, active: 'false' }))).items.map((rep) => rep.name)).toEqual(['Du']);
    expect((await listReps(reps({ userId: elsewhere.userId }))).items.map((rep) => rep.id)).toEqual([elsewhere.id]);
    expect((await listReps(reps({ userId: elsewhere.userId, region: where }))).items).toEqual([]);

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listReps(reps({ region: where, limit: 2, cursor }));
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((rep) => rep.name));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(['an', 'Bai', 'Chen', 'Du', 'Zhou']);
  });

  it('validates rep input at the edge: strict fields, region codes, e-mail', () => {
    const result = repCreate.safeParse({ ...aSalesRep(), region: 'east china', email: 'not-mail', salary: 1 });
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((issue) => issue.path.join('.')).sort();
    expect(paths).toEqual(['', 'email', 'region']);
  });
});

describe('sales team: training records', () => {
  it('records trainings under the rep and lists them latest first, by topic', async () => {
    const rep = await createRep(testContext(), manager, aSalesRep());
    const first = await recordTraining(testContext(), salesUser, rep.id, aTraining({ date: '2026-03-02', topic: 'selling', course: 'Consultative selling' }));
    const second = await recordTraining(testContext(), salesUser, rep.id, aTraining({ date: '2026-09-20', topic: 'product', result: 'attended', score: undefined, hours: 1.5 }));
    expect(second).toMatchObject({ repId: rep.id, hours: 1.5, result: 'attended', version: 1, createdBy: 'sales@example.com' });
    expect((await listTrainings(rep.id, { limit: 25 })).items).toEqual([second, first]);
    expect((await listTrainings(rep.id, { limit: 25, topic: 'selling' })).items).toEqual([first]);
  });

  it('refuses a training for an unknown rep (404) and one dated after today (400), writing nothing', async () => {
    await expect(recordTraining(testContext(), salesUser, MISSING, aTraining())).rejects.toThrow(NotFoundError);
    const rep = await createRep(testContext(), manager, aSalesRep());
    // 2026-11-27T20:00Z is already the 28th in Shanghai, the default company time zone.
    const evening = testContext(fixedClock('2026-11-27T20:00:00Z'));
    expect(await recordTraining(evening, salesUser, rep.id, aTraining({ date: '2026-11-28' }))).toMatchObject({ date: '2026-11-28' });
    const future = recordTraining(evening, salesUser, rep.id, aTraining({ date: '2026-11-29' }));
    await expect(future).rejects.toMatchObject({ errors: [{ path: '$.body.date', message: 'must not be after 2026-11-28' }] });
    expect((await listTrainings(rep.id, { limit: 25 })).items.map((training) => training.date)).toEqual(['2026-11-28']);
    await expect(listTrainings(MISSING, { limit: 25 })).rejects.toThrow(NotFoundError);
  });

  it('bounds hours and ties a score to an assessed result', () => {
    const paths = (input: unknown) => trainingCreate.safeParse(input).error?.issues.map((issue) => issue.path.join('.'));
    expect(paths(aTraining({ hours: 0 }))).toEqual(['hours']);
    expect(paths(aTraining({ hours: 501 }))).toEqual(['hours']);
    expect(paths({ ...aTraining(), topic: 'cooking' })).toEqual(['topic']);
    expect(paths(aTraining({ result: 'attended', score: 70 }))).toEqual(['score']);
    expect(paths(aTraining({ result: 'failed', score: 40, hours: 0.25 }))).toBeUndefined();
  });
});

describe('sales team: targets', () => {
  it('creates a target with the deadline its period implies, then replaces it only with If-Match', async () => {
    const rep = await createRep(testContext(), manager, aSalesRep());
    const key = target('rep', rep.id, '2026-Q4');
    const created = await setTarget(testContext(), manager, key, aSalesTarget(), undefined);
    expect(created.created).toBe(true);
    expect(created.target).toMatchObject({ scope: 'rep', subjectId: rep.id, period: '2026-Q4', deadline: '2026-12-31', newCustomers: 12, version: 1 });
    expect(await getTarget(key)).toEqual(created.target);

    const blind = setTarget(testContext(), manager, key, aSalesTarget({ newCustomers: 99 }), undefined);
    await expect(blind).rejects.toThrow(ConflictError);
    await expect(blind).rejects.toMatchObject({ extensions: { currentVersion: 1 } });
    await expect(setTarget(testContext(), manager, key, aSalesTarget({ newCustomers: 99 }), 0)).rejects.toThrow(PreconditionFailedError);
    await expect(setTarget(testContext(), manager, key, aSalesTarget({ newCustomers: 99 }), 2)).rejects.toThrow(PreconditionFailedError);
    expect(await getTarget(key)).toEqual(created.target);

    const later = testContext(fixedClock('2026-11-28T09:00:00Z'));
    const replaced = await setTarget(later, salesUser, key, { revenue: { amount: 1_000, currency: 'CNY' } }, 1);
    expect(replaced.created).toBe(false);
    expect(replaced.target).toEqual({
      scope: 'rep',
      subjectId: rep.id,
      period: '2026-Q4',
      deadline: '2026-12-31',
      revenue: { amount: 1_000, currency: 'CNY' },
      version: 2,
      createdAt: created.target.createdAt,
      createdBy: 'head.of.sales@example.com',
      updatedAt: '2026-11-28T09:00:00.000Z',
      updatedBy: 'sales@example.com',
    });
    expect((await setTarget(testContext(), manager, target('region', region(), '2028-02'), aSalesTarget(), 0)).target.deadline).toBe('2028-02-29');
  });

  it('lets one of ten concurrent first PUTs create the target; the others get 409', async () => {
    const key = target('region', region(), '2026-11');
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, index) => setTarget(testContext(), manager, key, aSalesTarget({ newCustomers: index }), undefined)));
    const won = results.filter((result) => result.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const result of results.filter((result): result is PromiseRejectedResult => result.status === 'rejected')) expect(result.reason).toBeInstanceOf(ConflictError);
    expect((await getTarget(key)).version).toBe(1);
  });

  it('refuses money in another currency than the company’s, an unknown rep, and a rep’s own targets, writing nothing', async () => {
    const rep = await createRep(testContext(), manager, aSalesRep());
    const key = target('rep', rep.id, '2026-11');
    const dollars = setTarget(testContext(), manager, key, aSalesTarget({ grossProfit: { amount: 5, currency: 'USD' } }), undefined);
    await expect(dollars).rejects.toMatchObject({ status: 400, errors: [{ path: '$.body.grossProfit.currency', message: 'must be the company currency CNY' }] });
    await expect(setTarget(testContext(), manager, target('rep', MISSING, '2026-11'), aSalesTarget(), undefined)).rejects.toThrow(NotFoundError);

    const self = anActor(['sales'], { userId: rep.userId });
    await expect(setTarget(testContext(), self, key, aSalesTarget(), undefined)).rejects.toThrow(ForbiddenError);
    await expect(getTarget(key)).rejects.toThrow(NotFoundError);
    // A rep who also acts for management may.
    const selfManaging = anActor(['sales', 'management'], { userId: rep.userId });
    expect((await setTarget(testContext(), selfManaging, key, aSalesTarget(), undefined)).created).toBe(true);
  });

  it('validates targets at the edge: months or quarters, at least one measure, gross profit within revenue', () => {
    const rep = '01JBQ4Y7V3N9T7PRX1T3G0V3QZ';
    expect(targetParams.safeParse({ scope: 'rep', id: rep, period: '2026' }).error?.issues.map((issue) => issue.path.join('.'))).toEqual(['period']);
    expect(targetParams.safeParse({ scope: 'rep', id: 'east-china', period: '2026-Q1' }).error?.issues.map((issue) => issue.path.join('.'))).toEqual(['id']);
    expect(targetParams.safeParse({ scope: 'region', id: 'east-china', period: '2026-Q1' }).success).toBe(true);
    expect(targetInput.safeParse({ note: 'nothing' }).success).toBe(false);
    expect(targetInput.safeParse({ newCustomers: 0 }).success).toBe(true);
    expect(targetInput.safeParse({ satisfaction: 5.5 }).error?.issues.map((issue) => issue.path.join('.'))).toEqual(['satisfaction']);
    const inverted = targetInput.safeParse(aSalesTarget({ grossProfit: { amount: 40_000_000, currency: 'CNY' } }));
    expect(inverted.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['grossProfit.amount']);
  });

  it('lists one subject’s targets latest period first, and every target of a period', async () => {
    const rep = await createRep(testContext(), manager, aSalesRep());
    const where = region();
    for (const period of ['2026-10', '2026-Q4', '2026-11', '2027-01']) await setTarget(testContext(), manager, target('rep', rep.id, period), aSalesTarget(), undefined);
    await setTarget(testContext(), manager, target('region', where, '2027-01'), aSalesTarget(), undefined);

    expect((await listTargets({ scope: 'rep', id: rep.id, limit: 25 })).items.map((item) => item.period)).toEqual(['2027-01', '2026-Q4', '2026-11', '2026-10']);
    expect((await listTargets({ scope: 'rep', id: rep.id, period: '2026-Q4', limit: 25 })).items.map((item) => item.period)).toEqual(['2026-Q4']);
    const january = (await listTargets({ period: '2027-01', limit: 100 })).items.map((item) => `${item.scope}:${item.subjectId}`);
    expect(january).toContain(`rep:${rep.id}`);
    expect(january).toContain(`region:${where}`);
    expect((await listTargets({ period: '2027-01', scope: 'region', limit: 100 })).items.every((item) => item.scope === 'region')).toBe(true);
  });
});

describe('sales team: scorecards', () => {
  const now = fixedClock('2026-11-27T08:00:00Z');

  it('compares a quarter’s actual figures from the aggregates with its target, exactly', async () => {
    const rep = await createRep(testContext(), manager, aSalesRep({ name: 'Scored' }));
    const other = await createRep(testContext(), manager, aSalesRep());
    await setTarget(testContext(), manager, target('rep', rep.id, '2026-Q4'), aSalesTarget({ newCustomers: 10 }), undefined);
    await recordSales([
      { dimension: 'rep', id: rep.id, month: '2026-10', delta: { revenue: 12_000_000, cost: 8_000_000, grossProfit: 4_000_000, quantity: 40, orders: 5, newCustomers: 3 } },
      { dimension: 'rep', id: rep.id, month: '2026-11', delta: { revenue: 6_500_000, cost: 4_400_000, grossProfit: 2_100_000, quantity: 20, orders: 2, newCustomers: 1, repeatCustomers: 1 } },
      // Another rep's and another quarter's sales do not count.
      { dimension: 'rep', id: other.id, month: '2026-11', delta: { revenue: 99_000_000, grossProfit: 9_000_000, orders: 9, newCustomers: 9 } },
      { dimension: 'rep', id: rep.id, month: '2026-09', delta: { revenue: 7_000_000, grossProfit: 1_000_000, orders: 1, newCustomers: 1 } },
    ]);

    const card = await repScorecard(testContext(now), rep.id, '2026-Q4');
    expect(scorecardView.parse(card)).toEqual(card);
    expect(card).toEqual({
      scope: 'rep',
      subjectId: rep.id,
      name: 'Scored',
      period: '2026-Q4',
      months: ['2026-10', '2026-11', '2026-12'],
      deadline: '2026-12-31',
      closed: false,
      target: { basis: 'exact', periods: ['2026-Q4'] },
      measures: {
        revenue: { target: { amount: 30_000_000, currency: 'CNY' }, actual: { amount: 18_500_000, currency: 'CNY' }, attainmentPercent: 61.7 },
        grossProfit: { target: { amount: 9_000_000, currency: 'CNY' }, actual: { amount: 6_100_000, currency: 'CNY' }, attainmentPercent: 67.8 },
        newCustomers: { target: 10, actual: 4, attainmentPercent: 40 },
        satisfaction: { target: 4.5, actual: null, attainmentPercent: null, reason: 'not measured until the after-sales module records satisfaction' },
      },
      orders: 7,
    });
  });

  it('gives a month without its own target a third of its quarter’s, adding up exactly; a month’s own target wins', async () => {
    const rep = await createRep(testContext(), manager, aSalesRep());
    await setTarget(testContext(), manager, target('rep', rep.id, '2026-Q4'), aSalesTarget({ revenue: { amount: 10_000_001, currency: 'CNY' }, newCustomers: 10 }), undefined);
    await recordSales([{ dimension: 'rep', id: rep.id, month: '2026-10', delta: { revenue: 4_000_000, grossProfit: 3_300_000, newCustomers: 3, orders: 4 } }]);

    const october = await repScorecard(testContext(now), rep.id, '2026-10');
    expect(october.target).toEqual({ basis: 'quarter-pro-rata', periods: ['2026-Q4'] });
    expect(october.closed).toBe(true);
    expect(october.measures.revenue).toEqual({ target: { amount: 3_333_333, currency: 'CNY' }, actual: { amount: 4_000_000, currency: 'CNY' }, attainmentPercent: 120 });
    expect(october.measures.grossProfit).toEqual({ target: { amount: 3_000_000, currency: 'CNY' }, actual: { amount: 3_300_000, currency: 'CNY' }, attainmentPercent: 110 });
    expect(october.measures.newCustomers).toEqual({ target: 3, actual: 3, attainmentPercent: 100 });
    expect(october.measures.satisfaction.target).toBe(4.5);

    const december = await repScorecard(testContext(now), rep.id, '2026-12');
    expect(december.measures.revenue.target?.amount).toBe(3_333_334);
    expect(december.measures.newCustomers).toEqual({ target: 4, actual: 0, attainmentPercent: 0 });
    expect(december.deadline).toBe('2026-12-31');

    await setTarget(testContext(), manager, target('rep', rep.id, '2026-11'), { revenue: { amount: 2_000_000, currency: 'CNY' } }, undefined);
    await recordSales([{ dimension: 'rep', id: rep.id, month: '2026-11', delta: { revenue: 2_600_000, grossProfit: 800_000 } }]);
    const november = await repScorecard(testContext(now), rep.id, '2026-11');
    expect(november.target).toEqual({ basis: 'exact', periods: ['2026-11'] });
    expect(november.measures.revenue.attainmentPercent).toBe(130);
    expect(november.measures.grossProfit).toEqual({ target: null, actual: { amount: 800_000, currency: 'CNY' }, attainmentPercent: null });
    expect(november.measures.newCustomers.target).toBeNull();
  });

  it('sums three month targets into a quarter’s (a measure missing in one month has no target) and reports a year only when every quarter has one', async () => {
    const rep = await createRep(testContext(), manager, aSalesRep());
    await setTarget(testContext(), manager, target('rep', rep.id, '2026-01'), aSalesTarget({ revenue: { amount: 1_000_000, currency: 'CNY' }, grossProfit: { amount: 300_000, currency: 'CNY' }, satisfaction: 4 }), undefined);
    await setTarget(testContext(), manager, target('rep', rep.id, '2026-02'), aSalesTarget({ revenue: { amount: 2_000_000, currency: 'CNY' }, grossProfit: { amount: 600_000, currency: 'CNY' }, satisfaction: 4.5 }), undefined);
    await setTarget(testContext(), manager, target('rep', rep.id, '2026-03'), { revenue: { amount: 3_000_000, currency: 'CNY' }, satisfaction: 4.6 }, undefined);
    await recordSales([
      { dimension: 'rep', id: rep.id, month: '2026-02', delta: { revenue: 4_500_000, grossProfit: 1_500_000, newCustomers: 2 } },
      // A return in March larger than March's sales: actual figures may be negative.
      { dimension: 'rep', id: rep.id, month: '2026-03', delta: { revenue: -300_000, grossProfit: -100_000 } },
    ]);

    const q1 = await repScorecard(testContext(now), rep.id, '2026-Q1');
    expect(q1.target).toEqual({ basis: 'sum-of-months', periods: ['2026-01', '2026-02', '2026-03'] });
    expect(q1.measures.revenue).toEqual({ target: { amount: 6_000_000, currency: 'CNY' }, actual: { amount: 4_200_000, currency: 'CNY' }, attainmentPercent: 70 });
    expect(q1.measures.grossProfit.target).toBeNull();
    expect(q1.measures.newCustomers).toEqual({ target: null, actual: 2, attainmentPercent: null });
    expect(q1.measures.satisfaction.target).toBe(4.37);
    const march = await repScorecard(testContext(now), rep.id, '2026-03');
    expect(scorecardView.parse(march).measures.revenue).toEqual({ target: { amount: 3_000_000, currency: 'CNY' }, actual: { amount: -300_000, currency: 'CNY' }, attainmentPercent: -10 });

    const partialYear = await repScorecard(testContext(now), rep.id, '2026');
    expect(partialYear.target).toEqual({ basis: 'none', periods: [] });
    expect(partialYear.measures.revenue).toEqual({ target: null, actual: { amount: 4_200_000, currency: 'CNY' }, attainmentPercent: null });
    for (const quarter of ['2026-Q2', '2026-Q3', '2026-Q4']) await setTarget(testContext(), manager, target('rep', rep.id, quarter), { revenue: { amount: 8_000_000, currency: 'CNY' } }, undefined);
    const year = await repScorecard(testContext(now), rep.id, '2026');
    expect(year.target).toEqual({ basis: 'sum-of-quarters', periods: ['2026-01', '2026-02', '2026-03', '2026-Q2', '2026-Q3', '2026-Q4'] });
    expect(year.measures.revenue).toEqual({ target: { amount: 30_000_000, currency: 'CNY' }, actual: { amount: 4_200_000, currency: 'CNY' }, attainmentPercent: 14 });
    expect(year.months).toHaveLength(12);
    expect(year.deadline).toBe('2026-12-31');
  });

  it('scores a region on the region’s aggregates and targets, not its reps’', async () => {
    const where = region();
    const rep = await createRep(testContext(), manager, aSalesRep({ region: where }));
    await setTarget(testContext(), manager, target('region', where, '2026-11'), aSalesTarget({ revenue: { amount: 50_000_000, currency: 'CNY' }, grossProfit: { amount: 10_000_000, currency: 'CNY' }, newCustomers: 20 }), undefined);
    await setTarget(testContext(), manager, target('rep', rep.id, '2026-11'), { revenue: { amount: 1, currency: 'CNY' } }, undefined);
    await recordSales([
      { dimension: 'region', id: where, month: '2026-11', delta: { revenue: 45_000_000, grossProfit: 12_500_000, newCustomers: 5, orders: 30 } },
      { dimension: 'rep', id: rep.id, month: '2026-11', delta: { revenue: 1_000_000, grossProfit: 100_000, newCustomers: 1, orders: 1 } },
    ]);
    const card = await regionScorecard(testContext(now), where, '2026-11');
    expect(card).toMatchObject({ scope: 'region', subjectId: where, target: { basis: 'exact', periods: ['2026-11'] }, orders: 30, closed: false });
    expect(card.name).toBeUndefined();
    expect(card.measures).toEqual({
      revenue: { target: { amount: 50_000_000, currency: 'CNY' }, actual: { amount: 45_000_000, currency: 'CNY' }, attainmentPercent: 90 },
      grossProfit: { target: { amount: 10_000_000, currency: 'CNY' }, actual: { amount: 12_500_000, currency: 'CNY' }, attainmentPercent: 125 },
      newCustomers: { target: 20, actual: 5, attainmentPercent: 25 },
      satisfaction: { target: 4.5, actual: null, attainmentPercent: null, reason: 'not measured until the after-sales module records satisfaction' },
    });
    const empty = await regionScorecard(testContext(now), region(), '2026-11');
    expect(empty.measures.revenue).toEqual({ target: null, actual: { amount: 0, currency: 'CNY' }, attainmentPercent: null });
    expect(empty.target.basis).toBe('none');
  });

  it('answers 404 for the scorecard of an unknown rep', async () => {
    await expect(repScorecard(testContext(now), MISSING, '2026-11')).rejects.toThrow(NotFoundError);
  });
});
