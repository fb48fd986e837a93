import * as z from 'zod';
import { pageQuery, pageSchema } from '../platform/pagination';
import { auditFields, currencyCode, isoDate, isoDateTime, money, regionCode, text, ulid } from '../platform/schema';
import { period } from '../sales/period';

/**
 * Channels (where products are sold), partners (the distributors and agents who sell them),
 * their agreements and their periodic evaluations. Amounts are integer minor units; agreement
 * amounts must be in the company currency, because they are compared with the sales figures.
 */

const uniqueBy = <T>(values: T[], key: (value: T) => string) => new Set(values.map(key)).size === values.length;
/** Percentages with at most two decimals (2.5 %, 33.33 %): exact in basis points. */
const percent = z.number().min(0).max(100).multipleOf(0.01);
const region = regionCode.describe('A sales region code, spelt as customers’ regions are (the sales figures are keyed by it).');
const notes = z.string().trim().max(4000);

export type Money = z.infer<typeof money>;

// ---- channels --------------------------------------------------------------------------------

export const CHANNEL_KINDS = ['online', 'offline'] as const;
export const channelKind = z.enum(CHANNEL_KINDS);
export type ChannelKind = z.infer<typeof channelKind>;

export const CHANNEL_TYPES = ['e-commerce', 'company-site', 'distributor', 'agent', 'direct-store'] as const;
export const channelType = z.enum(CHANNEL_TYPES);
export type ChannelType = z.infer<typeof channelType>;

/** Which types each kind has: online is e-commerce platforms and the company site, offline the rest. */
export const CHANNEL_TYPES_BY_KIND: Record<ChannelKind, readonly ChannelType[]> = {
  online: ['e-commerce', 'company-site'],
  offline: ['distributor', 'agent', 'direct-store'],
};

export function kindOfType(type: ChannelType): ChannelKind {
  return CHANNEL_TYPES_BY_KIND.online.includes(type) ? 'online' : 'offline';
}

/** Channel types run by a partner of the same kind (a distributor channel by a distributor). */
export const PARTNER_CHANNEL_TYPES = ['distributor', 'agent'] as const satisfies readonly ChannelType[];
export function isPartnerChannelType(type: ChannelType): type is (typeof PARTNER_CHANNEL_TYPES)[number] {
  return (PARTNER_CHANNEL_TYPES as readonly ChannelType[]).includes(type);
}

export const MAX_STRENGTHS = 20;

const channelResources = z
  .object({
    period: period.optional().describe('The period the allocation is for.'),
    budget: money.optional().describe('Money allocated to the channel.'),
    headcount: z.number().int().min(0).max(100_000).optional().describe('People assigned to the channel.'),
    notes: z.string().trim().max(1000).optional(),
  })
  .strict()
  .describe('Resources allocated to the channel.');

const channelFields = {
  name: text(120),
  strengths: z
    .array(text(200))
    .max(MAX_STRENGTHS)
    .describe(`What the channel is good at (at most ${MAX_STRENGTHS}), weighed when resources are allocated.`),
  notes,
  resources: channelResources,
  active: z.boolean(),
};

export const channelCreate = z
  .object({
    name: channelFields.name,
    kind: channelKind,
    type: channelType.describe('online: e-commerce, company-site; offline: distributor, agent, direct-store.'),
    partnerId: ulid.optional().describe('Required for distributor and agent channels (a partner of that kind); not allowed otherwise.'),
    strengths: channelFields.strengths.default([]),
    notes: notes.optional(),
    resources: channelResources.optional(),
    active: z.boolean().default(true),
  })
  .strict()
  .superRefine((channel, context) => {
    if (!CHANNEL_TYPES_BY_KIND[channel.kind].includes(channel.type)) {
      context.addIssue({
        code: 'custom',
        path: ['type'],
        message: `${channel.kind} channels are ${CHANNEL_TYPES_BY_KIND[channel.kind].join(', ')}`,
      });
    }
    if (isPartnerChannelType(channel.type) && channel.partnerId === undefined) {
      context.addIssue({ code: 'custom', path: ['partnerId'], message: `required for ${channel.type} channels` });
    }
    if (!isPartnerChannelType(channel.type) && channel.partnerId !== undefined) {
      context.addIssue({ code: 'custom', path: ['partnerId'], message: `only distributor and agent channels have a partner` });
    }
  });
