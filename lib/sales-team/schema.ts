import * as z from 'zod';
import { pageQuery, pageSchema } from '../platform/pagination';
import { auditFields, currencyCode, isoDate, money, regionCode, text, ulid } from '../platform/schema';
import { month, period } from '../sales/period';

// ---- shared pieces -------------------------------------------------------------------------

export { regionCode };

const userId = z
  .string()
  .trim()
  .min(1)
  .max(128)
  .describe('The rep’s user id (the Cognito `sub`); one rep per user.');

// ---- reps ----------------------------------------------------------------------------------

const repFields = {
  userId,
  name: text(120),
  email: z.email().max(254).optional(),
  region: regionCode,
  managerId: ulid.optional().describe('Another active rep who manages this one.'),
  hiredOn: isoDate.describe('Date the rep joined the sales team.'),
};

export const repCreate = z
  .object({ ...repFields, active: z.boolean().default(true).describe('Defaults to true.') })
  .strict();
export type RepCreate = z.infer<typeof repCreate>;

export const repPatch = z
  .object({
    userId: userId.optional(),
    name: repFields.name.optional(),
    email: z.email().max(254).nullable().optional().describe('null removes it.'),
    region: regionCode.optional(),
    managerId: ulid.nullable().optional().describe('null removes the manager.'),
    hiredOn: isoDate.optional(),
    active: z.boolean().optional(),
  })
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, 'send at least one field to change');
export type RepPatch = z.infer<typeof repPatch>;

export const repView = z
  .object({
    id: ulid,
    ...repFields,
    active: z.boolean(),
    ...auditFields,
  })
  .strict();
export type SalesRep = z.infer<typeof repView>;

export const repListQuery = z
  .object({
    region: regionCode.optional(),
    managerId: ulid.optional().describe('Reps reporting directly to this rep.'),
    active: z.enum(['true', 'false']).optional(),
    userId: userId.optional().describe('The rep of one user (at most one).'),
    ...pageQuery,
  })
  .strict();
export type RepListQuery = z.infer<typeof repListQuery>;
export const repPage = pageSchema(repView);

// ---- training records ----------------------------------------------------------------------

/** The training areas the company rules name for the sales team. */
export const TRAINING_TOPICS = ['product', 'selling', 'market', 'service'] as const;
export const TRAINING_RESULTS = ['passed', 'failed', 'attended'] as const;
export const MAX_TRAINING_HOURS = 500;

export const trainingCreate = z
  .object({
    course: text(200),
    topic: z.enum(TRAINING_TOPICS),
    date: isoDate.describe('Day the training ended; not after today (company time zone).'),
    hours: z.number().positive().max(MAX_TRAINING_HOURS).describe(`Hours of training, more than 0 and at most ${MAX_TRAINING_HOURS}.`),
    result: z.enum(TRAINING_RESULTS),
    score: z.number().min(0).max(100).optional().describe('Assessment score 0–100; only with passed or failed.'),
    note: z.string().trim().max(1000).optional(),
  })
  .strict()
  .refine((training) => training.score === undefined || training.result !== 'attended', {
    message: 'a score needs an assessment: result passed or failed',
    path: ['score'],
  });
export type TrainingCreate = z.infer<typeof trainingCreate>;

export const trainingView = z
  .object({
    id: ulid,
    repId: ulid,
    course: z.string(),
    topic: z.enum(TRAINING_TOPICS),
    date: isoDate,
    hours: z.number(),
    result: z.enum(TRAINING_RESULTS),
    score: z.number().optional(),
    note: z.string().optional(),
    ...auditFields,
  })
  .strict();
export type Training = z.infer<typeof trainingView>;

export const trainingListQuery = z
  .object({
    topic: z.enum(TRAINING_TOPICS).optional(),
    ...pageQuery,
  })
  .strict();
export type TrainingListQuery = z.infer<typeof trainingListQuery>;
export const trainingPage = pageSchema(trainingView);

// ---- targets -------------------------------------------------------------------------------

export const TARGET_SCOPES = ['rep', 'region'] as const;
export const targetScope = z.enum(TARGET_SCOPES);
export type TargetScope = z.infer<typeof targetScope>;

/** Targets are set per month or per quarter; a year's target is the sum of its quarters. */
export const targetPeriod = z
  .string()
  .regex(/^\d{4}-((0[1-9]|1[0-2])|Q[1-4])$/, 'a month (2026-11) or a quarter (2026-Q4)')
  .describe('A month `yyyy-mm` or a quarter `yyyy-Qn`.');

/** The subject id: a rep's ULID for scope `rep`, a region code for scope `region`. */
function checkSubject(value: { scope: TargetScope; id: string }, context: z.RefinementCtx): void {
  const schema = value.scope === 'rep' ? ulid : regionCode;
  const checked = schema.safeParse(value.id);
  if (!checked.success) {
    context.addIssue({ code: 'custom', path: ['id'], message: `for scope ${value.scope}: ${checked.error.issues[0]?.message ?? 'invalid'}` });
  }
}

export const targetParams = z
  .object({
    scope: targetScope,
    id: z.string().min(1).max(40).describe('The rep’s id (scope `rep`) or the region code (scope `region`).'),
    period: targetPeriod,
  })
  .strict()
  .superRefine(checkSubject);
