import * as z from 'zod';
import { pageQuery, pageSchema } from '../../platform/pagination';
import { auditFields, currencyCode, department, isoDate, isoDateTime, money, text, ulid } from '../../platform/schema';

/**
 * Service requests: consultations, complaints and repair requests, with their workflow, SLA
 * times and timeline. Pure (no I/O): the manifest imports these schemas.
 */
export const REQUEST_TYPES = ['consultation', 'complaint', 'repair'] as const;
export const requestType = z.enum(REQUEST_TYPES);
export type RequestType = z.infer<typeof requestType>;

export const INTAKE_CHANNELS = ['hotline', 'online-form', 'email', 'visit', 'partner'] as const;
export const intakeChannel = z.enum(INTAKE_CHANNELS);

export const REQUEST_CATEGORIES = ['quality', 'delivery', 'usage', 'price', 'attitude', 'other'] as const;
export const requestCategory = z.enum(REQUEST_CATEGORIES);
export type RequestCategory = z.infer<typeof requestCategory>;

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const priority = z.enum(PRIORITIES);
export type Priority = z.infer<typeof priority>;

export const REQUEST_STATUSES = ['received', 'acknowledged', 'investigating', 'resolution-proposed', 'resolved', 'closed'] as const;
export const requestStatus = z.enum(REQUEST_STATUSES);
export type RequestStatus = z.infer<typeof requestStatus>;

export const ROOT_CAUSES = ['design', 'material', 'manufacturing', 'logistics', 'usage', 'service', 'documentation', 'other'] as const;
export const rootCauseCategory = z.enum(ROOT_CAUSES);
export type RootCauseCategory = z.infer<typeof rootCauseCategory>;

export const TIMELINE_ACTIONS = ['received', 'acknowledged', 'assigned', 'investigated', 'resolution-proposed', 'resolved', 'feedback', 'closed', 'reopened'] as const;

/** Bounds that keep the request item (with its whole timeline) far below DynamoDB's 400 KB. */
export const MAX_TIMELINE = 200;
export const MAX_MEASURES = 10;
const longText = (max: number) => z.string().trim().min(1).max(max);
const note = longText(2000).optional().describe('Why / what was said: kept in the timeline.');

const phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9][0-9 ()./-]{3,29}$/, 'digits, spaces and ( ) . / -, optionally starting with +, 4–30 characters');

// ---- create -----------------------------------------------------------------------------------

export const customerInput = z
  .object({
    id: ulid.optional().describe('A known customer: name, first contact’s email/phone and consent are copied from the customer record.'),
    name: text(200).optional().describe('Not yet a customer: who they are (with an email or a phone).'),
    email: z.email().max(254).optional(),
    phone: phone.optional(),
    consentToEmail: z.boolean().optional().describe('Only without `id`: whether they agreed to be emailed (false unless given).'),
  })
  .strict()
  .superRefine((value, context) => {
    if (value.id !== undefined) {
      for (const field of ['name', 'email', 'phone', 'consentToEmail'] as const) {
        if (value[field] !== undefined) context.addIssue({ code: 'custom', path: [field], message: 'give either the customer id or name and contact, not both' });
      }
      return;
    }
    if (value.name === undefined) context.addIssue({ code: 'custom', path: ['name'], message: 'give the customer id, or a name with an email or phone' });
    if (value.email === undefined && value.phone === undefined) context.addIssue({ code: 'custom', path: ['email'], message: 'a customer without an id needs an email or a phone' });
  })
  .describe('Either `{ id }` or `{ name, email and/or phone, consentToEmail? }`.');

export const serviceRequestCreate = z
  .object({
    type: requestType,
    channel: intakeChannel.describe('How it reached us.'),
    receivedAt: isoDateTime.optional().describe('When it was received (UTC); defaults to now, not in the future.'),
    customer: customerInput,
    productId: ulid.optional().describe('The product concerned; must exist.'),
    serialOrLot: text(80).optional(),
    orderId: ulid.optional().describe('The order it concerns; must exist (and be the customer’s, when the customer is known).'),
    description: longText(4000),
    category: requestCategory,
    priority: priority.default('normal').describe('Decides the SLA (settings.slaHours); defaults to normal.'),
  })
  .strict();
