import { describe, expect, it } from 'vitest';
import { createProduct } from '../../lib/catalog/service';
import { brandCreate, brandPatch, type Brand } from '../../lib/market/brands/schema';
import { createBrand, getBrand, getBrandVersion, listBrandVersions, updateBrand } from '../../lib/market/brands/service';
import { createMaterial, listMaterials, moveMaterial } from '../../lib/market/campaigns/materials';
import { campaignCreate, campaignPatch, type Campaign, type CampaignCreate } from '../../lib/market/campaigns/schema';
import { campaignRoi, createCampaign, getCampaign, listCampaigns, readCampaign, updateCampaign } from '../../lib/market/campaigns/service';
import { updateDepartment } from '../../lib/organization/service';
import { createPartner } from '../../lib/partners/service';
import { ConflictError, ForbiddenError, NotFoundError, PreconditionFailedError, ValidationError } from '../../lib/platform/errors';
import { parseInput } from '../../lib/platform/http/validation';
import { newId } from '../../lib/platform/ids';
import { transactWrite } from '../../lib/platform/transact';
import { salesDeltaAction } from '../../lib/sales/aggregates';
import { aBrand, aCampaign, aMaterial, anActor, aPartner, aProduct, fixedClock, testContext, unique } from '../support/factories';

const market = anActor(['market'], { email: 'marketer@example.com' });
const management = anActor(['management'], { email: 'boss@example.com' });
const rnd = anActor(['rnd'], { email: 'engineer@example.com' });
const admin = anActor(['admin']);
const UNKNOWN = '01JZZZZZZZZZZZZZZZZZZZZZZZ';

