import { getProduct } from '../../catalog/service';
import { getSettings } from '../../organization/service';
import { getPartner } from '../../partners/service';
import { createdStamp, updatedStamp } from '../../platform/audit';
import type { Actor } from '../../platform/auth';
import type { ServiceContext } from '../../platform/context';
import { ConflictError, NotFoundError, ValidationError, type FieldError } from '../../platform/errors';
import { divideRoundHalfUp } from '../../platform/exact';
import type { Page } from '../../platform/pagination';
import { cursorScope } from '../../platform/query';
import { localMonth } from '../../platform/time';
import { assertIfMatch, lostUpdateError } from '../../platform/versioning';
import { salesFor, ZERO_FIGURES, addFigures, type SalesFigures } from '../../sales/aggregates';
import { monthOf, monthsBetween } from '../../sales/period';
import { getBrand } from '../brands/service';
import { seesCampaignMoney } from './access';
import { isShareKpi, type Campaign, type CampaignCreate, type CampaignListQuery, type CampaignPatch, type CampaignStatus, type Kpi, type KpiInput, type Roi, type RoiQuery } from './schema';
import { getCampaignRecord, insertCampaign, queryCampaigns, replaceCampaign } from './store';

export type { Campaign, Roi } from './schema';

/** Where a campaign's status may go: planned → active → completed; planned or active → cancelled. */
const NEXT_STATUS: Record<CampaignStatus, readonly CampaignStatus[]> = {
  planned: ['active', 'cancelled'],
  active: ['completed', 'cancelled'],
  completed: [],
  cancelled: [],
};

// ---- who sees what ---------------------------------------------------------------------------

/** The campaign as the actor may see it: budget and spend only for market, management and admin. */
export function campaignAsSeenBy(actor: Actor, campaign: Campaign): Campaign {
  if (seesCampaignMoney(actor)) return campaign;
  const { budget: _budget, actualSpend: _spend, ...rest } = campaign;
  return rest;
}

// ---- campaigns -------------------------------------------------------------------------------

export async function createCampaign(context: ServiceContext, actor: Actor, input: CampaignCreate): Promise<Campaign> {
  const { currency } = await getSettings();
  const [errors, missingBrand] = await Promise.all([checkReferences(input, () => true, currency), missing([input.brandId], getBrand)]);
  if (missingBrand.size) errors.unshift({ path: '$.body.brandId', message: `no brand ${input.brandId}` });
  throwIfInvalid(errors);
  const stamp = createdStamp(context, actor);
  const { kpis, actualSpend, ...rest } = input;
  const campaign: Campaign = {
    id: context.newId(),
    ...rest,
    actualSpend: actualSpend ?? { amount: 0, currency },
    kpis: kpis.map(kpiOf),
    status: 'planned',
    statusChangedAt: stamp.createdAt,
    statusChangedBy: stamp.createdBy,
    ...stamp,
  };
  await insertCampaign(campaign);
  return campaign;
}

export async function getCampaign(id: string): Promise<Campaign> {
  const campaign = await getCampaignRecord(id);
  if (!campaign) throw new NotFoundError(`No campaign ${id}.`);
  return campaign;
}

export async function readCampaign(actor: Actor, id: string): Promise<Campaign> {
  return campaignAsSeenBy(actor, await getCampaign(id));
}

export async function listCampaigns(actor: Actor, query: CampaignListQuery): Promise<Page<Campaign>> {
  const page = await queryCampaigns(query, cursorScope('campaigns', query));
  return { ...page, items: page.items.map((campaign) => campaignAsSeenBy(actor, campaign)) };
}