export type ServiceRequestCreate = z.input<typeof serviceRequestCreate>;
export type ServiceRequestInput = z.output<typeof serviceRequestCreate>;

// ---- the request ------------------------------------------------------------------------------

export const customerSnapshot = z
  .object({
    id: ulid.optional(),
    name: z.string(),
    email: z.string().optional().describe('Only for service, sales, management and admin.'),
    phone: z.string().optional().describe('Only for service, sales, management and admin.'),
    consentToEmail: z.boolean(),
  })
  .strict();

export const assignee = z
  .object({
    userId: text(128),
    name: text(120).optional(),
    email: z.email().max(254).optional(),
  })
  .strict();

export const slaView = z
  .object({
    firstResponseDueAt: isoDateTime,
    resolutionDueAt: isoDateTime,
    firstResponseWarnAt: isoDateTime.describe('80 % of the span from receipt to the first-response due time.'),
    resolutionWarnAt: isoDateTime.describe('80 % of the span from the resolution clock’s start to its due time.'),
    resolutionStartedAt: isoDateTime.describe('When the resolution clock started: receipt, or the last reopening.'),
    firstRespondedAt: isoDateTime.optional().describe('Set by acknowledge: the first-response clock stopped.'),
    resolvedAt: isoDateTime.optional().describe('Set when resolved: the resolution clock stopped (removed by reopen).'),
  })
  .strict();
export type SlaView = z.infer<typeof slaView>;

export const investigation = z
  .object({
    findings: longText(4000),
    rootCause: z.object({ category: rootCauseCategory, text: longText(2000) }).strict(),
  })
  .strict();
export type InvestigationInput = z.infer<typeof investigation>;

const described = { description: longText(1000) };
export const measure = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('fix'), ...described }).strict(),
  z.object({ kind: z.literal('replace'), ...described }).strict(),
  z.object({ kind: z.literal('refund'), amount: money, description: longText(1000).optional() }).strict(),
  z.object({ kind: z.literal('compensation'), amount: money, description: longText(1000).optional() }).strict(),
  z
    .object({ kind: z.literal('process-rectification'), ...described, owner: text(120).describe('Who rectifies the process.'), dueOn: isoDate })
    .strict(),
]);
export type Measure = z.infer<typeof measure>;

export const timelineEntry = z
  .object({
    at: isoDateTime,
    by: z.string(),
    action: z.enum(TIMELINE_ACTIONS),
    note: z.string().optional(),
    from: requestStatus.optional(),
    to: requestStatus.optional(),
    department: department.optional(),
  })
  .strict();
export type TimelineEntry = z.infer<typeof timelineEntry>;

export const serviceRequestView = z
  .object({
    id: ulid,
    reference: z.string().describe('`C-2026-00042` for complaints, `S-2026-00042` for consultations and repairs: gap-free per year.'),
    type: requestType,
    channel: intakeChannel,
    receivedAt: isoDateTime,
    receivedMonth: z.string().describe('Company-local month of receipt: the month the complaint analysis counts it received in.'),
    customer: customerSnapshot,
    productId: ulid.optional(),
    serialOrLot: z.string().optional(),
    orderId: ulid.optional(),
    description: z.string(),
    category: requestCategory,
    priority,
    status: requestStatus,
    department: department.optional().describe('The responsible department.'),
    assignee: assignee.optional(),
    sla: slaView,
    investigation: investigation.extend({ recordedAt: isoDateTime, recordedBy: z.string(), department: department.optional() }).strict().optional(),
    resolution: z
      .object({
        measures: z.array(measure),
        customerAgreed: z.boolean(),
        proposedAt: isoDateTime,
        proposedBy: z.string(),
        agreedAt: isoDateTime.optional(),
      })
      .strict()
      .optional(),
    feedback: z
      .object({ satisfaction: z.number().int().min(1).max(5), comment: z.string().optional(), recordedAt: isoDateTime, recordedBy: z.string() })
      .strict()
      .optional(),
    closedAt: isoDateTime.optional(),
    timeline: z.array(timelineEntry),
    ...auditFields,
  })
  .strict();