function pathsOf(attempt: () => unknown): string[] {
  try {
    attempt();
  } catch (error) {
    if (error instanceof ValidationError) return error.errors.map((e) => e.path).sort();
    throw error;
  }
  throw new Error('expected a ValidationError');
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

const newBrand = (overrides = {}) => createBrand(testContext(), market, brandCreate.parse(aBrand(overrides)));
const newCampaign = async (overrides: Partial<CampaignCreate> = {}, brandId?: string): Promise<Campaign> =>
  createCampaign(testContext(), market, campaignCreate.parse(aCampaign(brandId ?? (await newBrand()).id, overrides)));

describe('brands: every edit is a new version, every earlier version kept', () => {
  it('keeps version 1 and each later version as immutable copies, newest first', async () => {
    const clock = fixedClock('2026-11-01T08:00:00Z');
    const brand = await createBrand(testContext(clock), market, brandCreate.parse(aBrand({ positioning: 'First positioning.' })));
    clock.set('2026-11-02T08:00:00Z');
    const second = await updateBrand(testContext(clock), market, brand.id, brandPatch.parse({ positioning: 'Second positioning.', changeNote: 'after the survey' }), 1);
    clock.set('2026-11-03T08:00:00Z');
    const third = await updateBrand(testContext(clock), management, brand.id, brandPatch.parse({ tone: 'Warmer.' }), 2);
    expect(third).toMatchObject({ version: 3, positioning: 'Second positioning.', tone: 'Warmer.', updatedBy: 'boss@example.com', updatedAt: '2026-11-03T08:00:00.000Z' });
    expect(third.changeNote).toBeUndefined();
    expect(await getBrand(brand.id)).toEqual(third);

    const versions = await listBrandVersions(brand.id, { limit: 100 });
    expect(versions.items.map((version) => version.version)).toEqual([3, 2, 1]);
    expect(await getBrandVersion(brand.id, 1)).toEqual(brand);
    expect(await getBrandVersion(brand.id, 2)).toEqual(second);
    expect((await getBrandVersion(brand.id, 2)).changeNote).toBe('after the survey');
    await expect(getBrandVersion(brand.id, 4)).rejects.toThrow(NotFoundError);
  });

  it('pages through the versions without skipping or repeating one', async () => {
    const brand = await newBrand();
    let current: Brand = brand;
    for (let edit = 0; edit < 4; edit++) current = await updateBrand(testContext(), market, brand.id, brandPatch.parse({ tone: `Tone ${edit}` }), current.version);
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await listBrandVersions(brand.id, { limit: 2, cursor });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((version) => version.version));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([5, 4, 3, 2, 1]);
  });

  it('refuses a stale If-Match with 412 and writes no version', async () => {
    const brand = await newBrand();
    await updateBrand(testContext(), market, brand.id, brandPatch.parse({ tone: 'Newer.' }), 1);
    await expect(updateBrand(testContext(), market, brand.id, brandPatch.parse({ tone: 'Stale.' }), 1)).rejects.toThrow(PreconditionFailedError);
    expect((await listBrandVersions(brand.id, { limit: 100 })).items.map((version) => version.version)).toEqual([2, 1]);
    expect((await getBrand(brand.id)).tone).toBe('Newer.');
  });

  it('of two concurrent edits of one version, exactly one commits', async () => {
    const brand = await newBrand();
    const results = await Promise.allSettled(
      ['Edit A.', 'Edit B.', 'Edit C.'].map((tone) => updateBrand(testContext(), market, brand.id, brandPatch.parse({ tone }), 1)),
    );
    const won = results.filter((result) => result.status === 'fulfilled');
    const lost = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost.every((result) => result.reason instanceof PreconditionFailedError)).toBe(true);
    const versions = await listBrandVersions(brand.id, { limit: 100 });
    expect(versions.items.map((version) => version.version)).toEqual([2, 1]);
    expect((await getBrand(brand.id)).tone).toBe(versions.items[0]?.tone);
  });

  it('refuses a strategy past its bounds, naming each field', () => {
    const input = { ...aBrand(), coreValues: [], channels: [{ channel: 'trade-show' }, { channel: 'trade-show' }], targetAudiences: [{ name: '' }], yearlyObjectives: [{ year: 1999, objective: 'x', measure: '' }], extra: 1 };
    expect(pathsOf(() => parseInput(brandCreate, 'body', input))).toEqual([
      '$.body.channels',
      '$.body.coreValues',
      '$.body.extra',
      '$.body.targetAudiences[0].name',
      '$.body.yearlyObjectives[0].measure',
      '$.body.yearlyObjectives[0].year',
    ]);
    expect(pathsOf(() => parseInput(brandPatch, 'body', { changeNote: 'only a note' }))).toEqual(['$.body']);
  });
});

describe('campaigns: validation writes nothing', () => {
  it('refuses a negative budget, a share KPI over 100 %, a count KPI with decimals and a reversed period', () => {
    const input = {
      ...aCampaign(newId()),
      budget: { amount: -1, currency: 'CNY' },
      actualSpend: { amount: -500, currency: 'CNY' },
      kpis: [
        { metric: 'share-of-voice', target: 100.5 },
        { metric: 'leads', target: 10.5, actual: 3 },
        { metric: 'engagement-rate', target: 5, actual: 1.234 },
      ],
      period: { from: '2026-12-01', to: '2026-11-30' },
    };
    expect(pathsOf(() => parseInput(campaignCreate, 'body', input))).toEqual([
      '$.body.actualSpend.amount',
      '$.body.budget.amount',
      '$.body.kpis[0].target',
      '$.body.kpis[1].target',
      '$.body.kpis[2].actual',
      '$.body.period.to',
    ]);
    expect(pathsOf(() => parseInput(campaignCreate, 'body', { ...aCampaign(newId()), channel: 'billboard', period: { from: '2026-01-01', to: '2028-01-01' } }))).toEqual([
      '$.body.channel',
      '$.body.period.to',
    ]);
    expect(pathsOf(() => parseInput(campaignPatch, 'body', { kpis: [{ metric: 'reach', target: 1 }, { metric: 'reach', target: 2 }] }))).toEqual(['$.body.kpis']);
  });

  it('refuses an unknown brand, product or partner and money in another currency, and stores nothing', async () => {
    const brand = await newBrand();
    const product = await createProduct(testContext(), admin, aProduct());
    const partner = await createPartner(testContext(), admin, aPartner());
    const input = campaignCreate.parse(
      aCampaign(brand.id, { productIds: [product.id, UNKNOWN], partnerIds: [UNKNOWN, partner.id], budget: { amount: 100, currency: 'USD' } }),
    );
    const error = await rejection(createCampaign(testContext(), market, input));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).errors.map((e) => e.path)).toEqual(['$.body.budget.currency', '$.body.productIds[1]', '$.body.partnerIds[0]']);
    const noBrand = await rejection(createCampaign(testContext(), market, campaignCreate.parse(aCampaign(UNKNOWN))));
    expect((noBrand as ValidationError).errors.map((e) => e.path)).toEqual(['$.body.brandId']);
    expect((await listCampaigns(market, { brandId: brand.id, limit: 100 })).items).toEqual([]);
  });

  it('refuses a patch naming an unknown product and leaves the campaign as it was', async () => {
    const campaign = await newCampaign();
    await expect(updateCampaign(testContext(), market, campaign.id, campaignPatch.parse({ productIds: [UNKNOWN], name: 'Renamed' }), 1)).rejects.toThrow(ValidationError);
    expect(await getCampaign(campaign.id)).toEqual(campaign);
  });
});

