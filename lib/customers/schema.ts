import * as z from 'zod';
import { pageQuery, pageSchema } from '../platform/pagination';
import { auditFields, currencyCode, isoDate, isoDateTime, regionCode, text, ulid } from '../platform/schema';

// ---- customers ------------------------------------------------------------------------------

export const CUSTOMER_TYPES = ['business', 'consumer'] as const;
export const customerType = z.enum(CUSTOMER_TYPES);
export type CustomerType = z.infer<typeof customerType>;

/** Bounded so that a customer item stays small (it is copied once into the segment index). */
export const MAX_CONTACTS = 20;
export const MAX_PREFERENCES = 20;
export const MAX_TAGS = 20;

const phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9][0-9 ()./-]{3,29}$/, 'digits, spaces and ( ) . / -, optionally starting with +, 4–30 characters');

export const contact = z
  .object({
    name: text(120),
    phone: phone.optional(),
    email: z.email().max(254).optional(),
    role: text(60).optional().describe('Their role at the customer, e.g. "purchasing manager".'),
  })
  .strict();
export type Contact = z.infer<typeof contact>;

const contacts = z.array(contact).max(MAX_CONTACTS).describe(`The people to talk to (at most ${MAX_CONTACTS}).`);

const preferences = z
  .record(z.string().regex(/^[a-zA-Z][a-zA-Z0-9_.-]{0,39}$/, 'preference names: letters, digits, "_", ".", "-", at most 40'), z.string().max(200))
  .refine((value) => Object.keys(value).length <= MAX_PREFERENCES, `at most ${MAX_PREFERENCES} preferences`)
  .describe(`Free key/value preferences, e.g. {"language": "zh", "contactTime": "mornings"} (at most ${MAX_PREFERENCES}; values at most 200 characters).`);

const tags = z
  .array(z.string().trim().min(1).max(40))
  .max(MAX_TAGS)
  .refine((list) => new Set(list).size === list.length, 'tags must be unique')
  .describe(`At most ${MAX_TAGS} distinct tags of at most 40 characters.`);

const region = regionCode.describe('Sales region code, e.g. `east-china` (the sales figures are keyed by it); searched case-insensitively.');
const segment = text(60).describe('Customer segment, e.g. "enterprise", "smb", "retail"; searched case-insensitively.');
const ownerRepId = ulid.describe('The sales rep who owns the relationship (a sales-rep id).');

export const customerCreate = z
  .object({
    type: customerType,
    name: text(200),
    contacts: contacts.default([]),
    region,
    segment: segment.optional(),
    preferences: preferences.default({}),
    consentToEmail: z.boolean().default(false).describe('Whether the customer agreed to be emailed (false unless given).'),
    ownerRepId: ownerRepId.optional(),
    tags: tags.default([]),
  })
  .strict();
export type CustomerCreate = z.input<typeof customerCreate>;
export type CustomerInput = z.output<typeof customerCreate>;

export const customerPatch = z
  .object({
    type: customerType,
    name: text(200),
    contacts,
    region,
    segment: segment.nullable().describe('null removes the segment.'),
    preferences,
    consentToEmail: z.boolean(),
    ownerRepId: ownerRepId.nullable().describe('null leaves the customer without an owner rep.'),
    tags,
  })
  .strict()
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'send at least one field to change')
  .describe('Fields to change; lists (contacts, tags) and preferences are replaced whole.');
export type CustomerPatch = z.infer<typeof customerPatch>;

const customerFields = {
  id: ulid,
  type: customerType,
  name: z.string(),
  region: z.string(),
  segment: z.string().optional(),
  consentToEmail: z.boolean(),
  consentUpdatedAt: isoDateTime.describe('When consentToEmail was last set: the evidence of consent.'),
  ownerRepId: ulid.optional(),
  tags: z.array(z.string()),
  ...auditFields,
};

/** The stored customer, as other modules read it (`getCustomer`). */
export const customerView = z
  .object({
    ...customerFields,
    contacts: z.array(contact),
    preferences: z.record(z.string(), z.string()),
  })
  .strict();
