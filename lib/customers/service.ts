import { getProduct } from '../catalog/service';
import { companyTimeZone } from '../organization/service';
import { createdStamp, updatedStamp } from '../platform/audit';
import { auditName, type Actor } from '../platform/auth';
import type { ServiceContext } from '../platform/context';
import { ConflictError, NotFoundError, ValidationError, type FieldError } from '../platform/errors';
import type { Page } from '../platform/pagination';
import { cursorScope } from '../platform/query';
import { addDays, localDate, localMonth } from '../platform/time';
import { assertIfMatch, lostUpdateError } from '../platform/versioning';
import { readsInteractions, seesCustomerContacts } from './access';
import {
  CUSTOMER_PAGE_INTERACTIONS,
  type Customer,
  type CustomerInput,
  type CustomerListQuery,
  type CustomerPageBase,
  type CustomerPatch,
  type CustomerResponse,
  type Feedback,
  type FeedbackCount,
  type FeedbackCreate,
  type FeedbackKind,
  type FollowUp,
  type FollowUpCreate,
  type FollowUpListQuery,
  type Interaction,
  type InteractionCreate,
  type InteractionListQuery,
} from './schema';
import {
  completeFollowUpRecord,
  getCustomerRecord,
  insertCustomer,
  insertFeedback,
  insertFollowUp,
  insertInteraction,
  queryCustomers,
  queryFeedback,
  queryFeedbackCounts,
  queryInteractions,
  queryOpenFollowUps,
  recentInteractions,
  replaceCustomer,
  type DueRange,
} from './store';

// ---- customers ------------------------------------------------------------------------------

export async function createCustomer(context: ServiceContext, actor: Actor, input: CustomerInput): Promise<Customer> {
  const stamp = createdStamp(context, actor);
  const customer: Customer = { id: context.newId(), ...input, consentUpdatedAt: stamp.createdAt, ...stamp };
  await insertCustomer(customer);
  return customer;
}

export async function getCustomer(id: string): Promise<Customer> {
  const customer = await getCustomerRecord(id);
  if (!customer) throw new NotFoundError(`No customer ${id}.`);
  return customer;
}

export async function listCustomers(query: CustomerListQuery): Promise<Page<Customer>> {
  return queryCustomers(query, cursorScope('customers', query));
}

export async function updateCustomer(context: ServiceContext, actor: Actor, id: string, patch: CustomerPatch, ifMatch: number | undefined): Promise<Customer> {
  const current = await getCustomer(id);
  assertIfMatch(ifMatch, current.version);
  const { segment, ownerRepId, ...rest } = patch;
  const stamp = updatedStamp(context, actor, current);
  const next: Customer = { ...current, ...rest, ...stamp };
  if (segment === null) delete next.segment;
  else if (segment !== undefined) next.segment = segment;
  if (ownerRepId === null) delete next.ownerRepId;
  else if (ownerRepId !== undefined) next.ownerRepId = ownerRepId;
  if (rest.consentToEmail !== undefined && rest.consentToEmail !== current.consentToEmail) next.consentUpdatedAt = stamp.updatedAt;
  await replaceCustomer(next, current, () => lostUpdateError(ifMatch));
  return next;
}

/** The customer as `actor` may see it: contacts and preferences only for the roles that deal with customers. */
export function customerFor(actor: Actor, customer: Customer): CustomerResponse {
  if (seesCustomerContacts(actor)) return customer;
  const { contacts: _contacts, preferences: _preferences, ...rest } = customer;
  return rest;
}

/** A customer's page (purchase history aside): the customer and, for those who may read them, its latest interactions. */
export async function customerPage(actor: Actor, id: string): Promise<CustomerPageBase> {
  const [customer, recent] = await Promise.all([getCustomer(id), readsInteractions(actor) ? recentInteractions(id, CUSTOMER_PAGE_INTERACTIONS) : undefined]);
  return { ...customerFor(actor, customer), ...(recent ? { recentInteractions: recent } : {}) };
}

// ---- interactions and follow-ups ------------------------------------------------------------

/** Clocks differ a little between a phone and the server: "now" tolerates this much. */
const CLOCK_SKEW_MS = 5 * 60_000;

export async function recordInteraction(context: ServiceContext, actor: Actor, customerId: string, input: InteractionCreate): Promise<Interaction> {
  const customer = await getCustomer(customerId);
  const now = context.clock.now();
  const occurredAt = new Date(input.occurredAt);
  const errors: FieldError[] = [];
  if (occurredAt.getTime() > now.getTime() + CLOCK_SKEW_MS) errors.push({ path: '$.body.occurredAt', message: 'must not be in the future' });
  const stamp = createdStamp(context, actor);
  let followUp: FollowUp | undefined;
  if (input.followUp) {
    const planned = await planFollowUp(context, stamp, customer, input.followUp, '$.body.followUp');
    if ('errors' in planned) errors.push(...planned.errors);
    else followUp = planned.followUp;
  }
  if (errors.length) throw new ValidationError('The interaction is invalid.', errors);

  const { followUp: _planned, ...fields } = input;
  const interaction: Interaction = {
    id: context.newId(),
    customerId,
    ...fields,
    // One ISO form, so that the sort key orders interactions by when they happened.
    occurredAt: occurredAt.toISOString(),
    ...(followUp ? { followUpId: followUp.id } : {}),
    ...stamp,
  };
  if (followUp) followUp.interactionId = interaction.id;
  await insertInteraction(interaction, followUp);
  return interaction;
}