export type TargetParams = z.infer<typeof targetParams>;

export const MAX_NEW_CUSTOMERS_TARGET = 1_000_000;

export const targetInput = z
  .object({
    revenue: money.optional().describe('Net revenue, in the company currency.'),
    grossProfit: money.optional().describe('Gross profit (revenue − standard cost of goods), in the company currency.'),
    newCustomers: z.number().int().min(0).max(MAX_NEW_CUSTOMERS_TARGET).optional().describe('Customers buying for the first time.'),
    satisfaction: z.number().min(1).max(5).optional().describe('Average customer satisfaction, 1–5.'),
    note: z.string().trim().max(500).optional(),
  })
  .strict()
  .refine(
    (target) => [target.revenue, target.grossProfit, target.newCustomers, target.satisfaction].some((measure) => measure !== undefined),
    'set at least one measure: revenue, grossProfit, newCustomers or satisfaction',
  )
  .refine((target) => !target.revenue || !target.grossProfit || target.grossProfit.amount <= target.revenue.amount, {
    message: 'gross profit cannot exceed revenue',
    path: ['grossProfit', 'amount'],
  })
  .describe('The whole target (PUT replaces it). Money in the company currency (settings).');
export type TargetInput = z.infer<typeof targetInput>;

export const targetView = z
  .object({
    scope: targetScope,
    subjectId: z.string().describe('The rep’s id or the region code.'),
    period: targetPeriod,
    deadline: isoDate.describe('Last day of the period: the target is due by the end of it.'),
    revenue: money.optional(),
    grossProfit: money.optional(),
    newCustomers: z.number().int().optional(),
    satisfaction: z.number().optional(),
    note: z.string().optional(),
    ...auditFields,
  })
  .strict();
export type SalesTarget = z.infer<typeof targetView>;

export const targetListQuery = z
  .object({
    scope: targetScope.optional(),
    id: z.string().min(1).max(40).optional().describe('With `scope`: that rep’s or region’s targets, latest period first.'),
    period: targetPeriod.optional().describe('Alone (or with `scope`): every target set for that period.'),
    ...pageQuery,
  })
  .strict()
  .superRefine((query, context) => {
    if (query.id !== undefined && query.scope === undefined) context.addIssue({ code: 'custom', path: ['scope'], message: 'needed with id' });
    if (query.id === undefined && query.period === undefined) context.addIssue({ code: 'custom', path: ['period'], message: 'give scope and id, or a period' });
    if (query.id !== undefined && query.scope !== undefined) checkSubject({ scope: query.scope, id: query.id }, context);
  });
export type TargetListQuery = z.infer<typeof targetListQuery>;
export const targetPage = pageSchema(targetView);

// ---- scorecards ----------------------------------------------------------------------------

export const scorecardQuery = z
  .object({ period: period.describe('A month, a quarter or a year.') })
  .strict();
export type ScorecardQuery = z.infer<typeof scorecardQuery>;

export const regionParams = z.object({ region: regionCode }).strict();

/** Actual figures may be negative (returns in a month with few sales), unlike prices. */
const signedMoney = z.object({ amount: z.number().int(), currency: currencyCode }).strict();

const attainment = z.number().nullable().describe('actual ÷ target × 100, one decimal; null without a target (or with a target of 0).');

const moneyMeasure = z.object({ target: money.nullable(), actual: signedMoney, attainmentPercent: attainment }).strict();
const countMeasure = z.object({ target: z.number().int().nullable(), actual: z.number().int(), attainmentPercent: attainment }).strict();
const unmeasured = z
  .object({
    target: z.number().nullable(),
    actual: z.null(),
    attainmentPercent: z.null(),
    reason: z.string(),
  })
  .strict();

export const TARGET_BASES = ['exact', 'quarter-pro-rata', 'sum-of-months', 'sum-of-quarters', 'none'] as const;
export type TargetBasis = (typeof TARGET_BASES)[number];

export const scorecardView = z
  .object({
    scope: targetScope,
    subjectId: z.string(),
    name: z.string().optional().describe('The rep’s name (rep scorecards).'),
    period,
    months: z.array(month),
    deadline: isoDate,
    closed: z.boolean().describe('The period has ended (company time zone): the figures are final unless goods come back.'),
    target: z
      .object({
        basis: z.enum(TARGET_BASES).describe(
          'exact: the period’s own target; quarter-pro-rata: a month without its own target gets a third of its quarter’s (money and counts split so the months add up exactly; satisfaction as is); sum-of-months: a quarter without its own target, from its three month targets; sum-of-quarters: a year, from its four quarters (each its own or its months’); none.',
        ),
        periods: z.array(targetPeriod).describe('The stored targets it was computed from.'),
      })
      .strict(),
    measures: z
      .object({
        revenue: moneyMeasure,
        grossProfit: moneyMeasure,
        newCustomers: countMeasure,
        satisfaction: unmeasured,
      })
      .strict(),
    orders: z.number().int().describe('Orders shipped in the period (context, no target).'),
  })
  .strict();
export type Scorecard = z.infer<typeof scorecardView>;
