import { describe, expect, it } from 'vitest';
import { createProduct } from '../../lib/catalog/service';
import { agreementCreate, channelCreate, evaluationCreate, type AgreementCreate } from '../../lib/partners/schema';
import {
  activeAgreement,
  createAgreement,
  createChannel,
  createEvaluation,
  createPartner,
  getAgreement,
  getChannel,
  getEvaluation,
  getPartner,
  listAgreements,
  listChannels,
  listEvaluations,
  listPartners,
  partnerPerformance,
  readPartner,
  updateAgreement,
  updateChannel,
  updatePartner,
} from '../../lib/partners/service';
import { attainmentPercent, gradeOf, reachedTier, rebateAmount, weightedScore } from '../../lib/partners/terms';
import { ConflictError, NotFoundError, PreconditionFailedError, ValidationError } from '../../lib/platform/errors';
import { parseInput } from '../../lib/platform/http/validation';
import { transactWrite } from '../../lib/platform/transact';
import { salesDeltaAction, type SalesFigures } from '../../lib/sales/aggregates';
import { aChannel, anActor, anAgreement, anEvaluation, aPartner, aProduct, fixedClock, testContext, unique } from '../support/factories';

const sales = anActor(['sales'], { email: 'sales@example.com' });
const market = anActor(['market'], { email: 'market@example.com' });
const page = { limit: 100 };
/** 2027-01-15 in Shanghai: every 2026 period is closed. */
const afterYearEnd = () => testContext(fixedClock('2027-01-15T02:00:00Z'));

async function aDistributor(overrides: Parameters<typeof aPartner>[0] = {}) {
  return createPartner(testContext(), sales, aPartner(overrides));
}

/** Sales figures of a partner, written the way the orders module writes them. */
async function recordSales(partnerId: string, byMonth: Record<string, Partial<SalesFigures>>): Promise<void> {
  await transactWrite(
    Object.entries(byMonth).map(([month, delta]) => salesDeltaAction('partner', month, partnerId, delta)),
    () => new Error('unexpected condition failure'),
  );
}

/** A partner with the factory agreement (Q4 target 100,000.00 CNY; 2 % at 100 %, 3.5 % at 120 %) and Q4 revenue. */
async function partnerWithQ4Revenue(revenue: number, agreement: Partial<AgreementCreate> = {}) {
  const partner = await aDistributor();
  await createAgreement(testContext(), sales, partner.id, anAgreement(agreement));
  await recordSales(partner.id, { '2026-10': { revenue } });
  return partner;
}

describe('channels: create and read', () => {
  it('stores an online channel with its strengths and resources, version 1', async () => {
    const channel = await createChannel(
      testContext(fixedClock('2026-11-27T08:00:00Z')),
      sales,
      aChannel({ resources: { period: '2026', budget: { amount: 50_000_000, currency: 'CNY' }, headcount: 3 } }),
    );
    expect(channel).toMatchObject({ kind: 'online', type: 'e-commerce', active: true, version: 1, createdBy: 'sales@example.com', strengths: ['reach', 'fast delivery'] });
    expect(channel.partnerId).toBeUndefined();
    expect(await getChannel(channel.id)).toEqual(channel);
  });

  it('links a distributor channel to a distributor, and refuses an agent or an unknown partner without writing', async () => {
    const distributor = await aDistributor();
    const agent = await aDistributor({ kind: 'agent', name: 'Pearl River Agency' });
    const channel = await createChannel(testContext(), sales, aChannel({ kind: 'offline', type: 'distributor', partnerId: distributor.id }));
    expect(channel.partnerId).toBe(distributor.id);

    const wrongKind = createChannel(testContext(), sales, aChannel({ kind: 'offline', type: 'distributor', partnerId: agent.id }));
    await expect(wrongKind).rejects.toThrow(ValidationError);
    await expect(wrongKind).rejects.toMatchObject({ errors: [{ path: '$.body.partnerId', message: `partner ${agent.id} is an agent, not a distributor` }] });
    const unknown = createChannel(testContext(), sales, aChannel({ kind: 'offline', type: 'agent', partnerId: '01JZZZZZZZZZZZZZZZZZZZZZZZ' }));
    await expect(unknown).rejects.toMatchObject({ errors: [{ path: '$.body.partnerId' }] });
    expect((await listChannels({ ...page, partnerId: agent.id })).items).toEqual([]);
  });

  it('validates the kind–type pairing and the partner rule at the edge, with JSON paths', () => {
    const attempt = (body: unknown) => () => parseInput(channelCreate, 'body', body);
    expect(attempt({ ...aChannel(), kind: 'online', type: 'distributor', partnerId: '01JZZZZZZZZZZZZZZZZZZZZZZZ' })).toThrow(
      expect.objectContaining({ errors: [{ path: '$.body.type', message: 'online channels are e-commerce, company-site' }] }),
    );
    expect(attempt({ ...aChannel(), kind: 'offline', type: 'agent' })).toThrow(expect.objectContaining({ errors: [{ path: '$.body.partnerId', message: 'required for agent channels' }] }));
    expect(attempt({ ...aChannel(), partnerId: '01JZZZZZZZZZZZZZZZZZZZZZZZ' })).toThrow(expect.objectContaining({ errors: [expect.objectContaining({ path: '$.body.partnerId' })] }));
    expect(parseInput(channelCreate, 'body', { name: 'Own store, Nanjing Rd', kind: 'offline', type: 'direct-store' })).toMatchObject({ strengths: [], active: true });
  });
});

