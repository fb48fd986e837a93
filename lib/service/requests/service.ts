import { getProduct } from '../../catalog/service';
import { getCustomer } from '../../customers/service';
import { getSettings } from '../../organization/service';
import type { Settings } from '../../organization/schema';
import { createdStamp, updatedStamp } from '../../platform/audit';
import { auditName, type Actor } from '../../platform/auth';
import type { ServiceContext } from '../../platform/context';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, type FieldError } from '../../platform/errors';
import type { Page } from '../../platform/pagination';
import { cursorScope } from '../../platform/query';
import { localDate, localMonth } from '../../platform/time';
import { transactWrite } from '../../platform/transact';
import { assertIfMatch, lostUpdateError } from '../../platform/versioning';
import { getOrder } from '../../sales/orders';
import { investigates, seesContacts } from './access';
import {
  addComplaintFigures,
  complaintDeltaActions,
  complaintFiguresOfMonth,
  complaintRowOf,
  NO_PRODUCT,
  UNASSIGNED,
  UNDETERMINED,
  ZERO_COMPLAINT_FIGURES,
  type ComplaintDelta,
  type ComplaintFigures,
} from './analysis';
import {
  MAX_TIMELINE,
  type AcknowledgeInput,
  type AssignInput,
  type CloseInput,
  type ComplaintSummary,
  type ComplaintSummaryQuery,
  type FeedbackInput,
  type InvestigationCreate,
  type Measure,
  type Priority,
  type ReopenInput,
  type RequestStatus,
  type ResolutionInput,
  type ServiceRequest,
  type ServiceRequestInput,
  type ServiceRequestListQuery,
  type SlaView,
  type TimelineEntry,
} from './schema';
import { getServiceRequestRecord, lastReference, queryOverdue, queryServiceRequests, referenceAdvanceAction, requestWriteActions, type ReferenceSeries } from './store';

/** Clocks differ a little between a phone and the server: "now" tolerates this much. */
const CLOCK_SKEW_MS = 5 * 60_000;
/** The issue's default, for settings saved before `closeAfterDaysWithoutFeedback` existed. */
export const DEFAULT_CLOSE_AFTER_DAYS = 7;
/** Warnings go out at this share of each deadline's span. */
export const WARN_SHARE = 0.8;
const MAX_NUMBERING_ATTEMPTS = 60;
const HOUR_MS = 3_600_000;

class ContendedError extends Error {}

// ---- due times ------------------------------------------------------------------------------

/** An instant `hours` (calendar hours, may be fractional) after `start`, and its warning at 80 % of the span. */
export function deadline(start: string, hours: number): { dueAt: string; warnAt: string } {
  const from = Date.parse(start);
  const span = hours * HOUR_MS;
  return { dueAt: new Date(from + Math.round(span)).toISOString(), warnAt: new Date(from + Math.round(span * WARN_SHARE)).toISOString() };
}

function slaFor(receivedAt: string, priority: Priority, settings: Settings): SlaView {
  const hours = settings.slaHours[priority];
  const firstResponse = deadline(receivedAt, hours.firstResponseHours);
  const resolution = deadline(receivedAt, hours.resolutionHours);
  return {
    firstResponseDueAt: firstResponse.dueAt,
    firstResponseWarnAt: firstResponse.warnAt,
    resolutionDueAt: resolution.dueAt,
    resolutionWarnAt: resolution.warnAt,
    resolutionStartedAt: receivedAt,
  };
}

export function closeAfterDaysWithoutFeedback(settings: Settings): number {
  return settings.closeAfterDaysWithoutFeedback ?? DEFAULT_CLOSE_AFTER_DAYS;
}

// ---- create ---------------------------------------------------------------------------------

