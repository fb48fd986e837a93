import * as z from 'zod';
import { pageQuery, pageSchema } from '../../platform/pagination';
import { auditFields, isoDate, money, text, ulid } from '../../platform/schema';
import { intelListItem } from '../intel/schema';

export const MAX_COMPETITOR_PRODUCTS = 50;
export const MAX_MATCHED_PRODUCTS = 10;
export const MAX_NOTES = 20;
/** Price points and timeline entries shown on a competitor's page (newest first). */
export const COMPETITOR_PAGE_PRICE_POINTS = 50;
export const COMPETITOR_PAGE_TIMELINE = 25;

const unique = <T>(values: readonly T[]) => new Set(values).size === values.length;

const competitorProduct = z
  .object({
    name: text(120).describe('The competitor’s product, e.g. "Lockly Vision".'),
    competesWith: z
      .array(ulid)
      .max(MAX_MATCHED_PRODUCTS)
      .refine(unique, 'no duplicates')
      .describe(`Our products it sells against (at most ${MAX_MATCHED_PRODUCTS}; each must exist).`),
  })
  .strict();

const notes = z.array(text(500)).max(MAX_NOTES);

const fields = {
  name: text(120).describe('Unique, compared case- and accent-insensitively.'),
  website: z
    .string()
    .trim()
    .max(2000)
    .regex(/^https?:\/\/\S+$/i, 'an http(s) address')
    .describe('Plain text: never fetched.'),
  description: z.string().trim().max(4000),
  products: z
    .array(competitorProduct)
    .max(MAX_COMPETITOR_PRODUCTS)
    .refine((products) => unique(products.map((product) => product.name.toLowerCase())), 'product names must be unique')
    .describe(`Their products, each mapped to ours (at most ${MAX_COMPETITOR_PRODUCTS}).`),
  strengths: notes,
  weaknesses: notes,
};

export const competitorCreate = z
  .object({
    ...fields,
    website: fields.website.optional(),
    description: fields.description.optional(),
    products: fields.products.default([]),
    strengths: fields.strengths.default([]),
    weaknesses: fields.weaknesses.default([]),
  })
  .strict();
export type CompetitorCreate = z.infer<typeof competitorCreate>;

export const competitorPatch = z
  .object({
    name: fields.name,
    website: fields.website.nullable(),
    description: fields.description.nullable(),
    products: fields.products,
    strengths: fields.strengths,
    weaknesses: fields.weaknesses,
  })
  .strict()
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'send at least one field to change');
export type CompetitorPatch = z.infer<typeof competitorPatch>;

export const competitorView = z
  .object({
    id: ulid,
    name: z.string(),
    website: z.string().optional(),
    description: z.string().optional(),
    products: z.array(competitorProduct),
    strengths: z.array(z.string()),
    weaknesses: z.array(z.string()),
    ...auditFields,
  })
  .strict();
export type Competitor = z.infer<typeof competitorView>;

export const pricePointView = z
  .object({
    competitorId: ulid,
    entryId: ulid.describe('The price-change entry it came from.'),
    observedOn: isoDate,
    amount: money,
    competitorProduct: z.string().optional(),
    region: z.string().optional(),
  })
  .strict();
export type PricePoint = z.infer<typeof pricePointView>;

export const competitorPageView = competitorView
  .extend({
    pricePoints: z.array(pricePointView).describe(`Newest first, the latest ${COMPETITOR_PAGE_PRICE_POINTS}.`),
    timeline: pageSchema(intelListItem).describe(
      `Their entries, newest first: the first ${COMPETITOR_PAGE_TIMELINE}; \`GET /market-intel?competitorId=\` with the cursor pages on.`,
    ),
  })
  .strict();
export type CompetitorPage = z.infer<typeof competitorPageView>;

export const competitorListQuery = z.object({ name: z.string().trim().max(120).optional().describe('Name prefix (case- and accent-insensitive).'), ...pageQuery }).strict();
export type CompetitorListQuery = z.infer<typeof competitorListQuery>;
export const competitorListPage = pageSchema(competitorView);