describe('channels: list and change', () => {
  it('lists by kind and by type through the index, with partner and active filters on top, paging without repeats', async () => {
    const partner = await aDistributor();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await createChannel(testContext(), sales, aChannel({ kind: 'offline', type: 'distributor', partnerId: partner.id, name: `Region ${i}` }))).id);
    const store = await createChannel(testContext(), sales, aChannel({ kind: 'offline', type: 'direct-store', name: 'Flagship store' }));
    const online = await createChannel(testContext(), sales, aChannel());

    const offline = (await listChannels({ ...page, kind: 'offline' })).items.map((channel) => channel.id);
    expect(offline).toEqual(expect.arrayContaining([...ids, store.id]));
    expect(offline).not.toContain(online.id);
    const distributors = (await listChannels({ ...page, type: 'distributor' })).items;
    expect(distributors.every((channel) => channel.type === 'distributor')).toBe(true);
    expect((await listChannels({ ...page, type: 'distributor', partnerId: partner.id })).items.map((channel) => channel.id)).toEqual([...ids].reverse());

    await updateChannel(testContext(), sales, ids[1] as string, { active: false }, 1);
    expect((await listChannels({ ...page, partnerId: partner.id, active: false })).items.map((channel) => channel.id)).toEqual([ids[1]]);

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const result = await listChannels({ limit: 2, partnerId: partner.id, cursor });
      seen.push(...result.items.map((channel) => channel.id));
      cursor = result.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
  });

  it('patches with If-Match (412 when stale), clears notes, and refuses a partner on a channel that has none', async () => {
    const channel = await createChannel(testContext(), sales, aChannel({ notes: 'launch partner' }));
    const updated = await updateChannel(testContext(), sales, channel.id, { name: 'JD.com store', notes: null, strengths: ['logistics'] }, 1);
    expect(updated).toMatchObject({ name: 'JD.com store', strengths: ['logistics'], version: 2 });
    expect(updated.notes).toBeUndefined();
    await expect(updateChannel(testContext(), sales, channel.id, { name: 'stale' }, 1)).rejects.toThrow(PreconditionFailedError);
    const partner = await aDistributor();
    await expect(updateChannel(testContext(), sales, channel.id, { partnerId: partner.id }, undefined)).rejects.toMatchObject({ errors: [{ path: '$.body.partnerId' }] });
    expect(await getChannel(channel.id)).toEqual(updated);
  });

  it('answers 404 for an unknown channel', async () => {
    await expect(getChannel('01JZZZZZZZZZZZZZZZZZZZZZZZ')).rejects.toThrow(NotFoundError);
  });
});