export async function createServiceRequest(context: ServiceContext, actor: Actor, input: ServiceRequestInput): Promise<ServiceRequest> {
  const settings = await getSettings();
  const now = context.clock.now();
  const receivedAt = new Date(input.receivedAt ?? now.toISOString()).toISOString();
  const errors: FieldError[] = [];
  if (Date.parse(receivedAt) > now.getTime() + CLOCK_SKEW_MS) errors.push({ path: '$.body.receivedAt', message: 'must not be in the future' });
  const [customer, product, order] = await Promise.all([
    input.customer.id ? found(getCustomer(input.customer.id), '$.body.customer.id', `no customer ${input.customer.id}`, errors) : undefined,
    input.productId ? found(getProduct(input.productId), '$.body.productId', `no product ${input.productId}`, errors) : undefined,
    input.orderId ? found(getOrder(input.orderId), '$.body.orderId', `no order ${input.orderId}`, errors) : undefined,
  ]);
  if (order && customer && order.customerId !== customer.id) errors.push({ path: '$.body.orderId', message: `order ${order.id} is another customer’s` });
  if (errors.length) throw new ValidationError('The service request names things that do not exist or do not fit.', errors);

  const contact = customer?.contacts[0];
  const snapshot: ServiceRequest['customer'] = customer
    ? { id: customer.id, name: customer.name, ...(contact?.email ? { email: contact.email } : {}), ...(contact?.phone ? { phone: contact.phone } : {}), consentToEmail: customer.consentToEmail }
    : {
        name: input.customer.name as string,
        ...(input.customer.email ? { email: input.customer.email } : {}),
        ...(input.customer.phone ? { phone: input.customer.phone } : {}),
        consentToEmail: input.customer.consentToEmail ?? false,
      };
  const stamp = createdStamp(context, actor);
  const series: ReferenceSeries = input.type === 'complaint' ? 'C' : 'S';
  // Numbered in the year it is recorded (company time zone), in the order of recording.
  const year = Number(localDate(now, settings.timeZone).slice(0, 4));
  const id = context.newId();
  const receivedMonth = localMonth(new Date(receivedAt), settings.timeZone);

  for (let round = 1; ; round++) {
    const sequence = (await lastReference(series, year)) + 1;
    const request: ServiceRequest = {
      id,
      reference: `${series}-${year}-${String(sequence).padStart(5, '0')}`,
      type: input.type,
      channel: input.channel,
      receivedAt,
      receivedMonth,
      customer: snapshot,
      ...(product ? { productId: product.id } : {}),
      ...(input.serialOrLot ? { serialOrLot: input.serialOrLot } : {}),
      ...(order ? { orderId: order.id } : {}),
      description: input.description,
      category: input.category,
      priority: input.priority,
      status: 'received',
      sla: slaFor(receivedAt, input.priority, settings),
      timeline: [{ at: stamp.createdAt, by: stamp.createdBy, action: 'received', to: 'received', note: `${input.type} via ${input.channel}` }],
      ...stamp,
    };
    const deltas = request.type === 'complaint' ? bookAll(request, receivedMonth, { received: 1 }) : [];
    try {
      await transactWrite([referenceAdvanceAction(series, year, sequence), ...requestWriteActions(request, undefined), ...complaintDeltaActions(deltas)], (index) =>
        index === 0 ? new ContendedError('reference taken') : new Error(`service request write ${index} failed its condition (id ${id})`),
      );
      return request;
    } catch (error) {
      if (!(error instanceof ContendedError)) throw error;
      if (round >= MAX_NUMBERING_ATTEMPTS) throw new ConflictError('Requests were being filed too fast to number this one; retry.');
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(250, 10 * 2 ** Math.min(round, 5))));
    }
  }
}

async function found<T>(lookup: Promise<T>, path: string, message: string, errors: FieldError[]): Promise<T | undefined> {
  try {
    return await lookup;
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    errors.push({ path, message });
    return undefined;
  }
}

// ---- read -----------------------------------------------------------------------------------

export async function getServiceRequest(id: string): Promise<ServiceRequest> {
  const request = await getServiceRequestRecord(id);
  if (!request) throw new NotFoundError(`No service request ${id}.`);
  return request;
}

/** The request as `actor` may see it: the customer's email and phone only for service, sales, management and admin. */
export function serviceRequestFor(actor: Actor, request: ServiceRequest): ServiceRequest {
  if (seesContacts(actor)) return request;
  const { email: _email, phone: _phone, ...customer } = request.customer;
  return { ...request, customer };
}