export type ChannelCreate = z.infer<typeof channelCreate>;

export const channelPatch = z
  .object({
    name: channelFields.name,
    partnerId: ulid.describe('Another partner of the same kind (distributor and agent channels only).'),
    strengths: channelFields.strengths,
    notes: notes.nullable(),
    resources: channelResources.nullable(),
    active: channelFields.active,
  })
  .strict()
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'send at least one field to change')
  .describe('Fields to change; kind and type are what the channel is and cannot change (create another channel).');
export type ChannelPatch = z.infer<typeof channelPatch>;

export const channelView = z
  .object({
    id: ulid,
    name: z.string(),
    kind: channelKind,
    type: channelType,
    partnerId: ulid.optional(),
    strengths: z.array(z.string()),
    notes: z.string().optional(),
    resources: channelResources.optional(),
    active: z.boolean(),
    ...auditFields,
  })
  .strict();
export type Channel = z.infer<typeof channelView>;

export const channelListQuery = z
  .object({
    kind: channelKind.optional(),
    type: channelType.optional(),
    partnerId: ulid.optional(),
    active: z.stringbool().optional().describe('`true` or `false`.'),
    ...pageQuery,
  })
  .strict()
  .refine((q) => !(q.kind && q.type) || kindOfType(q.type) === q.kind, { message: 'this type is not of this kind', path: ['type'] });
export type ChannelListQuery = z.infer<typeof channelListQuery>;
export const channelPage = pageSchema(channelView);

// ---- partners --------------------------------------------------------------------------------

export const PARTNER_KINDS = ['distributor', 'agent'] as const;
export const partnerKind = z.enum(PARTNER_KINDS);
export type PartnerKind = z.infer<typeof partnerKind>;

export const PARTNER_STATUSES = ['prospective', 'active', 'suspended', 'terminated'] as const;
export const partnerStatus = z.enum(PARTNER_STATUSES);
export type PartnerStatus = z.infer<typeof partnerStatus>;

export const MAX_REGIONS = 50;

const regions = z
  .array(region)
  .min(1)
  .max(MAX_REGIONS)
  .refine((list) => uniqueBy(list, (value) => value), 'each region at most once');

const partnerContact = z
  .object({
    name: text(120),
    role: z.string().trim().max(120).optional(),
    phone: z.string().trim().regex(/^[+0-9()\s-]{3,40}$/, 'digits, spaces, "+", "-", "(" and ")"').optional(),
    email: z.email().max(254).optional(),
    address: z.string().trim().max(400).optional(),
  })
  .strict();

export const partnerCreate = z
  .object({
    name: text(120),
    kind: partnerKind,
    regions: regions.describe(`The regions the partner covers (1–${MAX_REGIONS}).`),
    contact: partnerContact,
    status: partnerStatus.default('active'),
    notes: notes.optional(),
  })
  .strict();
export type PartnerCreate = z.infer<typeof partnerCreate>;

export const partnerPatch = z
  .object({
    name: text(120),
    regions,
    contact: partnerContact,
    status: partnerStatus,
    notes: notes.nullable(),
  })
  .strict()
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'send at least one field to change')
  .describe('Fields to change; the kind cannot change (channels and agreements depend on it). Signed agreements keep their own regions.');
export type PartnerPatch = z.infer<typeof partnerPatch>;

export const partnerView = z
  .object({
    id: ulid,
    name: z.string(),
    kind: partnerKind,
    regions: z.array(z.string()),
    contact: partnerContact.optional().describe('Omitted for the market role (it sees partners, not their contacts).'),
    status: partnerStatus,
    notes: z.string().optional(),
    ...auditFields,
  })
  .strict();
export type Partner = z.infer<typeof partnerView>;

export const partnerListQuery = z
  .object({
    kind: partnerKind.optional(),
    region: region.optional(),
    status: partnerStatus.optional(),
    ...pageQuery,
  })
  .strict();
export type PartnerListQuery = z.infer<typeof partnerListQuery>;
export const partnerPage = pageSchema(partnerView);

// ---- agreements ------------------------------------------------------------------------------