export type Customer = z.infer<typeof customerView>;

/**
 * A customer as the caller may see it: `contacts` and `preferences` are personal data, sent only
 * to sales, service, management and admin; other roles get the customer without them.
 */
export const customerResponse = z
  .object({
    ...customerFields,
    contacts: z.array(contact).optional().describe('Only for sales, service, management and admin.'),
    preferences: z.record(z.string(), z.string()).optional().describe('Only for sales, service, management and admin.'),
  })
  .strict();
export type CustomerResponse = z.infer<typeof customerResponse>;

export const customerListQuery = z
  .object({
    name: z.string().trim().min(1).max(100).optional().describe('Name prefix, case- and accent-insensitive.'),
    region: region.optional(),
    segment: segment.optional(),
    owner: ulid.optional().describe('Owner rep id.'),
    ...pageQuery,
  })
  .strict();
export type CustomerListQuery = z.infer<typeof customerListQuery>;
export const customerPage = pageSchema(customerResponse).describe('Customers in name order (case- and accent-insensitive).');

// ---- interactions and follow-ups ------------------------------------------------------------

export const INTERACTION_KINDS = ['call', 'email', 'visit', 'survey', 'meeting'] as const;
export const interactionKind = z.enum(INTERACTION_KINDS);
export type InteractionKind = z.infer<typeof interactionKind>;

export const followUpCreate = z
  .object({
    dueOn: isoDate.describe('Company-local day it is due; not before today.'),
    task: text(500).describe('What to do.'),
    ownerRepId: ulid.optional().describe("The rep who will do it; defaults to the customer's owner rep."),
  })
  .strict();
export type FollowUpCreate = z.infer<typeof followUpCreate>;

export const interactionCreate = z
  .object({
    kind: interactionKind,
    occurredAt: isoDateTime.describe('When it happened (UTC); not in the future.'),
    summary: z.string().trim().min(1).max(2000),
    outcome: z.string().trim().min(1).max(500).optional(),
    contactName: text(120).optional().describe('Who at the customer took part.'),
    followUp: followUpCreate.optional().describe('A follow-up planned at the interaction, created with it.'),
  })
  .strict();
export type InteractionCreate = z.infer<typeof interactionCreate>;

export const interactionView = z
  .object({
    id: ulid,
    customerId: ulid,
    kind: interactionKind,
    occurredAt: isoDateTime,
    summary: z.string(),
    outcome: z.string().optional(),
    contactName: z.string().optional(),
    followUpId: ulid.optional().describe('The follow-up planned with it, if any.'),
    ...auditFields,
  })
  .strict();
export type Interaction = z.infer<typeof interactionView>;

export const interactionListQuery = z.object({ ...pageQuery }).strict();
export type InteractionListQuery = z.infer<typeof interactionListQuery>;
export const interactionPage = pageSchema(interactionView).describe('Interactions, most recent first (by when they happened).');

export const FOLLOW_UP_STATUSES = ['open', 'completed'] as const;
export const followUpStatus = z.enum(FOLLOW_UP_STATUSES);

export const CUSTOMER_PAGE_INTERACTIONS = 10;

/** The customers module's part of a customer's page: the customer as the caller may see it, with its latest interactions. */
export const customerPageBase = customerResponse
  .extend({
    recentInteractions: z
      .array(interactionView)
      .max(CUSTOMER_PAGE_INTERACTIONS)
      .optional()
      .describe(`The ${CUSTOMER_PAGE_INTERACTIONS} most recent interactions; only for sales, service, management and admin.`),
  })
  .strict();
export type CustomerPageBase = z.infer<typeof customerPageBase>;

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'yyyy-mm');