export async function listInteractions(customerId: string, query: InteractionListQuery): Promise<Page<Interaction>> {
  await getCustomer(customerId);
  return queryInteractions(customerId, query.limit, query.cursor, cursorScope(`customers/${customerId}/interactions`, query));
}

export async function createFollowUp(context: ServiceContext, actor: Actor, customerId: string, input: FollowUpCreate): Promise<FollowUp> {
  const customer = await getCustomer(customerId);
  const planned = await planFollowUp(context, createdStamp(context, actor), customer, input, '$.body');
  if ('errors' in planned) throw new ValidationError('The follow-up is invalid.', planned.errors);
  await insertFollowUp(planned.followUp);
  return planned.followUp;
}

type Stamp = ReturnType<typeof createdStamp>;

/** A follow-up is due today or later (company time zone) and has an owner: the one given, or the customer's rep. */
async function planFollowUp(
  context: ServiceContext,
  stamp: Stamp,
  customer: Customer,
  input: FollowUpCreate,
  path: string,
): Promise<{ followUp: FollowUp } | { errors: FieldError[] }> {
  const errors: FieldError[] = [];
  const today = localDate(context.clock.now(), await companyTimeZone());
  if (input.dueOn < today) errors.push({ path: `${path}.dueOn`, message: `must not be before today (${today})` });
  const ownerRepId = input.ownerRepId ?? customer.ownerRepId;
  if (!ownerRepId) errors.push({ path: `${path}.ownerRepId`, message: 'required: the customer has no owner rep' });
  if (errors.length || !ownerRepId) return { errors };
  return { followUp: { id: context.newId(), customerId: customer.id, task: input.task, dueOn: input.dueOn, ownerRepId, status: 'open', ...stamp } };
}

export async function completeFollowUp(context: ServiceContext, actor: Actor, id: string): Promise<FollowUp> {
  const outcome = await completeFollowUpRecord(id, context.clock.now().toISOString(), auditName(actor));
  if ('missing' in outcome) throw new NotFoundError(`No follow-up ${id}.`);
  if ('already' in outcome) {
    throw new ConflictError(`The follow-up was already completed at ${outcome.already.completedAt ?? 'an earlier time'}.`, {
      completedAt: outcome.already.completedAt,
      completedBy: outcome.already.completedBy,
    });
  }
  return outcome.completed;
}

/**
 * Open follow-ups by due day in the company time zone: overdue (before today), today, or the
 * week (today and the 6 days after); a rep's when `owner` is given, everyone's otherwise.
 */
export async function listFollowUps(context: ServiceContext, query: FollowUpListQuery): Promise<Page<FollowUp>> {
  let range: DueRange = {};
  if (query.due) {
    const today = localDate(context.clock.now(), await companyTimeZone());
    if (query.due === 'overdue') range = { to: addDays(today, -1) };
    else if (query.due === 'today') range = { from: today, to: today };
    else range = { from: today, to: addDays(today, 6) };
  }
  // The window moves with the day: a cursor is good for the day it was issued on.
  const scope = cursorScope('follow-ups', { ...query, from: range.from, to: range.to });
  return queryOpenFollowUps(query.owner, range, query.limit, query.cursor, scope);
}

// ---- feedback -------------------------------------------------------------------------------

/**
 * Files feedback as `new` for R&D to triage, and counts it in its month (company time zone) by
 * kind and product in the same transaction. The product, and the customer when given, must exist.
 */
export async function recordFeedback(context: ServiceContext, actor: Actor, input: FeedbackCreate): Promise<Feedback> {
  const errors: FieldError[] = [];
  await Promise.all([
    getProduct(input.productId).catch(missingAs(errors, '$.body.productId', `no product ${input.productId}`)),
    input.customerId ? getCustomer(input.customerId).catch(missingAs(errors, '$.body.customerId', `no customer ${input.customerId}`)) : undefined,
  ]);
  if (errors.length) throw new ValidationError('The feedback names a product or customer that does not exist.', errors.sort((a, b) => a.path.localeCompare(b.path)));

  const stamp = createdStamp(context, actor);
  const timeZone = await companyTimeZone();
  const received = context.clock.now();
  const feedback: Feedback = { id: context.newId(), ...input, status: 'new', receivedAt: stamp.createdAt, receivedOn: localDate(received, timeZone), ...stamp };
  await insertFeedback(feedback, localMonth(received, timeZone));
  return feedback;
}

function missingAs(errors: FieldError[], path: string, message: string) {
  return (error: unknown) => {
    if (!(error instanceof NotFoundError)) throw error;
    errors.push({ path, message });
  };
}

/** Feedback, newest first, filtered by product, kind and company-local days (for R&D triage and the monthly analysis). */
export function listFeedback(query: { productId?: string; kind?: FeedbackKind; from?: string; to?: string; limit?: number; cursor?: string }): Promise<Page<Feedback>> {
  const full = { ...query, limit: query.limit ?? 25 };
  return queryFeedback(full, cursorScope('feedback', full));
}

/** How many feedbacks of each kind each product received in a company-local month (`yyyy-mm`). */
export async function feedbackCounts(month: string): Promise<FeedbackCount[]> {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new ValidationError(`${month} is not a month (yyyy-mm).`, [{ path: '$.month', message: 'yyyy-mm' }]);
  return queryFeedbackCounts(month);
}

// ---- shared ---------------------------------------------------------------------------------