describe('partners', () => {
  it('creates, reads and patches a partner with If-Match', async () => {
    const partner = await aDistributor({ notes: 'met at the trade show' });
    expect(await getPartner(partner.id)).toEqual(partner);
    const updated = await updatePartner(testContext(), sales, partner.id, { status: 'suspended', regions: ['east-china'], notes: null }, 1);
    expect(updated).toMatchObject({ status: 'suspended', regions: ['east-china'], version: 2, kind: 'distributor' });
    expect(updated.notes).toBeUndefined();
    await expect(updatePartner(testContext(), sales, partner.id, { name: 'stale' }, 1)).rejects.toThrow(PreconditionFailedError);
  });

  it('lists by kind through the index and by region and status on top', async () => {
    const region = unique('region').toLowerCase();
    const distributor = await aDistributor({ regions: [region, 'north-china'] });
    const agent = await aDistributor({ kind: 'agent', regions: [region] });
    const elsewhere = await aDistributor({ kind: 'agent', regions: ['west-china'] });
    const suspended = await aDistributor({ kind: 'agent', regions: [region], status: 'suspended' });

    expect((await listPartners(sales, { ...page, region })).items.map((partner) => partner.id)).toEqual([suspended.id, agent.id, distributor.id]);
    expect((await listPartners(sales, { ...page, region, kind: 'agent' })).items.map((partner) => partner.id)).toEqual([suspended.id, agent.id]);
    expect((await listPartners(sales, { ...page, region, kind: 'agent', status: 'active' })).items.map((partner) => partner.id)).toEqual([agent.id]);
    expect((await listPartners(sales, { ...page, kind: 'agent' })).items.map((partner) => partner.id)).toContain(elsewhere.id);
    expect((await listPartners(sales, { ...page, kind: 'distributor' })).items.every((partner) => partner.kind === 'distributor')).toBe(true);
  });

  it('shows market a partner without its contact, and sales with it', async () => {
    const region = unique('region').toLowerCase();
    const partner = await aDistributor({ regions: [region] });
    const seenByMarket = await readPartner(market, partner.id);
    expect(seenByMarket).not.toHaveProperty('contact');
    expect(seenByMarket).toMatchObject({ id: partner.id, name: partner.name, regions: [region] });
    expect((await listPartners(market, { ...page, region })).items[0]).not.toHaveProperty('contact');
    expect((await readPartner(sales, partner.id)).contact).toEqual(partner.contact);
    expect((await readPartner(anActor(['market', 'management']), partner.id)).contact).toEqual(partner.contact);
  });
});