export const MAX_PRICES = 200;
export const MAX_TARGETS = 60;
export const MAX_REBATE_TIERS = 10;

const dateRange = z
  .object({ from: isoDate, to: isoDate })
  .strict()
  .refine((range) => range.from <= range.to, { message: 'from must not be after to', path: ['to'] })
  .describe('Inclusive dates. Agreements of one partner never overlap.');

const price = z.object({ productId: ulid, unitPrice: money }).strict();

const pricing = z
  .discriminatedUnion('kind', [
    z
      .object({
        kind: z.literal('price-list'),
        prices: z
          .array(price)
          .min(1)
          .max(MAX_PRICES)
          .refine((list) => uniqueBy(list, (entry) => entry.productId), 'each product at most once')
          .describe(`Unit prices for catalog products (1–${MAX_PRICES}).`),
      })
      .strict(),
    z.object({ kind: z.literal('discount'), percent: percent.describe('Discount off the catalog list price, 0–100 %.') }).strict(),
  ])
  .describe('A price list, or a discount off the list price.');

const target = z
  .object({
    period: period.describe('A period within the agreement’s months.'),
    revenue: money.refine((value) => value.amount > 0, { message: 'a target is more than 0', path: ['amount'] }),
  })
  .strict();

const targets = z
  .array(target)
  .max(MAX_TARGETS)
  .superRefine((list, context) => {
    const seen = new Set<string>();
    list.forEach((entry, index) => {
      if (seen.has(entry.period)) context.addIssue({ code: 'custom', path: [index, 'period'], message: 'one target per period' });
      seen.add(entry.period);
    });
  })
  .describe(`Revenue targets per period (at most ${MAX_TARGETS}); an evaluation of a period compares with the target of exactly that period.`);

const rebateTier = z
  .object({
    attainmentPercent: z.number().min(0).max(1000).multipleOf(0.01).describe('Reached when actual revenue ≥ this % of the target.'),
    rebatePercent: z.number().gt(0).max(100).multipleOf(0.01).describe('Rebate owed, as % of the period’s actual revenue.'),
  })
  .strict();
export type RebateTier = z.infer<typeof rebateTier>;

const rebateTiers = z
  .array(rebateTier)
  .max(MAX_REBATE_TIERS)
  .superRefine((list, context) => {
    list.forEach((tier, index) => {
      const previous = list[index - 1];
      if (previous && tier.attainmentPercent <= previous.attainmentPercent) {
        context.addIssue({ code: 'custom', path: [index, 'attainmentPercent'], message: 'attainment thresholds must be strictly increasing' });
      }
    });
  })
  .describe(`Rebate tiers, attainment strictly increasing (at most ${MAX_REBATE_TIERS}); the highest tier reached applies.`);

const agreementFields = {
  period: dateRange,
  regions: regions.describe('The regions the agreement covers: some or all of the partner’s regions when it is made.'),
  pricing,
  targets,
  rebateTiers,
  paymentTermsDays: z.number().int().min(0).max(365).describe('Days after invoice.'),
  afterSalesTerms: z.string().trim().min(1).max(4000).describe('Who handles after-sales service, returns and warranty, and how.'),
  notes,
};

export const agreementCreate = z
  .object({
    ...agreementFields,
    targets: targets.default([]),
    rebateTiers: rebateTiers.default([]),
    notes: notes.optional(),
  })
  .strict();
export type AgreementCreate = z.infer<typeof agreementCreate>;

export const agreementPatch = z
  .object({ ...agreementFields, notes: notes.nullable() })
  .strict()
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'send at least one field to change')
  .describe('Fields to change; the whole agreement is checked again (and its period against the partner’s other agreements).');
export type AgreementPatch = z.infer<typeof agreementPatch>;

export const agreementView = z
  .object({
    id: ulid,
    partnerId: ulid,
    period: z.object({ from: isoDate, to: isoDate }).strict(),
    regions: z.array(z.string()),
    pricing,
    targets: z.array(target),
    rebateTiers: z.array(rebateTier),
    paymentTermsDays: z.number().int(),
    afterSalesTerms: z.string(),
    notes: z.string().optional(),
    ...auditFields,
  })
  .strict();
export type Agreement = z.infer<typeof agreementView>;
export type Pricing = Agreement['pricing'];