/** The purchase history the sales module keeps per customer (`customerPurchases` in lib/sales/purchases.ts). */
export const purchaseHistory = z
  .object({
    totals: z
      .object({
        orders: z.number().int(),
        revenue: z.number().int().describe('Minor units of the company currency, net of returns.'),
        quantity: z.number().int(),
        firstMonth: month,
        lastMonth: month,
      })
      .strict()
      .nullable()
      .describe('null until something was shipped to the customer.'),
    byProduct: z.array(z.object({ productId: ulid, quantity: z.number().int(), revenue: z.number().int() }).strict()).describe('Per product, highest revenue first.'),
    recentOrders: z
      .array(
        z
          .object({
            id: ulid,
            status: z.string(),
            orderDate: isoDate,
            createdAt: isoDateTime,
            total: z.number().int().describe('Minor units of `currency`.'),
            currency: currencyCode,
          })
          .strict(),
      )
      .describe('The latest orders, newest first.'),
  })
  .strict();
export type PurchaseHistory = z.infer<typeof purchaseHistory>;

/** `GET /customers/{id}`: the customer as the caller may see it, its purchase history and its latest interactions. */
export const customerPageView = customerPageBase.extend({ purchases: purchaseHistory }).strict();

export const followUpView = z
  .object({
    id: ulid,
    customerId: ulid,
    interactionId: ulid.optional(),
    task: z.string(),
    dueOn: isoDate,
    ownerRepId: ulid,
    status: followUpStatus,
    completedAt: isoDateTime.optional(),
    completedBy: z.string().optional(),
    ...auditFields,
  })
  .strict();
export type FollowUp = z.infer<typeof followUpView>;

export const FOLLOW_UP_WINDOWS = ['overdue', 'today', 'week'] as const;
export const followUpListQuery = z
  .object({
    due: z
      .enum(FOLLOW_UP_WINDOWS)
      .optional()
      .describe('overdue: due before today; today: due today; week: due today or in the 6 days after (company time zone). Omitted: every open follow-up.'),
    owner: ulid.optional().describe("The rep whose to-do list this is; omitted: everyone's."),
    ...pageQuery,
  })
  .strict();
export type FollowUpListQuery = z.infer<typeof followUpListQuery>;
export const followUpPage = pageSchema(followUpView).describe('Open follow-ups, earliest due first.');

// ---- feedback -------------------------------------------------------------------------------

export const FEEDBACK_KINDS = ['defect', 'suggestion', 'praise', 'price', 'other'] as const;
export const feedbackKind = z.enum(FEEDBACK_KINDS);
export type FeedbackKind = z.infer<typeof feedbackKind>;

/** How the feedback reached us. */
export const FEEDBACK_CHANNELS = ['phone', 'email', 'web', 'visit', 'survey', 'social-media', 'store', 'partner', 'other'] as const;
export const feedbackChannel = z.enum(FEEDBACK_CHANNELS);

/** R&D's triage adds its statuses here; sales and service file feedback as `new`. */
export const FEEDBACK_STATUSES = ['new'] as const;

export const feedbackCreate = z
  .object({
    customerId: ulid.optional().describe('The customer who gave it, when known.'),
    productId: ulid,
    kind: feedbackKind,
    text: z.string().trim().min(1).max(4000),
    channel: feedbackChannel.describe('How the feedback reached us.'),
  })
  .strict();
export type FeedbackCreate = z.infer<typeof feedbackCreate>;

export const feedbackView = feedbackCreate
  .extend({
    id: ulid,
    status: z.enum(FEEDBACK_STATUSES),
    receivedAt: isoDateTime,
    receivedOn: isoDate.describe('Company-local day it was received.'),
    ...auditFields,
  })
  .strict();
export type Feedback = z.infer<typeof feedbackView>;

export const feedbackListQuery = z
  .object({
    productId: ulid.optional(),
    kind: feedbackKind.optional(),
    from: isoDate.optional().describe('First company-local day, inclusive.'),
    to: isoDate.optional().describe('Last company-local day, inclusive.'),
    ...pageQuery,
  })
  .strict()
  .refine((query) => !query.from || !query.to || query.from <= query.to, { message: 'from must not be after to', path: ['from'] });
export type FeedbackListQuery = z.infer<typeof feedbackListQuery>;
export const feedbackPage = pageSchema(feedbackView).describe('Feedback, newest first.');

export interface FeedbackCount {
  kind: FeedbackKind;
  productId: string;
  count: number;
}