describe('campaigns: create, change and list', () => {
  it('stores the campaign planned, with no spend yet and KPI units and attainment derived', async () => {
    const campaign = await newCampaign({ kpis: [{ metric: 'reach', target: 200_000, actual: 50_000 }, { metric: 'share-of-voice', target: 12.5, actual: 10 }, { metric: 'leads', target: 0, actual: 3 }] });
    expect(campaign).toMatchObject({ status: 'planned', version: 1, actualSpend: { amount: 0, currency: 'CNY' }, createdBy: 'marketer@example.com' });
    expect(campaign.kpis).toEqual([
      { metric: 'reach', unit: 'count', target: 200_000, actual: 50_000, attainmentPercent: 25 },
      { metric: 'share-of-voice', unit: 'percent', target: 12.5, actual: 10, attainmentPercent: 80 },
      { metric: 'leads', unit: 'count', target: 0, actual: 3, attainmentPercent: null },
    ]);
    expect(await getCampaign(campaign.id)).toEqual(campaign);
  });

  it('updates spend with If-Match: a stale one is 412 and changes nothing', async () => {
    const campaign = await newCampaign();
    const spent = await updateCampaign(testContext(), market, campaign.id, campaignPatch.parse({ actualSpend: { amount: 1_200_000, currency: 'CNY' } }), 1);
    expect(spent).toMatchObject({ version: 2, actualSpend: { amount: 1_200_000 } });
    await expect(updateCampaign(testContext(), market, campaign.id, campaignPatch.parse({ actualSpend: { amount: 1, currency: 'CNY' } }), 1)).rejects.toThrow(PreconditionFailedError);
    expect((await getCampaign(campaign.id)).actualSpend).toEqual({ amount: 1_200_000, currency: 'CNY' });
  });

  it('moves status planned → active → completed and refuses other moves with 409', async () => {
    const campaign = await newCampaign();
    await expect(updateCampaign(testContext(), market, campaign.id, campaignPatch.parse({ status: 'completed' }), undefined)).rejects.toThrow(ConflictError);
    const active = await updateCampaign(testContext(fixedClock('2026-11-05T09:00:00Z')), market, campaign.id, campaignPatch.parse({ status: 'active' }), undefined);
    expect(active).toMatchObject({ status: 'active', statusChangedAt: '2026-11-05T09:00:00.000Z', statusChangedBy: 'marketer@example.com' });
    const done = await updateCampaign(testContext(), market, campaign.id, campaignPatch.parse({ status: 'completed' }), undefined);
    await expect(updateCampaign(testContext(), market, campaign.id, campaignPatch.parse({ status: 'active' }), undefined)).rejects.toThrow(ConflictError);
    expect((await getCampaign(campaign.id)).version).toBe(done.version);
  });

  it('lists by brand, by status and by channel through their indexes, paging without repeats', async () => {
    const brand = await newBrand();
    const tag = unique('list');
    const made: Campaign[] = [];
    for (const channel of ['advertising', 'trade-show', 'advertising', 'pr-event'] as const) made.push(await newCampaign({ channel, name: `${tag} ${channel}` }, brand.id));
    const first = made[0] as Campaign;
    await updateCampaign(testContext(), market, first.id, campaignPatch.parse({ status: 'active' }), undefined);
    const ids = (campaigns: Campaign[]) => campaigns.map((campaign) => campaign.id);
    const mine = new Set(ids(made));
    const newestFirst = ids(made).reverse();

    expect(ids((await listCampaigns(market, { brandId: brand.id, limit: 100 })).items)).toEqual(newestFirst);
    expect(ids((await listCampaigns(market, { brandId: brand.id, channel: 'advertising', limit: 100 })).items)).toEqual([made[2]?.id, made[0]?.id]);
    expect(ids((await listCampaigns(market, { brandId: brand.id, status: 'planned', limit: 100 })).items)).toEqual(newestFirst.filter((id) => id !== first.id));
    const active = (await listCampaigns(market, { status: 'active', limit: 100 })).items;
    expect(ids(active).filter((id) => mine.has(id))).toEqual([first.id]);
    expect(active.every((campaign) => campaign.status === 'active')).toBe(true);
    const fairs = (await listCampaigns(market, { channel: 'trade-show', limit: 100 })).items;
    expect(ids(fairs).filter((id) => mine.has(id))).toEqual([made[1]?.id]);
    expect(fairs.every((campaign) => campaign.channel === 'trade-show')).toBe(true);

    const paged: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listCampaigns(market, { brandId: brand.id, limit: 3, cursor });
      paged.push(...ids(page.items));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(paged).toEqual(newestFirst);
  });

  it('shows budget and spend to market, management and admin only', async () => {
    const campaign = await newCampaign();
    for (const actor of [market, management, admin]) expect(await readCampaign(actor, campaign.id)).toHaveProperty('budget');
    const forRnd = await readCampaign(rnd, campaign.id);
    expect(forRnd).not.toHaveProperty('budget');
    expect(forRnd).not.toHaveProperty('actualSpend');
    expect(forRnd).toMatchObject({ id: campaign.id, name: campaign.name, kpis: campaign.kpis });
    const listed = (await listCampaigns(rnd, { brandId: campaign.brandId, limit: 10 })).items;
    expect(listed).toHaveLength(1);
    expect(listed[0]).not.toHaveProperty('budget');
  });
});