describe('agreements: terms', () => {
  it('stores an agreement with a price list of catalog products and finds it active on the dates of its period', async () => {
    const partner = await aDistributor();
    const product = await createProduct(testContext(), anActor(['production']), aProduct());
    const agreement = await createAgreement(
      testContext(),
      sales,
      partner.id,
      anAgreement({ pricing: { kind: 'price-list', prices: [{ productId: product.id, unitPrice: { amount: 99_900, currency: 'CNY' } }] } }),
    );
    expect(agreement).toMatchObject({ partnerId: partner.id, version: 1, paymentTermsDays: 60 });
    expect(await getAgreement(partner.id, agreement.id)).toEqual(agreement);
    expect((await listAgreements(partner.id, page)).items).toEqual([agreement]);
    expect(await activeAgreement(partner.id, '2026-01-01')).toEqual(agreement);
    expect(await activeAgreement(partner.id, '2026-12-31')).toEqual(agreement);
    expect(await activeAgreement(partner.id, '2025-12-31')).toBeUndefined();
    expect(await activeAgreement(partner.id, '2027-01-01')).toBeUndefined();
    expect(await activeAgreement('01JZZZZZZZZZZZZZZZZZZZZZZZ', '2026-06-01')).toBeUndefined();
  });

  it('refuses regions outside the partner’s, unknown products, another currency and targets outside the period — and writes nothing', async () => {
    const partner = await aDistributor();
    const missing = '01JZZZZZZZZZZZZZZZZZZZZZZZ';
    const attempt = createAgreement(
      testContext(),
      sales,
      partner.id,
      anAgreement({
        regions: ['east-china', 'west-china'],
        pricing: { kind: 'price-list', prices: [{ productId: missing, unitPrice: { amount: 100, currency: 'USD' } }] },
        targets: [
          { period: '2027-Q1', revenue: { amount: 1_000, currency: 'CNY' } },
          { period: '2026-11', revenue: { amount: 1_000, currency: 'EUR' } },
        ],
      }),
    );
    await expect(attempt).rejects.toThrow(ValidationError);
    const error = (await attempt.catch((caught: unknown) => caught)) as ValidationError;
    expect(error.errors.map((field) => field.path).sort()).toEqual(
      [
        '$.body.regions[1]',
        '$.body.targets[0].period',
        '$.body.targets[1].revenue.currency',
        '$.body.pricing.prices[0].unitPrice.currency',
        '$.body.pricing.prices[0].productId',
      ].sort(),
    );
    expect((await listAgreements(partner.id, page)).items).toEqual([]);
    expect(await activeAgreement(partner.id, '2026-06-01')).toBeUndefined();
    // The calendar was not touched either: the same period can still be signed.
    await expect(createAgreement(testContext(), sales, partner.id, anAgreement())).resolves.toMatchObject({ partnerId: partner.id });
  });

  it('checks period order, strictly increasing tiers, one target per period and the discount range at the edge', () => {
    const errorsOf = (body: unknown) => {
      try {
        parseInput(agreementCreate, 'body', body);
        return [];
      } catch (error) {
        return (error as ValidationError).errors.map((field) => field.path);
      }
    };
    expect(errorsOf({ ...anAgreement(), period: { from: '2026-12-31', to: '2026-01-01' } })).toEqual(['$.body.period.to']);
    expect(
      errorsOf({
        ...anAgreement(),
        rebateTiers: [
          { attainmentPercent: 100, rebatePercent: 2 },
          { attainmentPercent: 100, rebatePercent: 3 },
          { attainmentPercent: 90, rebatePercent: 4 },
        ],
      }),
    ).toEqual(['$.body.rebateTiers[1].attainmentPercent', '$.body.rebateTiers[2].attainmentPercent']);
    const target = { period: '2026-Q4', revenue: { amount: 1, currency: 'CNY' } };
    expect(errorsOf({ ...anAgreement(), targets: [target, target] })).toEqual(['$.body.targets[1].period']);
    expect(errorsOf({ ...anAgreement(), targets: [{ ...target, revenue: { amount: 0, currency: 'CNY' } }] })).toEqual(['$.body.targets[0].revenue.amount']);
    expect(errorsOf({ ...anAgreement(), pricing: { kind: 'discount', percent: 100.5 } })).toEqual(['$.body.pricing.percent']);
    expect(errorsOf({ ...anAgreement(), pricing: { kind: 'discount', percent: 12.345 } })).toEqual(['$.body.pricing.percent']);
    expect(errorsOf(anAgreement())).toEqual([]);
  });

  it('answers 404 for an unknown partner or agreement', async () => {
    await expect(createAgreement(testContext(), sales, '01JZZZZZZZZZZZZZZZZZZZZZZZ', anAgreement())).rejects.toThrow(NotFoundError);
    const partner = await aDistributor();
    await expect(getAgreement(partner.id, '01JZZZZZZZZZZZZZZZZZZZZZZZ')).rejects.toThrow(NotFoundError);
  });
});