export async function listServiceRequests(context: ServiceContext, actor: Actor, query: ServiceRequestListQuery): Promise<Page<ServiceRequest>> {
  const scope = cursorScope('service-requests', query);
  const page = query.breached ? await queryOverdue(query, context.clock.now().toISOString(), scope) : await queryServiceRequests(query, scope);
  return { ...page, items: page.items.map((request) => serviceRequestFor(actor, request)) };
}

// ---- transitions ----------------------------------------------------------------------------

interface Step {
  next: ServiceRequest;
  /** Complaint figures the step books (ignored for consultations and repairs). */
  deltas?: ComplaintDelta[];
}

interface StepInput {
  current: ServiceRequest;
  now: string;
  /** The company-local month of `now`. */
  month: string;
  settings: Settings;
  /** The current request at its next version, updated by the actor now. */
  base: ServiceRequest;
  entry: (entry: Omit<TimelineEntry, 'at' | 'by'>) => TimelineEntry[];
}

/**
 * Reads the request, lets `step` decide the move (throwing 409 for an illegal one), and writes
 * it conditional on the version read, with its figures, in one transaction. No retry: of two
 * identical moves at the same time one wins and the other gets 409, so the timeline records one.
 */
async function transition(context: ServiceContext, actor: Actor, id: string, ifMatch: number | undefined, step: (input: StepInput) => Step): Promise<ServiceRequest> {
  const [current, settings] = await Promise.all([getServiceRequest(id), getSettings()]);
  assertIfMatch(ifMatch, current.version);
  if (current.timeline.length >= MAX_TIMELINE) throw new ConflictError(`A service request records at most ${MAX_TIMELINE} steps; file a new one.`);
  const nowDate = context.clock.now();
  const now = nowDate.toISOString();
  const stamp = updatedStamp(context, actor, current);
  const by = auditName(actor);
  const { next, deltas = [] } = step({
    current,
    now,
    month: localMonth(nowDate, settings.timeZone),
    settings,
    base: { ...current, ...stamp },
    entry: (entry) => [...current.timeline, { at: now, by, ...entry }],
  });
  const figures = current.type === 'complaint' ? complaintDeltaActions(deltas) : [];
  await transactWrite([...requestWriteActions(next, current.version), ...figures], (index) =>
    index === 0 ? lostUpdateError(ifMatch) : new Error(`service request write ${index} failed its condition`),
  );
  return next;
}

function assertStatus(request: ServiceRequest, allowed: readonly RequestStatus[], action: string): void {
  if (!allowed.includes(request.status)) {
    throw new ConflictError(`A ${request.status} ${request.type} cannot be ${action}; that needs one that is ${allowed.join(' or ')}.`, { currentStatus: request.status, allowed });
  }
}

const isMet = (stoppedAt: string, dueAt: string) => stoppedAt <= dueAt;
const minutesBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 60_000);

/** First response to the customer: stops the first-response clock. */
export function acknowledgeServiceRequest(context: ServiceContext, actor: Actor, id: string, input: AcknowledgeInput, ifMatch?: number): Promise<ServiceRequest> {
  return transition(context, actor, id, ifMatch, ({ current, now, month, base, entry }) => {
    assertStatus(current, ['received'], 'acknowledged');
    const next: ServiceRequest = {
      ...base,
      status: 'acknowledged',
      sla: { ...current.sla, firstRespondedAt: now },
      timeline: entry({ action: 'acknowledged', from: current.status, to: 'acknowledged', ...(input.note ? { note: input.note } : {}) }),
    };
    const met = isMet(now, current.sla.firstResponseDueAt);
    const figures = { firstResponseMet: met ? 1 : 0, firstResponseBreached: met ? 0 : 1, firstResponseMinutes: minutesBetween(current.receivedAt, now), firstResponseCount: 1 };
    return { next, deltas: bookAll(current, month, figures) };
  });
}