describe('materials: the approval flow', () => {
  it('goes draft → review → approved → retired, recording who and when; only the market head or management approve', async () => {
    const campaign = await newCampaign();
    const clock = fixedClock('2026-11-10T02:00:00Z');
    const material = await createMaterial(testContext(clock), market, campaign.id, aMaterial());
    expect(material).toMatchObject({ status: 'draft', history: [], url: 'https://files.example.com/s2-winter.pdf', version: 1 });
    const inReview = await moveMaterial(testContext(clock), market, campaign.id, material.id, 'submit', 1);

    await updateDepartment(testContext(), admin, 'market', { head: { name: 'Market Head', email: 'Head.Of.Market@example.com' } }, undefined);
    await expect(moveMaterial(testContext(), market, campaign.id, material.id, 'approve', undefined)).rejects.toThrow(ForbiddenError);
    await expect(moveMaterial(testContext(), admin, campaign.id, material.id, 'approve', undefined)).rejects.toThrow(ForbiddenError);
    const head = anActor(['market'], { email: 'head.of.market@example.com' });
    clock.set('2026-11-11T03:00:00Z');
    const approved = await moveMaterial(testContext(clock), head, campaign.id, material.id, 'approve', inReview.version);
    expect(approved).toMatchObject({ status: 'approved', approvedAt: '2026-11-11T03:00:00.000Z', approvedBy: 'head.of.market@example.com', version: 3 });
    const retired = await moveMaterial(testContext(clock), market, campaign.id, material.id, 'retire', undefined);
    expect(retired.history).toEqual([
      { action: 'submit', from: 'draft', to: 'review', at: '2026-11-10T02:00:00.000Z', by: 'marketer@example.com' },
      { action: 'approve', from: 'review', to: 'approved', at: '2026-11-11T03:00:00.000Z', by: 'head.of.market@example.com' },
      { action: 'retire', from: 'approved', to: 'retired', at: '2026-11-11T03:00:00.000Z', by: 'marketer@example.com' },
    ]);
    for (const action of ['submit', 'retire'] as const) await expect(moveMaterial(testContext(), market, campaign.id, material.id, action, undefined)).rejects.toThrow(ConflictError);
    await expect(moveMaterial(testContext(), management, campaign.id, material.id, 'approve', undefined)).rejects.toThrow(ConflictError);
  });

  it('refuses illegal moves with 409, sends a rejected material back to draft with its reason, and lets management approve', async () => {
    const campaign = await newCampaign();
    const material = await createMaterial(testContext(), market, campaign.id, aMaterial({ kind: 'video', format: 'MP4 1080p', url: undefined, language: 'en' }));
    for (const action of ['approve', 'reject', 'retire'] as const) {
      const error = await rejection(moveMaterial(testContext(), management, campaign.id, material.id, action, undefined, 'x'));
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as ConflictError).extensions).toMatchObject({ currentStatus: 'draft', allowed: ['submit'] });
    }
    await moveMaterial(testContext(), market, campaign.id, material.id, 'submit', undefined);
    const rejected = await moveMaterial(testContext(), management, campaign.id, material.id, 'reject', undefined, 'Logo too small.');
    expect(rejected).toMatchObject({ status: 'draft', version: 3 });
    expect(rejected.history.at(-1)).toMatchObject({ action: 'reject', from: 'review', to: 'draft', by: 'boss@example.com', reason: 'Logo too small.' });
    await moveMaterial(testContext(), market, campaign.id, material.id, 'submit', undefined);
    await expect(moveMaterial(testContext(), management, campaign.id, material.id, 'approve', 3)).rejects.toThrow(PreconditionFailedError);
    const approved = await moveMaterial(testContext(), management, campaign.id, material.id, 'approve', 4);
    expect(approved.status).toBe('approved');
    expect((await listMaterials(campaign.id, { limit: 10 })).items).toEqual([approved]);
    await expect(createMaterial(testContext(), market, UNKNOWN, aMaterial())).rejects.toThrow(NotFoundError);
  });
});

