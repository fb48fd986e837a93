import * as z from 'zod';
import { pageQuery, pageSchema } from '../../platform/pagination';
import { auditFields, isoDate, isoDateTime, money, regionCode, text, ulid } from '../../platform/schema';
import { MAX_QUERY_TOKENS } from './tokens';

export const INTEL_KINDS = [
  'competitor-move',
  'price-change',
  'product-launch',
  'regulation',
  'industry-report',
  'customer-research',
  'trend',
  'sales-field-report',
  'other',
] as const;
export const intelKind = z.enum(INTEL_KINDS);
export type IntelKind = z.infer<typeof intelKind>;

/** The only kind `sales` may record: what reps hear in the field. */
export const SALES_KIND: IntelKind = 'sales-field-report';
/** Kinds that email the market head and the product owners when recorded at importance 3. */
export const ALERT_KINDS: readonly IntelKind[] = ['competitor-move', 'price-change'];
export const ALERT_IMPORTANCE = 3;

export const SOURCE_TYPES = ['industry-report', 'news', 'forum', 'survey', 'trade-show', 'sales-field-report'] as const;
export const SENTIMENTS = ['threat', 'opportunity', 'neutral'] as const;

export const MAX_TAGS = 10;
export const MAX_PRODUCTS = 10;
export const MAX_COMPETITORS = 10;
export const MAX_ATTACHMENTS = 20;
export const MAX_BODY_CHARS = 20_000;

const unique = <T>(values: readonly T[]) => new Set(values).size === values.length;

/** Plain text: stored and shown, never fetched or followed by the server. */
const url = z
  .string()
  .trim()
  .max(2000)
  .regex(/^https?:\/\/\S+$/i, 'an http(s) address')
  .describe('Kept as plain text: the server never fetches it.');

export const tag = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[\p{L}\p{N}][\p{L}\p{N}._-]{0,39}$/u, 'letters, digits, ".", "_" or "-", at most 40; compared in lower case');

const source = z
  .object({
    type: z.enum(SOURCE_TYPES),
    name: text(200).describe('Publisher, site, forum, survey or fair, e.g. "IDC China".'),
    url: url.optional(),
  })
  .strict();

const attachment = z
  .object({
    name: text(200),
    contentType: z.string().regex(/^[\w.+-]+\/[\w.+-]+$/, 'a media type such as application/pdf'),
    sizeBytes: z.number().int().min(0).max(10 * 1024 ** 3),
    url: url.optional().describe('Where the file lives (plain text, never fetched).'),
  })
  .strict()
  .describe('Metadata only: postlaunch does not store or fetch files.');

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month, yyyy-mm');
export const category = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{0,59}$/, 'a product category: letters, digits, ".", "_" or "-", at most 60 (compared in lower case)');

const percent = (min: number, max: number) =>
  z
    .number()
    .min(min)
    .max(max)
    .refine((value) => Math.abs(value * 100 - Math.round(value * 100)) < 1e-6, 'at most 2 decimals');

export const figures = z
  .object({
    marketSize: z
      .union([money, z.object({ value: z.number().min(0).max(Number.MAX_SAFE_INTEGER), unit: text(30).describe('e.g. "units", "households"') }).strict()])
      .optional()
      .describe('Money (minor units and currency) or a number with its unit.'),
    growthRatePercent: percent(-100, 10_000).optional(),
    sharePercent: percent(0, 100).optional().describe('A share, 0–100 %.'),
    period: text(30).describe('What the figures cover, e.g. "2026", "2026-Q3", "2026-11".'),
    category: category.optional().describe('With `month`: the product category whose market figures this fills (see docs/decisions.md).'),
    month: month.optional(),
  })
  .strict()
  .refine((value) => value.marketSize !== undefined || value.growthRatePercent !== undefined || value.sharePercent !== undefined, 'give at least one figure')
  .refine((value) => (value.category === undefined) === (value.month === undefined), 'category and month go together');
export type IntelFigures = z.infer<typeof figures>;

export const price = z
  .object({
    amount: money,
    competitorId: ulid.optional().describe('Whose price; may be left out when the entry names exactly one competitor.'),
    competitorProduct: text(120).optional(),
  })
  .strict()
  .describe('Only on a price-change entry: becomes a price point of the competitor.');