/** Hands the request to a department (and person). Management may only reassign. */
export function assignServiceRequest(context: ServiceContext, actor: Actor, id: string, input: AssignInput, ifMatch?: number): Promise<ServiceRequest> {
  return transition(context, actor, id, ifMatch, ({ current, base, entry }) => {
    assertStatus(current, ['received', 'acknowledged', 'investigating', 'resolution-proposed'], 'assigned');
    if (!current.department && !actor.roles.some((role) => role === 'service' || role === 'admin')) {
      throw new ForbiddenError('Management may reassign a request; the first assignment is customer service’s.');
    }
    if (current.department === input.department && current.assignee?.userId === input.assignee?.userId) {
      throw new ConflictError(`The request is already assigned to ${input.department}${input.assignee ? ` (${input.assignee.userId})` : ''}.`, { department: current.department });
    }
    const status: RequestStatus = current.status === 'acknowledged' ? 'investigating' : current.status;
    const { assignee: _previous, ...rest } = base;
    const next: ServiceRequest = {
      ...rest,
      status,
      department: input.department,
      ...(input.assignee ? { assignee: input.assignee } : {}),
      timeline: entry({
        action: 'assigned',
        department: input.department,
        ...(status !== current.status ? { from: current.status, to: status } : {}),
        note: input.note ?? (current.department ? `handed over from ${current.department}` : `assigned${input.assignee ? ` to ${input.assignee.name ?? input.assignee.userId}` : ''}`),
      }),
    };
    const deltas = moveReceived(current, 'department', current.department ?? UNASSIGNED, input.department);
    return { next, deltas };
  });
}

/** Findings and root cause, by the department the request is assigned to (or admin). */
export function recordInvestigation(context: ServiceContext, actor: Actor, id: string, input: InvestigationCreate, ifMatch?: number): Promise<ServiceRequest> {
  return transition(context, actor, id, ifMatch, ({ current, now, base, entry }) => {
    if (!investigates(actor, current.department)) {
      throw new ForbiddenError(
        current.department ? `Only ${current.department} (the responsible department) may record this request’s investigation.` : 'The request is not assigned to a department yet.',
      );
    }
    assertStatus(current, ['investigating'], 'investigated');
    const { note, ...findings } = input;
    // A repeat of what is recorded is a duplicate (a retried or double-sent request), not news.
    if (current.investigation && sameJson({ findings: current.investigation.findings, rootCause: current.investigation.rootCause }, findings)) {
      throw new ConflictError(`This investigation was already recorded at ${current.investigation.recordedAt}.`);
    }
    const next: ServiceRequest = {
      ...base,
      investigation: { ...findings, recordedAt: now, recordedBy: auditName(actor), ...(current.department ? { department: current.department } : {}) },
      timeline: entry({ action: 'investigated', note: note ?? `root cause: ${input.rootCause.category}`, ...(current.department ? { department: current.department } : {}) }),
    };
    const deltas = moveReceived(current, 'rootCause', current.investigation?.rootCause.category ?? UNDETERMINED, input.rootCause.category);
    return { next, deltas };
  });
}

/**
 * Proposes measures (resolution-proposed) or, with the customer's agreement, resolves: the
 * resolution clock stops. A proposal already made may be accepted without repeating it.
 */
