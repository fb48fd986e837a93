import * as z from 'zod';
import { pageQuery, pageSchema } from '../../platform/pagination';
import { auditFields, currencyCode, isoDate, isoDateTime, money, text, ulid } from '../../platform/schema';
import { campaignChannel } from '../brands/schema';

/**
 * Campaigns of a brand, their KPIs and materials, and the ROI view. Money is integer minor
 * units in the company currency (the ROI compares it with the sales figures, kept in it).
 */
export { CAMPAIGN_CHANNELS, campaignChannel, type CampaignChannel } from '../brands/schema';

const uniqueBy = <T>(values: T[], key: (value: T) => string) => new Set(values.map(key)).size === values.length;

export const CAMPAIGN_STATUSES = ['planned', 'active', 'completed', 'cancelled'] as const;
export const campaignStatus = z.enum(CAMPAIGN_STATUSES);
export type CampaignStatus = z.infer<typeof campaignStatus>;

/** The longest campaign: its ROI reads this many months (and as many again for the baseline). */
export const MAX_CAMPAIGN_MONTHS = 24;
export const MAX_KPIS = 20;
export const MAX_PRODUCTS = 20;
export const MAX_PARTNERS = 20;

/** Counted KPIs are whole numbers; share-type KPIs are percentages 0–100 with two decimals. */
export const COUNT_KPIS = ['reach', 'impressions', 'leads', 'conversions', 'engagements', 'site-visits', 'media-mentions', 'event-attendees'] as const;
export const SHARE_KPIS = ['share-of-voice', 'engagement-rate', 'conversion-rate', 'click-through-rate'] as const;
export const kpiMetric = z.enum([...COUNT_KPIS, ...SHARE_KPIS]);
export type KpiMetric = z.infer<typeof kpiMetric>;
export function isShareKpi(metric: KpiMetric): boolean {
  return (SHARE_KPIS as readonly string[]).includes(metric);
}

function monthCount(from: string, to: string): number {
  const [fromYear, fromMonth] = from.split('-').map(Number) as [number, number];
  const [toYear, toMonth] = to.split('-').map(Number) as [number, number];
  return (toYear - fromYear) * 12 + (toMonth - fromMonth) + 1;
}

export const campaignPeriod = z
  .object({ from: isoDate, to: isoDate })
  .strict()
  .superRefine((range, context) => {
    if (range.from > range.to) context.addIssue({ code: 'custom', path: ['to'], message: 'from must not be after to' });
    else if (monthCount(range.from, range.to) > MAX_CAMPAIGN_MONTHS) context.addIssue({ code: 'custom', path: ['to'], message: `a campaign spans at most ${MAX_CAMPAIGN_MONTHS} calendar months` });
  })
  .describe(`Inclusive dates (company calendar), at most ${MAX_CAMPAIGN_MONTHS} calendar months.`);
export type CampaignPeriod = z.infer<typeof campaignPeriod>;

const kpiValue = z.number().min(0).max(Number.MAX_SAFE_INTEGER);

const kpiInput = z
  .object({
    metric: kpiMetric,
    target: kpiValue,
    actual: kpiValue.optional().describe('Measured so far; omit until measured.'),
  })
  .strict()
  .superRefine((kpi, context) => {
    const share = isShareKpi(kpi.metric);
    for (const field of ['target', 'actual'] as const) {
      const value = kpi[field];
      if (value === undefined) continue;
      if (share && (value > 100 || Math.round(value * 100) !== value * 100)) {
        context.addIssue({ code: 'custom', path: [field], message: `${kpi.metric} is a share: 0–100 %, at most two decimals` });
      }
      if (!share && !Number.isInteger(value)) context.addIssue({ code: 'custom', path: [field], message: `${kpi.metric} is a count: a whole number` });
    }
  });
export type KpiInput = z.infer<typeof kpiInput>;

const kpis = z
  .array(kpiInput)
  .max(MAX_KPIS)
  .refine((list) => uniqueBy(list, (kpi) => kpi.metric), 'each metric at most once')
  .describe(`KPIs (at most ${MAX_KPIS}, each metric once). Counts (${COUNT_KPIS.join(', ')}) are whole numbers; shares (${SHARE_KPIS.join(', ')}) are 0–100 %.`);