describe('agreements: periods of one partner never overlap', () => {
  it('refuses an overlapping agreement with 409 naming the one it overlaps, and accepts the adjacent one', async () => {
    const partner = await aDistributor();
    const first = await createAgreement(testContext(), sales, partner.id, anAgreement({ period: { from: '2026-01-01', to: '2026-06-30' }, targets: [] }));
    const overlapping = createAgreement(testContext(), sales, partner.id, anAgreement({ period: { from: '2026-06-30', to: '2026-12-31' }, targets: [] }));
    await expect(overlapping).rejects.toThrow(ConflictError);
    await expect(overlapping).rejects.toMatchObject({ extensions: { conflictingAgreement: { id: first.id, from: '2026-01-01', to: '2026-06-30' } } });
    const next = await createAgreement(testContext(), sales, partner.id, anAgreement({ period: { from: '2026-07-01', to: '2026-12-31' } }));
    expect((await activeAgreement(partner.id, '2026-06-30'))?.id).toBe(first.id);
    expect((await activeAgreement(partner.id, '2026-07-01'))?.id).toBe(next.id);
    // Another partner's calendar is its own.
    const other = await aDistributor();
    await expect(createAgreement(testContext(), sales, other.id, anAgreement())).resolves.toMatchObject({ partnerId: other.id });
  });

  it('lets exactly one of 10 concurrent overlapping agreements win', async () => {
    const partner = await aDistributor();
    const periods = Array.from({ length: 10 }, (_, i) => ({ from: `2026-0${(i % 9) + 1}-01`, to: '2026-12-31' }));
    const results = await Promise.allSettled(periods.map((period) => createAgreement(testContext(), sales, partner.id, anAgreement({ period }))));
    const won = results.filter((result) => result.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const result of results.filter((candidate): candidate is PromiseRejectedResult => candidate.status === 'rejected')) {
      expect(result.reason).toBeInstanceOf(ConflictError);
    }
    expect((await listAgreements(partner.id, page)).items).toHaveLength(1);
  });

  it('commits every one of 6 concurrent agreements that do not overlap', async () => {
    const partner = await aDistributor();
    const months = ['01', '02', '03', '04', '05', '06'];
    const created = await Promise.all(
      months.map((month) => createAgreement(testContext(), sales, partner.id, anAgreement({ period: { from: `2026-${month}-01`, to: `2026-${month}-28` }, targets: [] }))),
    );
    expect((await listAgreements(partner.id, page)).items).toHaveLength(6);
    for (const [index, month] of months.entries()) expect((await activeAgreement(partner.id, `2026-${month}-15`))?.id).toBe(created[index]?.id);
  });

  it('moves an agreement’s period only where no other agreement is, with If-Match', async () => {
    const partner = await aDistributor();
    const first = await createAgreement(testContext(), sales, partner.id, anAgreement({ period: { from: '2026-01-01', to: '2026-03-31' }, targets: [] }));
    const second = await createAgreement(testContext(), sales, partner.id, anAgreement({ period: { from: '2026-04-01', to: '2026-06-30' }, targets: [] }));
    await expect(updateAgreement(testContext(), sales, partner.id, first.id, { period: { from: '2026-01-01', to: '2026-04-15' } }, 1)).rejects.toThrow(ConflictError);
    expect(await getAgreement(partner.id, first.id)).toEqual(first);

    const moved = await updateAgreement(testContext(), sales, partner.id, second.id, { period: { from: '2026-05-01', to: '2026-08-31' }, paymentTermsDays: 30 }, 1);
    expect(moved).toMatchObject({ version: 2, paymentTermsDays: 30, period: { from: '2026-05-01', to: '2026-08-31' } });
    expect(await activeAgreement(partner.id, '2026-04-15')).toBeUndefined();
    expect((await activeAgreement(partner.id, '2026-08-31'))?.id).toBe(second.id);
    const grown = await updateAgreement(testContext(), sales, partner.id, first.id, { period: { from: '2026-01-01', to: '2026-04-30' } }, 1);
    expect((await activeAgreement(partner.id, '2026-04-15'))?.id).toBe(grown.id);

    await expect(updateAgreement(testContext(), sales, partner.id, second.id, { paymentTermsDays: 90 }, 1)).rejects.toThrow(PreconditionFailedError);
    // A new period must still hold the targets it already has.
    const withTarget = await createAgreement(testContext(), sales, partner.id, anAgreement({ period: { from: '2026-10-01', to: '2026-12-31' } }));
    await expect(updateAgreement(testContext(), sales, partner.id, withTarget.id, { period: { from: '2026-11-01', to: '2026-12-31' } }, undefined)).rejects.toMatchObject({
      errors: [{ path: '$.body.period' }],
    });
  });
});