describe('campaigns: ROI from the sales figures', () => {
  /** Products with figures written straight into the aggregates, as shipments would. */
  async function productsWithSales(sales: Array<Record<string, { revenue: number; cost: number; grossProfit: number; quantity: number }>>): Promise<string[]> {
    const products = await Promise.all(sales.map(() => createProduct(testContext(), admin, aProduct())));
    const actions = products.flatMap((product, index) =>
      Object.entries(sales[index] ?? {}).map(([month, figures]) => salesDeltaAction('product', month, product.id, { ...figures, orders: 1 })),
    );
    await transactWrite(actions, () => new Error('unexpected condition'));
    return products.map((product) => product.id);
  }

  it('joins the spend with the related products’ sales in the campaign’s months, exactly', async () => {
    const productIds = await productsWithSales([
      {
        '2026-09': { revenue: 100_000, cost: 60_000, grossProfit: 40_000, quantity: 5 },
        '2026-10': { revenue: 100_000, cost: 60_000, grossProfit: 40_000, quantity: 5 },
        '2026-11': { revenue: 1_000_000, cost: 600_000, grossProfit: 400_000, quantity: 50 },
        '2026-12': { revenue: 500_000, cost: 300_000, grossProfit: 200_000, quantity: 25 },
        '2027-01': { revenue: 999_999, cost: 0, grossProfit: 999_999, quantity: 1 },
      },
      {
        '2026-10': { revenue: 30_000, cost: 20_000, grossProfit: 10_000, quantity: 1 },
        '2026-12': { revenue: 90_000, cost: 60_000, grossProfit: 30_000, quantity: 3 },
      },
    ]);
    const [first, second] = productIds as [string, string];
    const campaign = await newCampaign({ productIds, period: { from: '2026-11-15', to: '2026-12-20' }, actualSpend: { amount: 300_000, currency: 'CNY' } });

    const roi = await campaignRoi(testContext(fixedClock('2026-12-05T00:00:00Z')), campaign.id, { baseline: false });
    // Gross profit 400,000 + 200,000 + 30,000 = 630,000 against 300,000 spent: (630,000 − 300,000) ÷ 300,000 = 110 %.
    expect(roi).toMatchObject({
      complete: false,
      spend: { amount: 300_000, currency: 'CNY' },
      budget: { amount: 5_000_000, currency: 'CNY' },
      sales: { firstMonth: '2026-11', lastMonth: '2026-12', revenue: { amount: 1_590_000, currency: 'CNY' }, grossProfit: { amount: 630_000 }, quantity: 78 },
      baseline: null,
      attributableGrossProfit: { amount: 630_000, currency: 'CNY' },
      roiPercent: 110,
      attribution: { rule: 'all-sales-in-period' },
    });
    expect(roi.byProduct).toEqual([
      { productId: first, revenue: { amount: 1_500_000, currency: 'CNY' }, grossProfit: { amount: 600_000, currency: 'CNY' }, quantity: 75 },
      { productId: second, revenue: { amount: 90_000, currency: 'CNY' }, grossProfit: { amount: 30_000, currency: 'CNY' }, quantity: 3 },
    ]);
    expect(roi.attribution.detail).toContain('2026-11 to 2026-12');

    const uplift = await campaignRoi(testContext(fixedClock('2027-01-02T00:00:00Z')), campaign.id, { baseline: true });
    // Baseline Sep–Oct: 40,000 + 40,000 + 10,000 = 90,000; attributable 540,000; (540,000 − 300,000) ÷ 300,000 = 80 %.
    expect(uplift).toMatchObject({
      complete: true,
      baseline: { firstMonth: '2026-09', lastMonth: '2026-10', revenue: { amount: 230_000 }, grossProfit: { amount: 90_000 }, quantity: 11 },
      attributableGrossProfit: { amount: 540_000 },
      roiPercent: 80,
      attribution: { rule: 'uplift-over-baseline' },
    });
  });

  it('rounds the ROI half-up to two decimals and gives none while nothing is spent', async () => {
    const productIds = await productsWithSales([{ '2026-11': { revenue: 3_000, cost: 2_000, grossProfit: 1_000, quantity: 1 } }]);
    const campaign = await newCampaign({ productIds, period: { from: '2026-11-01', to: '2026-11-30' } });
    expect((await campaignRoi(testContext(), campaign.id, { baseline: false })).roiPercent).toBeNull();
    await updateCampaign(testContext(), market, campaign.id, campaignPatch.parse({ actualSpend: { amount: 300, currency: 'CNY' } }), 1);
    // (1,000 − 300) ÷ 300 = 233.333… %.
    expect((await campaignRoi(testContext(), campaign.id, { baseline: false })).roiPercent).toBe(233.33);
    await updateCampaign(testContext(), market, campaign.id, campaignPatch.parse({ actualSpend: { amount: 1_500, currency: 'CNY' } }), 2);
    // (1,000 − 1,500) ÷ 1,500 = −33.333… %.
    expect((await campaignRoi(testContext(), campaign.id, { baseline: false })).roiPercent).toBe(-33.33);
  });
});