export const partnerParams = z.object({ id: ulid.describe('The partner.') }).strict();
export const agreementParams = z.object({ id: ulid.describe('The partner.'), agreementId: ulid }).strict();
export const evaluationParams = z.object({ id: ulid.describe('The partner.'), evaluationId: ulid }).strict();

export const agreementListQuery = z.object({ ...pageQuery }).strict();
export type AgreementListQuery = z.infer<typeof agreementListQuery>;
export const agreementPage = pageSchema(agreementView);

// ---- performance and evaluations -------------------------------------------------------------

/** Sales figures may be negative in a period where returns exceed shipments. */
const signedMoney = z.object({ amount: z.number().int(), currency: currencyCode }).strict();

export const REBATE_STATUSES = ['computed', 'period-open', 'no-target'] as const;

export const performanceView = z
  .object({
    partnerId: ulid,
    period,
    firstMonth: z.string(),
    lastMonth: z.string(),
    closed: z.boolean().describe('The period’s last month is before the current month in the company time zone.'),
    computedAt: isoDateTime,
    actual: z
      .object({
        revenue: signedMoney,
        grossProfit: signedMoney,
        quantity: z.number().int(),
        orders: z.number().int(),
      })
      .strict()
      .describe('Shipped sales through the partner in the period (returns deducted), from the sales figures.'),
    agreementId: ulid.nullable().describe('Of the agreements in force during the period, the one with a target for exactly that period; else the latest; null when none is.'),
    target: money.nullable(),
    attainmentPercent: z.number().nullable().describe('actual revenue ÷ target × 100, rounded half-up to 2 decimals (tiers compare exactly).'),
    rebate: z
      .object({
        status: z.enum(REBATE_STATUSES),
        tier: rebateTier.nullable().describe('The highest tier reached; null when none is.'),
        amount: money.nullable().describe('Revenue × rebate %, in minor units rounded half-up; 0 when no tier is reached; null unless computed.'),
        detail: z.string(),
      })
      .strict()
      .describe('Owed only for a closed period, computed from the agreement’s tiers; never entered.'),
  })
  .strict();
export type Performance = z.infer<typeof performanceView>;

export const performanceQuery = z.object({ period }).strict();

export const GRADES = ['A', 'B', 'C', 'D'] as const;
export type Grade = (typeof GRADES)[number];
export const MAX_CRITERIA = 20;

const criterion = z
  .object({
    name: text(80),
    weight: z.number().int().min(1).max(100).describe('Whole percent; the weights of an evaluation sum to 100.'),
    score: z.number().min(0).max(100).multipleOf(0.01),
  })
  .strict();

export const evaluationCreate = z
  .object({
    period,
    criteria: z
      .array(criterion)
      .min(1)
      .max(MAX_CRITERIA)
      .superRefine((list, context) => {
        const total = list.reduce((sum, entry) => sum + entry.weight, 0);
        if (total !== 100) context.addIssue({ code: 'custom', message: `the weights sum to ${total}; they must sum to exactly 100` });
        const seen = new Set<string>();
        list.forEach((entry, index) => {
          const key = entry.name.toLowerCase();
          if (seen.has(key)) context.addIssue({ code: 'custom', path: [index, 'name'], message: 'each criterion at most once' });
          seen.add(key);
        });
      })
      .describe(`Weighted criteria (1–${MAX_CRITERIA}); weights sum to exactly 100.`),
    comments: z.string().trim().max(4000).optional(),
  })
  .strict();
export type EvaluationCreate = z.infer<typeof evaluationCreate>;

export const evaluationView = z
  .object({
    id: ulid,
    partnerId: ulid,
    period,
    criteria: z.array(criterion),
    score: z.number().describe('Σ weight × score ÷ 100, rounded half-up to 2 decimals.'),
    grade: z.enum(GRADES).describe('A ≥ 90, B ≥ 75, C ≥ 60, D below.'),
    comments: z.string().optional(),
    performance: performanceView.describe('Actual against target and the rebate, as computed when the evaluation was made.'),
    ...auditFields,
  })
  .strict();
export type Evaluation = z.infer<typeof evaluationView>;

export const evaluationListQuery = z.object({ ...pageQuery }).strict();
export const evaluationPage = pageSchema(evaluationView);