describe('partners: performance against the agreement', () => {
  it('fills in the period’s actual sales from the sales figures, other months and partners left out', async () => {
    const partner = await aDistributor();
    const other = await aDistributor();
    await createAgreement(testContext(), sales, partner.id, anAgreement());
    await recordSales(partner.id, {
      '2026-09': { revenue: 999_999, grossProfit: 1, quantity: 1, orders: 1 },
      '2026-10': { revenue: 4_000_000, cost: 2_500_000, grossProfit: 1_500_000, quantity: 40, orders: 3 },
      '2026-11': { revenue: 3_500_050, cost: 2_000_000, grossProfit: 1_500_050, quantity: 35, orders: 2 },
      '2026-12': { revenue: -50, grossProfit: -30, quantity: -1 },
    });
    await recordSales(other.id, { '2026-10': { revenue: 123_456, quantity: 7, orders: 1 } });

    const performance = await partnerPerformance(afterYearEnd(), partner.id, '2026-Q4');
    expect(performance).toMatchObject({
      period: '2026-Q4',
      firstMonth: '2026-10',
      lastMonth: '2026-12',
      closed: true,
      actual: {
        revenue: { amount: 7_500_000, currency: 'CNY' },
        grossProfit: { amount: 3_000_020, currency: 'CNY' },
        quantity: 74,
        orders: 5,
      },
      target: { amount: 10_000_000, currency: 'CNY' },
      attainmentPercent: 75,
      rebate: { status: 'computed', tier: null, amount: { amount: 0, currency: 'CNY' } },
    });
    expect((await partnerPerformance(afterYearEnd(), partner.id, '2026-10')).actual.revenue.amount).toBe(4_000_000);
  });

  it.each([
    { revenue: 9_999_999, tier: null, rebate: 0, attainment: 100 },
    { revenue: 10_000_000, tier: 100, rebate: 200_000, attainment: 100 },
    { revenue: 10_000_025, tier: 100, rebate: 200_001, attainment: 100 },
    { revenue: 11_999_999, tier: 100, rebate: 240_000, attainment: 120 },
    { revenue: 12_000_000, tier: 120, rebate: 420_000, attainment: 120 },
    { revenue: 12_345_679, tier: 120, rebate: 432_099, attainment: 123.46 },
  ])('owes the highest tier reached on $revenue of a 10,000,000 target: tier $tier, rebate $rebate', async ({ revenue, tier, rebate, attainment }) => {
    const partner = await partnerWithQ4Revenue(revenue);
    const performance = await partnerPerformance(afterYearEnd(), partner.id, '2026-Q4');
    expect(performance.attainmentPercent).toBe(attainment);
    expect(performance.rebate.status).toBe('computed');
    expect(performance.rebate.tier?.attainmentPercent ?? null).toBe(tier);
    expect(performance.rebate.amount).toEqual({ amount: rebate, currency: 'CNY' });
  });

  it('computes no rebate while the period is open, in the company time zone', async () => {
    const partner = await partnerWithQ4Revenue(12_000_000, { targets: [{ period: '2026-10', revenue: { amount: 10_000_000, currency: 'CNY' } }] });
    // 2026-10-31 23:59:59 in Shanghai: October is still running.
    const open = await partnerPerformance(testContext(fixedClock('2026-10-31T15:59:59Z')), partner.id, '2026-10');
    expect(open).toMatchObject({ closed: false, attainmentPercent: 120, rebate: { status: 'period-open', tier: null, amount: null } });
    // One second later it is November in Shanghai (still October in UTC): October is closed.
    const closed = await partnerPerformance(testContext(fixedClock('2026-10-31T16:00:00Z')), partner.id, '2026-10');
    expect(closed).toMatchObject({ closed: true, rebate: { status: 'computed', tier: { attainmentPercent: 120, rebatePercent: 3.5 }, amount: { amount: 420_000, currency: 'CNY' } } });
  });

  it('reports no target (and no rebate) for a period the agreement sets none for, or without an agreement', async () => {
    const partner = await partnerWithQ4Revenue(5_000_000);
    const noTarget = await partnerPerformance(afterYearEnd(), partner.id, '2026-10');
    expect(noTarget).toMatchObject({ target: null, attainmentPercent: null, rebate: { status: 'no-target', amount: null }, actual: { revenue: { amount: 5_000_000 } } });
    expect(noTarget.agreementId).toEqual(expect.any(String));
    const bare = await aDistributor();
    expect(await partnerPerformance(afterYearEnd(), bare.id, '2026-Q4')).toMatchObject({ agreementId: null, target: null, rebate: { status: 'no-target' } });
    await expect(partnerPerformance(afterYearEnd(), '01JZZZZZZZZZZZZZZZZZZZZZZZ', '2026-Q4')).rejects.toThrow(NotFoundError);
  });

  it('reads the target of the agreement in force during the period when a partner has several', async () => {
    const partner = await aDistributor();
    await createAgreement(testContext(), sales, partner.id, anAgreement({ period: { from: '2025-01-01', to: '2025-12-31' }, targets: [{ period: '2025-Q4', revenue: { amount: 1_000, currency: 'CNY' } }] }));
    const current = await createAgreement(testContext(), sales, partner.id, anAgreement());
    const performance = await partnerPerformance(afterYearEnd(), partner.id, '2026-Q4');
    expect(performance).toMatchObject({ agreementId: current.id, target: { amount: 10_000_000 } });
  });
});