export type ServiceRequest = z.infer<typeof serviceRequestView>;

// ---- transitions ------------------------------------------------------------------------------

export const acknowledgeInput = z.object({ note }).strict().describe('The first response to the customer: stops the first-response clock.');
export type AcknowledgeInput = z.infer<typeof acknowledgeInput>;

export const assignInput = z
  .object({ department, assignee: assignee.optional().describe('The person in that department.'), note })
  .strict()
  .describe('Hands the request to a department (and person); an acknowledged request starts being investigated.');
export type AssignInput = z.infer<typeof assignInput>;

export const investigationInput = investigation.extend({ note }).strict();
export type InvestigationCreate = z.infer<typeof investigationInput>;

export const resolutionInput = z
  .object({
    measures: z.array(measure).min(1).max(MAX_MEASURES).optional().describe(`Up to ${MAX_MEASURES} measures; may be left out to accept the proposed ones.`),
    customerAgreed: z.boolean().describe('True: the customer agreed, the request is resolved (the resolution clock stops). False: proposed.'),
    note,
  })
  .strict();
export type ResolutionInput = z.infer<typeof resolutionInput>;

export const feedbackInput = z.object({ satisfaction: z.number().int().min(1).max(5), comment: longText(2000).optional() }).strict();
export type FeedbackInput = z.infer<typeof feedbackInput>;

export const closeInput = z.object({ note }).strict();
export type CloseInput = z.infer<typeof closeInput>;

export const reopenInput = z.object({ reason: longText(2000) }).strict();
export type ReopenInput = z.infer<typeof reopenInput>;

// ---- lists and the summary --------------------------------------------------------------------

export const serviceRequestListQuery = z
  .object({
    type: requestType.optional(),
    status: requestStatus.optional(),
    priority: priority.optional(),
    product: ulid.optional(),
    department: department.optional(),
    assignee: text(128).optional().describe('Assignee user id.'),
    breached: z.enum(['true']).optional().describe('`true`: only requests with an unmet deadline already past (not closed).'),
    ...pageQuery,
  })
  .strict();
export type ServiceRequestListQuery = z.infer<typeof serviceRequestListQuery>;
export const serviceRequestPage = pageSchema(serviceRequestView).describe('Newest first; with `breached=true`, most overdue first.');

export const COMPLAINT_DIMENSIONS = ['product', 'category', 'rootCause', 'department'] as const;
export type ComplaintDimension = (typeof COMPLAINT_DIMENSIONS)[number];

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month, e.g. 2026-11');
export const complaintSummaryQuery = z.object({ month, by: z.enum(COMPLAINT_DIMENSIONS).default('product') }).strict();
export type ComplaintSummaryQuery = z.infer<typeof complaintSummaryQuery>;

const count = z.number().int();
const rate = z.number().nullable().describe('0–1, null when nothing was decided.');
const average = z.number().nullable().describe('null when there is nothing to average.');
const slaFigures = z.object({ met: count, breached: count, metRate: rate, averageMinutes: average }).strict();
export const complaintRow = z
  .object({
    id: z.string().describe('The product id (or `none`), category, root cause (or `undetermined`), department (or `unassigned`).'),
    received: count,
    resolved: count,
    reopened: count,
    firstResponse: slaFigures,
    resolution: slaFigures,
    satisfaction: z.object({ count, average }).strict(),
    compensation: count.describe('Compensation agreed at resolution, minor units of the company currency.'),
    refunds: count.describe('Refunds agreed at resolution, minor units.'),
  })
  .strict();
export type ComplaintRow = z.infer<typeof complaintRow>;

export const complaintSummaryView = z
  .object({ month, by: z.enum(COMPLAINT_DIMENSIONS), currency: currencyCode, rows: z.array(complaintRow).describe('Most received first.'), total: complaintRow })
  .strict();
export type ComplaintSummary = z.infer<typeof complaintSummaryView>;