export async function updateCampaign(context: ServiceContext, actor: Actor, id: string, patch: CampaignPatch, ifMatch: number | undefined): Promise<Campaign> {
  const current = await getCampaign(id);
  assertIfMatch(ifMatch, current.version);
  const { currency } = await getSettings();
  throwIfInvalid(await checkReferences(patch, (field) => field in patch, currency));
  const { description, targetAudience, notes, kpis, status, ...rest } = patch;
  const stamp = updatedStamp(context, actor, current);
  const next: Campaign = { ...current, ...rest, ...stamp };
  if (kpis !== undefined) next.kpis = kpis.map(kpiOf);
  if (description === null) delete next.description;
  else if (description !== undefined) next.description = description;
  if (targetAudience === null) delete next.targetAudience;
  else if (targetAudience !== undefined) next.targetAudience = targetAudience;
  if (notes === null) delete next.notes;
  else if (notes !== undefined) next.notes = notes;
  if (status !== undefined && status !== current.status) {
    if (!NEXT_STATUS[current.status].includes(status)) {
      const allowed = NEXT_STATUS[current.status];
      throw new ConflictError(
        `A ${current.status} campaign cannot become ${status}; ${allowed.length ? `it can become ${allowed.join(' or ')}` : 'it is finished'}.`,
        { currentStatus: current.status, allowed },
      );
    }
    Object.assign(next, { status, statusChangedAt: stamp.updatedAt, statusChangedBy: stamp.updatedBy });
  }
  await replaceCampaign(next, current.version, () => lostUpdateError(ifMatch));
  return next;
}

type References = Partial<Pick<CampaignCreate, 'budget' | 'actualSpend' | 'productIds' | 'partnerIds'>>;

/**
 * What a schema cannot check alone: money in the company currency (the ROI compares it with the
 * sales figures), related products in the catalog and partners that exist. `sent` says which
 * fields the request carried, so an error points at them.
 */
async function checkReferences(input: References, sent: (field: keyof References) => boolean, currency: string): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  for (const field of ['budget', 'actualSpend'] as const) {
    const value = input[field];
    if (sent(field) && value && value.currency !== currency) errors.push({ path: `$.body.${field}.currency`, message: `campaign money is in the company currency ${currency}` });
  }
  const [missingProducts, missingPartners] = await Promise.all([
    sent('productIds') ? missing(input.productIds ?? [], getProduct) : new Set<string>(),
    sent('partnerIds') ? missing(input.partnerIds ?? [], getPartner) : new Set<string>(),
  ]);
  (input.productIds ?? []).forEach((productId, index) => {
    if (missingProducts.has(productId)) errors.push({ path: `$.body.productIds[${index}]`, message: `no product ${productId}` });
  });
  (input.partnerIds ?? []).forEach((partnerId, index) => {
    if (missingPartners.has(partnerId)) errors.push({ path: `$.body.partnerIds[${index}]`, message: `no partner ${partnerId}` });
  });
  return errors;
}

/** Which of `ids` (≤ 20, bounded by the schema) `read` does not find. */
async function missing(ids: readonly string[], read: (id: string) => Promise<unknown>): Promise<Set<string>> {
  const absent = new Set<string>();
  await Promise.all(
    ids.map((id) =>
      read(id).catch((error: unknown) => {
        if (!(error instanceof NotFoundError)) throw error;
        absent.add(id);
      }),
    ),
  );
  return absent;
}

function throwIfInvalid(errors: FieldError[]): void {
  if (errors.length) throw new ValidationError(`The campaign is invalid: ${errors.map((error) => `${error.path} ${error.message}`).join('; ')}`, errors);
}

/** Shares carry two decimals and counts none, so both are exact in hundredths. */
function hundredths(value: number): bigint {
  return BigInt(Math.round(value * 100));
}

/** A KPI with its unit and attainment (actual ÷ target × 100, half-up to 2 decimals). */
export function kpiOf(input: KpiInput): Kpi {
  const attainmentPercent =
    input.actual === undefined || input.target === 0 ? null : Number(divideRoundHalfUp(hundredths(input.actual) * 10_000n, hundredths(input.target))) / 100;
  return { metric: input.metric, unit: isShareKpi(input.metric) ? 'percent' : 'count', target: input.target, ...(input.actual !== undefined ? { actual: input.actual } : {}), attainmentPercent };
}

// ---- ROI -------------------------------------------------------------------------------------