export const kpiView = z
  .object({
    metric: kpiMetric,
    unit: z.enum(['count', 'percent']),
    target: z.number(),
    actual: z.number().optional(),
    attainmentPercent: z.number().nullable().describe('actual ÷ target × 100, rounded half-up to 2 decimals; null until measured or when the target is 0.'),
  })
  .strict();
export type Kpi = z.infer<typeof kpiView>;

const ids = (max: number, what: string) =>
  z
    .array(ulid)
    .max(max)
    .refine((list) => uniqueBy(list, (id) => id), 'each id at most once')
    .describe(`${what} (at most ${max}); each must exist.`);

const notes = z.string().trim().max(4000);

const campaignFields = {
  name: text(160),
  description: z.string().trim().max(4000),
  channel: campaignChannel,
  period: campaignPeriod,
  budget: money.describe('Planned spend, company currency.'),
  actualSpend: money.describe('Spent so far, company currency.'),
  targetAudience: z.string().trim().max(1000),
  kpis,
  productIds: ids(MAX_PRODUCTS, 'Related catalog products: the ROI reads their sales'),
  partnerIds: ids(MAX_PARTNERS, 'Partners in the campaign (co-marketing)'),
  status: campaignStatus,
  notes,
};

export const campaignCreate = z
  .object({
    brandId: ulid.describe('The brand the campaign belongs to; it must exist.'),
    name: campaignFields.name,
    description: campaignFields.description.optional(),
    channel: campaignFields.channel,
    period: campaignFields.period,
    budget: campaignFields.budget,
    actualSpend: campaignFields.actualSpend.optional().describe('Spent so far, company currency; 0 when omitted.'),
    targetAudience: campaignFields.targetAudience.optional(),
    kpis: kpis.default([]),
    productIds: campaignFields.productIds.default([]),
    partnerIds: campaignFields.partnerIds.default([]),
    notes: notes.optional(),
  })
  .strict();
export type CampaignCreate = z.infer<typeof campaignCreate>;

export const campaignPatch = z
  .object({
    ...campaignFields,
    description: campaignFields.description.nullable(),
    targetAudience: campaignFields.targetAudience.nullable(),
    notes: notes.nullable(),
    status: campaignStatus.describe('planned → active → completed; planned or active → cancelled.'),
  })
  .strict()
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'send at least one field to change')
  .describe('Fields to change (lists are replaced whole); the brand cannot change. Send If-Match with spend updates.');
export type CampaignPatch = z.infer<typeof campaignPatch>;

export const campaignView = z
  .object({
    id: ulid,
    brandId: ulid,
    name: z.string(),
    description: z.string().optional(),
    channel: campaignChannel,
    period: z.object({ from: isoDate, to: isoDate }).strict(),
    budget: money.optional().describe('Shown to market, management and admin only.'),
    actualSpend: money.optional().describe('Shown to market, management and admin only.'),
    targetAudience: z.string().optional(),
    kpis: z.array(kpiView),
    productIds: z.array(ulid),
    partnerIds: z.array(ulid),
    status: campaignStatus,
    statusChangedAt: isoDateTime,
    statusChangedBy: z.string(),
    notes: z.string().optional(),
    ...auditFields,
  })
  .strict();
export type Campaign = z.infer<typeof campaignView>;

export const campaignListQuery = z
  .object({
    brandId: ulid.optional(),
    status: campaignStatus.optional(),
    channel: campaignChannel.optional(),
    ...pageQuery,
  })
  .strict();
export type CampaignListQuery = z.infer<typeof campaignListQuery>;
export const campaignPage = pageSchema(campaignView);

// ---- materials -------------------------------------------------------------------------------

export const MATERIAL_KINDS = ['brochure', 'poster', 'video'] as const;
export const MATERIAL_STATUSES = ['draft', 'review', 'approved', 'retired'] as const;
export const materialStatus = z.enum(MATERIAL_STATUSES);
export type MaterialStatus = z.infer<typeof materialStatus>;
export const MATERIAL_ACTIONS = ['submit', 'approve', 'reject', 'retire'] as const;
export type MaterialAction = (typeof MATERIAL_ACTIONS)[number];
/** Review rounds are bounded so a material's history always fits its item. */
export const MAX_MATERIAL_HISTORY = 60;