export function resolveServiceRequest(context: ServiceContext, actor: Actor, id: string, input: ResolutionInput, ifMatch?: number): Promise<ServiceRequest> {
  return transition(context, actor, id, ifMatch, ({ current, now, month, settings, base, entry }) => {
    const allowed: RequestStatus[] = current.type === 'complaint' ? ['investigating', 'resolution-proposed'] : ['acknowledged', 'investigating', 'resolution-proposed'];
    assertStatus(current, allowed, 'resolved');
    if (current.type === 'complaint' && !current.investigation) throw new ConflictError('Record the investigation (findings and root cause) before resolving a complaint.', { currentStatus: current.status });
    const measures = input.measures ?? (current.status === 'resolution-proposed' ? current.resolution?.measures : undefined);
    if (!measures) throw new ValidationError('Say which measures resolve the request.', [{ path: '$.body.measures', message: 'required unless accepting the proposed measures' }]);
    if (!input.measures && !input.customerAgreed) throw new ValidationError('Send new measures or the customer’s agreement.', [{ path: '$.body.customerAgreed', message: 'true to accept the proposal, or send new measures' }]);
    if (!input.customerAgreed && current.status === 'resolution-proposed' && sameJson(measures, current.resolution?.measures)) {
      throw new ConflictError('These measures are already proposed; send the customer’s agreement or other measures.', { currentStatus: current.status });
    }
    const wrongCurrency = measures.flatMap((measure, index) =>
      'amount' in measure && measure.amount.currency !== settings.currency ? [{ path: `$.body.measures[${index}].amount.currency`, message: `must be ${settings.currency}, the company currency` }] : [],
    );
    if (wrongCurrency.length) throw new ValidationError('Refunds and compensation are in the company currency.', wrongCurrency);

    const by = auditName(actor);
    const status: RequestStatus = input.customerAgreed ? 'resolved' : 'resolution-proposed';
    const resolution: NonNullable<ServiceRequest['resolution']> = {
      measures,
      customerAgreed: input.customerAgreed,
      proposedAt: input.measures || !current.resolution ? now : current.resolution.proposedAt,
      proposedBy: input.measures || !current.resolution ? by : current.resolution.proposedBy,
      ...(input.customerAgreed ? { agreedAt: now } : {}),
    };
    const next: ServiceRequest = {
      ...base,
      status,
      resolution,
      sla: input.customerAgreed ? { ...current.sla, resolvedAt: now } : current.sla,
      timeline: entry({ action: input.customerAgreed ? 'resolved' : 'resolution-proposed', from: current.status, to: status, note: input.note ?? describeMeasures(measures) }),
    };
    if (!input.customerAgreed) return { next };
    const met = isMet(now, current.sla.resolutionDueAt);
    const figures: Partial<ComplaintFigures> = {
      resolved: 1,
      resolutionMet: met ? 1 : 0,
      resolutionBreached: met ? 0 : 1,
      resolutionMinutes: minutesBetween(current.sla.resolutionStartedAt, now),
      resolutionCount: 1,
      compensation: amountOf(measures, 'compensation'),
      refunds: amountOf(measures, 'refund'),
    };
    return { next, deltas: bookAll(current, month, figures) };
  });
}

/** The customer's satisfaction with the resolution (once per resolution). */
export function recordServiceFeedback(context: ServiceContext, actor: Actor, id: string, input: FeedbackInput, ifMatch?: number): Promise<ServiceRequest> {
  return transition(context, actor, id, ifMatch, ({ current, now, month, base, entry }) => {
    assertStatus(current, ['resolved'], 'given feedback');
    if (current.feedback) throw new ConflictError(`The customer’s feedback was recorded at ${current.feedback.recordedAt}.`, { feedback: current.feedback });
    const next: ServiceRequest = {
      ...base,
      feedback: { satisfaction: input.satisfaction, ...(input.comment ? { comment: input.comment } : {}), recordedAt: now, recordedBy: auditName(actor) },
      timeline: entry({ action: 'feedback', note: `satisfaction ${input.satisfaction}/5${input.comment ? `: ${input.comment}` : ''}` }),
    };
    return { next, deltas: bookAll(current, month, { satisfactionSum: input.satisfaction, satisfactionCount: 1 }) };
  });
}

/** Closes a resolved request once the customer answered, or after the configured days without an answer. */
export function closeServiceRequest(context: ServiceContext, actor: Actor, id: string, input: CloseInput, ifMatch?: number): Promise<ServiceRequest> {
  return transition(context, actor, id, ifMatch, ({ current, now, settings, base, entry }) => {
    assertStatus(current, ['resolved'], 'closed');
    const days = closeAfterDaysWithoutFeedback(settings);
    const closableAt = new Date(Date.parse(current.sla.resolvedAt ?? now) + days * 24 * HOUR_MS).toISOString();
    if (!current.feedback && now < closableAt) {
      throw new ConflictError(`Without the customer’s feedback a request can be closed ${days} days after its resolution, from ${closableAt}.`, { closableAt });
    }
    const next: ServiceRequest = {
      ...base,
      status: 'closed',
      closedAt: now,
      timeline: entry({ action: 'closed', from: current.status, to: 'closed', note: input.note ?? (current.feedback ? 'closed after feedback' : `closed after ${days} days without feedback`) }),
    };
    return { next };
  });
}