const fields = {
  title: text(200),
  summary: text(2000),
  body: z.string().max(MAX_BODY_CHARS).describe(`At most ${MAX_BODY_CHARS} characters; not searched.`),
  kind: intelKind,
  source,
  observedOn: isoDate.describe('When it happened or was observed (company-local day, not in the future).'),
  region: regionCode,
  productIds: z
    .array(ulid)
    .max(MAX_PRODUCTS)
    .refine(unique, 'no duplicates')
    .describe(`Our products it concerns (at most ${MAX_PRODUCTS}; each must exist).`),
  competitorIds: z
    .array(ulid)
    .max(MAX_COMPETITORS)
    .refine(unique, 'no duplicates')
    .describe(`Competitors it concerns (at most ${MAX_COMPETITORS}; each must exist).`),
  figures,
  price,
  sentiment: z.enum(SENTIMENTS),
  importance: z.number().int().min(1).max(3).describe('1 low … 3 high; 3 on a competitor move or price change emails the market head.'),
  tags: z.array(tag).max(MAX_TAGS).refine(unique, 'no duplicates'),
  attachments: z.array(attachment).max(MAX_ATTACHMENTS),
};

export const intelCreate = z
  .object({
    ...fields,
    body: fields.body.optional(),
    region: fields.region.optional(),
    productIds: fields.productIds.default([]),
    competitorIds: fields.competitorIds.default([]),
    figures: fields.figures.optional(),
    price: fields.price.optional(),
    sentiment: fields.sentiment.default('neutral'),
    importance: fields.importance.default(1),
    tags: fields.tags.default([]),
    attachments: fields.attachments.default([]),
  })
  .strict();
export type IntelCreate = z.infer<typeof intelCreate>;

export const intelPatch = z
  .object({
    title: fields.title,
    summary: fields.summary,
    body: fields.body.nullable(),
    kind: fields.kind,
    source: fields.source,
    observedOn: fields.observedOn,
    region: fields.region.nullable(),
    productIds: fields.productIds,
    competitorIds: fields.competitorIds,
    figures: fields.figures.nullable(),
    price: fields.price.nullable(),
    sentiment: fields.sentiment,
    importance: fields.importance,
    tags: fields.tags,
    attachments: fields.attachments,
  })
  .strict()
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'send at least one field to change')
  .describe('Fields to change; `null` clears an optional one.');
export type IntelPatch = z.infer<typeof intelPatch>;

export const intelView = z
  .object({
    id: ulid,
    title: z.string(),
    summary: z.string(),
    body: z.string().optional(),
    kind: intelKind,
    source,
    observedOn: isoDate,
    region: z.string().optional(),
    productIds: z.array(ulid),
    competitorIds: z.array(ulid),
    figures: figures.optional(),
    price: z.object({ amount: money, competitorId: ulid, competitorProduct: z.string().optional() }).strict().optional(),
    sentiment: z.enum(SENTIMENTS),
    importance: z.number().int(),
    tags: z.array(z.string()),
    attachments: z.array(attachment),
    alertedAt: isoDateTime.optional().describe('When the entry first qualified for the importance-3 email (it is sent once per entry).'),
    ...auditFields,
  })
  .strict();
export type IntelEntry = z.infer<typeof intelView>;

/** Lists leave the body out: pages stay small however long the entries are. */
export const intelListItem = intelView.omit({ body: true });
export type IntelListItem = z.infer<typeof intelListItem>;

const filters = {
  kind: intelKind.optional(),
  productId: ulid.optional(),
  competitorId: ulid.optional(),
  region: regionCode.optional(),
  tag: tag.optional(),
  importance: z.coerce.number().int().min(1).max(3).optional(),
  from: isoDate.optional().describe('Observed on or after this day.'),
  to: isoDate.optional().describe('Observed on or before this day.'),
};

export const intelListQuery = z
  .object({ ...filters, ...pageQuery })
  .strict()
  .refine((query) => !query.from || !query.to || query.from <= query.to, { message: 'from must not be after to', path: ['from'] })
  .describe('Newest first (by observed day). One filter drives the index read; any others are checked on the entries it yields.');
export type IntelListQuery = z.infer<typeof intelListQuery>;

export const intelSearchQuery = z
  .object({
    q: z.string().trim().min(1).max(200).describe(`Words of the title or summary (all must match; at most ${MAX_QUERY_TOKENS} distinct words; no prefixes, no ranking).`),
    ...filters,
    ...pageQuery,
  })
  .strict()
  .refine((query) => !query.from || !query.to || query.from <= query.to, { message: 'from must not be after to', path: ['from'] });
export type IntelSearchQuery = z.infer<typeof intelSearchQuery>;

export const intelPage = pageSchema(intelListItem);