export const materialCreate = z
  .object({
    title: text(200),
    kind: z.enum(MATERIAL_KINDS),
    format: text(60).describe('e.g. "PDF A4", "A1 print", "MP4 1080p, 30 s".'),
    url: z.string().trim().max(2000).optional().describe('Where the file lives — stored as plain text, never fetched by the server.'),
    language: z
      .string()
      .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'a BCP 47 language tag, e.g. zh-CN or en')
      .describe('BCP 47 language tag.'),
    notes: z.string().trim().max(2000).optional(),
  })
  .strict();
export type MaterialCreate = z.infer<typeof materialCreate>;

export const materialReject = z.object({ reason: text(1000) }).strict();
export type MaterialReject = z.infer<typeof materialReject>;

const materialStep = z
  .object({
    action: z.enum(MATERIAL_ACTIONS),
    from: materialStatus,
    to: materialStatus,
    at: isoDateTime,
    by: z.string(),
    reason: z.string().optional(),
  })
  .strict();

export const materialView = materialCreate
  .extend({
    id: ulid,
    campaignId: ulid,
    status: materialStatus,
    history: z.array(materialStep).describe('Every move of the approval flow: who, when, from and to (a rejection with its reason).'),
    approvedAt: isoDateTime.optional(),
    approvedBy: z.string().optional(),
    ...auditFields,
  })
  .strict();
export type Material = z.infer<typeof materialView>;
export type MaterialStep = z.infer<typeof materialStep>;

export const campaignParams = z.object({ id: ulid.describe('The campaign.') }).strict();
export const materialParams = z.object({ id: ulid.describe('The campaign.'), materialId: ulid }).strict();
export const materialListQuery = z.object({ ...pageQuery }).strict();
export type MaterialListQuery = z.infer<typeof materialListQuery>;
export const materialPage = pageSchema(materialView);

// ---- ROI -------------------------------------------------------------------------------------

/** Sales figures may be negative in a span where returns exceed shipments. */
const signedMoney = z.object({ amount: z.number().int(), currency: currencyCode }).strict();

export const ATTRIBUTION_RULES = ['all-sales-in-period', 'uplift-over-baseline'] as const;

export const roiQuery = z
  .object({
    baseline: z
      .stringbool()
      .default(false)
      .describe('`true`: attribute only the gross profit above the same number of months just before the campaign.'),
  })
  .strict();
export type RoiQuery = z.infer<typeof roiQuery>;

const figures = z
  .object({
    firstMonth: z.string(),
    lastMonth: z.string(),
    revenue: signedMoney,
    grossProfit: signedMoney,
    quantity: z.number().int(),
  })
  .strict();

export const roiView = z
  .object({
    campaignId: ulid,
    brandId: ulid,
    period: z.object({ from: isoDate, to: isoDate }).strict(),
    productIds: z.array(ulid),
    computedAt: isoDateTime,
    complete: z.boolean().describe('The campaign’s last month is before the current month (company time zone): its figures are final.'),
    budget: money,
    spend: money,
    sales: figures.describe('Shipped sales of the related products in the campaign’s months (returns deducted), from the sales figures.'),
    byProduct: z.array(z.object({ productId: ulid, revenue: signedMoney, grossProfit: signedMoney, quantity: z.number().int() }).strict()),
    baseline: figures.nullable().describe('The same products in the same number of months just before the campaign; null unless asked for.'),
    attributableGrossProfit: signedMoney,
    roiPercent: z.number().nullable().describe('(attributable gross profit − spend) ÷ spend × 100, rounded half-up to 2 decimals; null when nothing was spent.'),
    attribution: z.object({ rule: z.enum(ATTRIBUTION_RULES), detail: z.string() }).strict().describe('How the gross profit was attributed — derived, never typed.'),
  })
  .strict();
export type Roi = z.infer<typeof roiView>;