/**
 * Back to investigating. The resolution deadline is re-armed: a full resolution span (for the
 * request's priority) from the reopening, its warning at 80 % of that span; the first response
 * stays met. The earlier feedback belonged to the earlier resolution (it stays in the timeline).
 */
export function reopenServiceRequest(context: ServiceContext, actor: Actor, id: string, input: ReopenInput, ifMatch?: number): Promise<ServiceRequest> {
  return transition(context, actor, id, ifMatch, ({ current, now, month, settings, base, entry }) => {
    assertStatus(current, ['resolved', 'closed'], 'reopened');
    const rearmed = deadline(now, settings.slaHours[current.priority].resolutionHours);
    const { feedback: _feedback, closedAt: _closedAt, ...rest } = base;
    const { resolvedAt: _resolvedAt, ...sla } = current.sla;
    const next: ServiceRequest = {
      ...rest,
      status: 'investigating',
      sla: { ...sla, resolutionStartedAt: now, resolutionDueAt: rearmed.dueAt, resolutionWarnAt: rearmed.warnAt },
      timeline: entry({ action: 'reopened', from: current.status, to: 'investigating', note: input.reason }),
    };
    return { next, deltas: bookAll(current, month, { reopened: 1 }) };
  });
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function describeMeasures(measures: readonly Measure[]): string {
  return measures.map((measure) => ('amount' in measure ? `${measure.kind} ${measure.amount.amount} ${measure.amount.currency}` : measure.kind)).join(', ');
}

function amountOf(measures: readonly Measure[], kind: 'refund' | 'compensation'): number {
  return measures.reduce((sum, measure) => sum + (measure.kind === kind ? measure.amount.amount : 0), 0);
}

// ---- complaint analysis ---------------------------------------------------------------------

/** The ids a complaint's figures count under now. */
function dimensionsOf(request: ServiceRequest) {
  return {
    product: request.productId ?? NO_PRODUCT,
    category: request.category,
    rootCause: request.investigation?.rootCause.category ?? UNDETERMINED,
    department: request.department ?? UNASSIGNED,
  } as const;
}

function bookAll(request: ServiceRequest, month: string, figures: Partial<ComplaintFigures>): ComplaintDelta[] {
  return Object.entries(dimensionsOf(request)).map(([dimension, id]) => ({ dimension: dimension as ComplaintDelta['dimension'], month, id, figures }));
}

/** `received` follows the complaint when its department or root cause changes (in its month of receipt). */
function moveReceived(request: ServiceRequest, dimension: 'department' | 'rootCause', from: string, to: string): ComplaintDelta[] {
  if (from === to) return [];
  return [
    { dimension, month: request.receivedMonth, id: from, figures: { received: -1 } },
    { dimension, month: request.receivedMonth, id: to, figures: { received: 1 } },
  ];
}

/** A month of complaints grouped one way, averages and rates computed from the sums. */
export async function complaintSummary(query: ComplaintSummaryQuery): Promise<ComplaintSummary> {
  const [rows, settings] = await Promise.all([complaintFiguresOfMonth(query.by, query.month), getSettings()]);
  // Every figure is booked under each grouping, so any grouping's rows add up to the month.
  const total = rows.reduce((sum, row) => addComplaintFigures(sum, row.figures), { ...ZERO_COMPLAINT_FIGURES });
  return {
    month: query.month,
    by: query.by,
    currency: settings.currency,
    rows: rows
      .filter((row) => Object.values(row.figures).some((value) => value !== 0))
      .sort((a, b) => b.figures.received - a.figures.received || a.id.localeCompare(b.id))
      .map((row) => complaintRowOf(row.id, row.figures)),
    total: complaintRowOf('total', total),
  };
}