/** `month` moved by `delta` months. */
function shiftMonth(month: string, delta: number): string {
  const [year, number] = month.split('-').map(Number) as [number, number];
  const index = year * 12 + (number - 1) + delta;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

const figuresOver = (perMonth: Map<string, SalesFigures>, months: readonly string[]) =>
  months.reduce((sum, month) => addFigures(sum, perMonth.get(month) ?? ZERO_FIGURES), { ...ZERO_FIGURES });

/**
 * The campaign's return on its spend, from the sales figures of its related products over the
 * campaign's months (whole company-local months) — computed on every read, never typed.
 * Attribution: all their gross profit in those months, or (with `baseline`) only what exceeds
 * their gross profit in the same number of months just before. ROI = (attributable − spend) ÷ spend.
 */
export async function campaignRoi(context: ServiceContext, id: string, query: RoiQuery): Promise<Roi> {
  const campaign = await getCampaign(id);
  const months = monthsBetween(monthOf(campaign.period.from), monthOf(campaign.period.to));
  const firstMonth = months[0] as string;
  const lastMonth = months.at(-1) as string;
  const baselineMonths = query.baseline ? monthsBetween(shiftMonth(firstMonth, -months.length), shiftMonth(firstMonth, -1)) : [];
  const [settings, perProduct] = await Promise.all([
    getSettings(),
    Promise.all(campaign.productIds.map(async (productId) => ({ productId, perMonth: await salesFor('product', productId, [...baselineMonths, ...months]) }))),
  ]);
  const { currency, timeZone } = settings;
  const budget = campaign.budget as NonNullable<Campaign['budget']>;
  const spend = campaign.actualSpend as NonNullable<Campaign['actualSpend']>;
  if (spend.currency !== currency) {
    throw new ConflictError(`The campaign’s spend is in ${spend.currency} but the sales figures are in the company currency ${currency}; correct the spend first.`);
  }
  const amount = (value: number) => ({ amount: value, currency });
  const byProduct = perProduct.map(({ productId, perMonth }) => ({ productId, figures: figuresOver(perMonth, months) }));
  const total = byProduct.reduce((sum, row) => addFigures(sum, row.figures), { ...ZERO_FIGURES });
  const baselineTotal = query.baseline ? perProduct.reduce((sum, row) => addFigures(sum, figuresOver(row.perMonth, baselineMonths)), { ...ZERO_FIGURES }) : undefined;
  const attributable = total.grossProfit - (baselineTotal?.grossProfit ?? 0);
  const roiPercent = spend.amount === 0 ? null : Number(divideRoundHalfUp((BigInt(attributable) - BigInt(spend.amount)) * 10_000n, BigInt(spend.amount))) / 100;
  const span = `${firstMonth} to ${lastMonth} (${months.length} whole month${months.length === 1 ? '' : 's'}, ${timeZone})`;
  const products = `the ${campaign.productIds.length} related product${campaign.productIds.length === 1 ? '' : 's'}`;
  const shared = 'Sales are shipments net of returns at their booked revenue and standard cost; a product in several campaigns at once counts in each.';
  const detail = query.baseline
    ? `Attributed: the gross profit of ${products} in ${span} minus their gross profit in the ${months.length} month(s) just before (${baselineMonths[0]} to ${baselineMonths.at(-1)}); it may be negative. ${shared}`
    : `Attributed: all gross profit of ${products} in ${span}. This is an upper bound — sales that would have happened without the campaign count too; ask with baseline=true for the uplift over the months before. ${shared}`;
  return {
    campaignId: campaign.id,
    brandId: campaign.brandId,
    period: campaign.period,
    productIds: campaign.productIds,
    computedAt: context.clock.now().toISOString(),
    complete: lastMonth < localMonth(context.clock.now(), timeZone),
    budget,
    spend,
    sales: { firstMonth, lastMonth, revenue: amount(total.revenue), grossProfit: amount(total.grossProfit), quantity: total.quantity },
    byProduct: byProduct.map(({ productId, figures }) => ({ productId, revenue: amount(figures.revenue), grossProfit: amount(figures.grossProfit), quantity: figures.quantity })),
    baseline: baselineTotal
      ? {
          firstMonth: baselineMonths[0] as string,
          lastMonth: baselineMonths.at(-1) as string,
          revenue: amount(baselineTotal.revenue),
          grossProfit: amount(baselineTotal.grossProfit),
          quantity: baselineTotal.quantity,
        }
      : null,
    attributableGrossProfit: amount(attributable),
    roiPercent,
    attribution: {
      rule: query.baseline ? 'uplift-over-baseline' : 'all-sales-in-period',
      detail: campaign.productIds.length === 0 ? `The campaign names no related products: nothing is attributed. ${detail}` : detail,
    },
  };
}