describe('partners: evaluations', () => {
  it('computes the weighted score and grade and stores the figures as they were', async () => {
    const partner = await partnerWithQ4Revenue(12_000_000);
    const evaluation = await createEvaluation(afterYearEnd(), sales, partner.id, anEvaluation());
    expect(evaluation).toMatchObject({
      partnerId: partner.id,
      period: '2026-Q4',
      score: 83,
      grade: 'B',
      comments: 'A solid quarter.',
      performance: { actual: { revenue: { amount: 12_000_000 } }, attainmentPercent: 120, rebate: { status: 'computed', amount: { amount: 420_000 } } },
      version: 1,
    });
    expect(await getEvaluation(partner.id, evaluation.id)).toEqual(evaluation);

    // Later sales change what performance says now, not what the evaluation recorded.
    await recordSales(partner.id, { '2026-11': { revenue: 1_000_000 } });
    const later = await createEvaluation(afterYearEnd(), sales, partner.id, anEvaluation({ criteria: [{ name: 'sales', weight: 100, score: 59.99 }] }));
    expect(later).toMatchObject({ score: 59.99, grade: 'D', performance: { actual: { revenue: { amount: 13_000_000 } } } });
    expect((await getEvaluation(partner.id, evaluation.id)).performance.actual.revenue.amount).toBe(12_000_000);
    expect((await listEvaluations(partner.id, page)).items.map((item) => item.id)).toEqual([later.id, evaluation.id]);
  });

  it('refuses weights that do not sum to 100 with the path of the criteria, and stores nothing', async () => {
    const partner = await aDistributor();
    const body = anEvaluation({ criteria: [{ name: 'sales', weight: 60, score: 90 }, { name: 'service', weight: 39, score: 80 }] });
    expect(() => parseInput(evaluationCreate, 'body', body)).toThrow(
      expect.objectContaining({ errors: [{ path: '$.body.criteria', message: 'the weights sum to 99; they must sum to exactly 100' }] }),
    );
    const tooMuch = { ...body, criteria: [...body.criteria, { name: 'coverage', weight: 2, score: 50 }] };
    expect(() => parseInput(evaluationCreate, 'body', tooMuch)).toThrow(expect.objectContaining({ errors: [expect.objectContaining({ path: '$.body.criteria' })] }));
    expect((await listEvaluations(partner.id, page)).items).toEqual([]);
  });

  it('grades A from 90, B from 75, C from 60, D below, on the score rounded half-up to 2 decimals', () => {
    expect([90, 89.99, 75, 74.99, 60, 59.99, 100, 0].map(gradeOf)).toEqual(['A', 'B', 'B', 'C', 'C', 'D', 'A', 'D']);
    expect(weightedScore([{ weight: 33, score: 89.99 }, { weight: 67, score: 90 }])).toBe(90);
    expect(weightedScore([{ weight: 50, score: 89.99 }, { weight: 50, score: 90 }])).toBe(90);
    expect(weightedScore([{ weight: 30, score: 70.01 }, { weight: 70, score: 70 }])).toBe(70);
  });

  it('does the rebate arithmetic exactly, beyond 2^53', () => {
    const tiers = [{ attainmentPercent: 100, rebatePercent: 2 }];
    expect(reachedTier(tiers, 0, 1)).toBeUndefined();
    expect(reachedTier([{ attainmentPercent: 0, rebatePercent: 1 }], 0, 1)).toEqual({ attainmentPercent: 0, rebatePercent: 1 });
    expect(rebateAmount(-100, { attainmentPercent: 0, rebatePercent: 1 })).toBe(0);
    expect(rebateAmount(25, { attainmentPercent: 0, rebatePercent: 2 })).toBe(1);
    expect(rebateAmount(24, { attainmentPercent: 0, rebatePercent: 2 })).toBe(0);
    expect(rebateAmount(Number.MAX_SAFE_INTEGER, { attainmentPercent: 0, rebatePercent: 100 })).toBe(Number.MAX_SAFE_INTEGER);
    expect(attainmentPercent(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)).toBe(100);
    expect(attainmentPercent(1, 3)).toBe(33.33);
    expect(attainmentPercent(2, 3)).toBe(66.67);
  });
});
