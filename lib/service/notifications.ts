import { getProduct } from '../catalog/service';
import { headsAmong, listDepartments } from '../organization/service';
import type { DepartmentCode } from '../organization/schema';
import type { DomainEvent } from '../platform/events';
import { NotFoundError } from '../platform/errors';
import type { Email } from '../platform/mail';
import { renderEmail } from '../platform/mail-template';
import { isRole } from '../platform/roles';
import type { ServiceEmailEventType, ServiceRequestEvent, SlaEscalation } from './events';
import type { ServiceRequestView } from './sla/request';

export interface Recipient {
  name: string;
  email: string;
}

const TYPE_LABEL: Record<string, string> = { complaint: 'Complaint', consultation: 'Consultation', repair: 'Repair' };
const DEADLINE_LABEL: Record<string, string> = { 'first-response': 'first response', resolution: 'resolution' };

/** `[Complaint C-2026-00042] …`: every service email names the request by its type and reference. */
export function subjectOf(requestType: string, reference: string, text: string): string {
  return `[${TYPE_LABEL[requestType] ?? 'Service request'} ${reference}] ${text}`;
}

/**
 * The emails a service event causes, each rendered from the event alone plus who receives it
 * (and, for a filed complaint, the product's name and owner), so a redelivery says the same.
 */
export async function serviceEmails(event: DomainEvent<ServiceRequestEvent | SlaEscalation>, type: ServiceEmailEventType, apiBaseUrl: string): Promise<Email[]> {
  switch (type) {
    case 'ComplaintFiled':
      return complaintFiledEmails(event.data as ServiceRequestEvent, apiBaseUrl);
    case 'ServiceRequestAssigned':
      return assignedEmails(event.data as ServiceRequestEvent, apiBaseUrl);
    case 'SlaWarning':
    case 'SlaBreached':
      return escalationEmails(event.data as SlaEscalation, apiBaseUrl);
    case 'ComplaintResolved':
      return resolvedEmails(event.data as ServiceRequestEvent);
  }
}

async function complaintFiledEmails({ request }: ServiceRequestEvent, apiBaseUrl: string): Promise<Email[]> {
  // A product deleted since is no reason to drop the email; any other failure retries the delivery.
  const product = request.productId
    ? await getProduct(request.productId).catch((error: unknown) => {
        if (error instanceof NotFoundError) return undefined;
        throw error;
      })
    : undefined;
  const departments: DepartmentCode[] = ['service', ...(product?.ownerDepartment ? [product.ownerDepartment] : [])];
  const recipients = headsAmong(await listDepartments(), departments);
  const productLabel = product ? `${product.name} (${product.sku})` : request.productId;
  const subject = subjectOf(request.type, request.reference, `New ${request.priority} complaint${product ? ` about ${product.name}` : ''}: ${request.category ?? 'other'}`);
  const content = renderEmail({
    title: `New complaint ${request.reference}`,
    paragraphs: [
      `A ${request.priority} complaint was received${request.channel ? ` by ${request.channel}` : ''}${request.customer?.name ? ` from ${request.customer.name}` : ''}.`,
      ...(request.description ? [request.description] : []),
      `First response is due by ${request.sla.firstResponseDueAt}; resolution by ${request.sla.resolutionDueAt}.`,
    ],
    facts: compact([
      ['Reference', request.reference],
      ['Priority', request.priority],
      ['Category', request.category],
      ['Product', productLabel],
      ['Owner department', product?.ownerDepartment],
      ['Received', request.receivedAt],
      ['First response due', request.sla.firstResponseDueAt],
      ['Resolution due', request.sla.resolutionDueAt],
    ]),
    link: requestLink(apiBaseUrl, request),
  });
  return recipients.map((recipient) => ({ to: [recipient.email], subject, ...content }));
}

async function assignedEmails({ request, previousDepartment }: ServiceRequestEvent, apiBaseUrl: string): Promise<Email[]> {
  const department = request.department;
  if (!department || !isRole(department)) return [];
  const recipients = headsAmong(await listDepartments(), [department]);
  const subject = subjectOf(request.type, request.reference, `Assigned to ${department}${request.assignee?.name ? ` (${request.assignee.name})` : ''}`);
  const content = renderEmail({
    title: `${TYPE_LABEL[request.type] ?? 'Service request'} ${request.reference} is now your department's`,
    paragraphs: [
      previousDepartment
        ? `${request.reference} was handed over from ${previousDepartment} to ${department}.`
        : `${request.reference} was assigned to ${department}.`,
      ...(request.description ? [request.description] : []),
    ],
    facts: compact([
      ['Reference', request.reference],
      ['Priority', request.priority],
      ['Category', request.category],
      ['Status', request.status],
      ['Assignee', assigneeLabel(request.assignee)],
      ['First response due', request.sla.firstRespondedAt ? `met at ${request.sla.firstRespondedAt}` : request.sla.firstResponseDueAt],
      ['Resolution due', request.sla.resolutionDueAt],
    ]),
    link: requestLink(apiBaseUrl, request),
  });
  return recipients.map((recipient) => ({ to: [recipient.email], subject, ...content }));
}

/** Warning → the assignee and their department's head; breach → the service and management heads. */
async function escalationEmails(escalation: SlaEscalation, apiBaseUrl: string): Promise<Email[]> {
  const departments = await listDepartments();
  const deadline = DEADLINE_LABEL[escalation.deadline] ?? escalation.deadline;
  let recipients: Recipient[];
  if (escalation.level === 'warning') {
    const head = escalation.department && isRole(escalation.department) ? headsAmong(departments, [escalation.department]) : [];
    const assignee = escalation.assignee?.email ? [{ name: escalation.assignee.name ?? escalation.assignee.email, email: escalation.assignee.email }] : [];
    recipients = uniqueRecipients([...assignee, ...head]);
  } else {
    recipients = headsAmong(departments, ['service', 'management']);
  }
  const subject = subjectOf(
    escalation.requestType,
    escalation.reference,
    escalation.level === 'warning' ? `SLA warning: ${deadline} due at ${escalation.dueAt}` : `SLA breached: ${deadline} was due at ${escalation.dueAt}`,
  );
  const content = renderEmail({
    title: escalation.level === 'warning' ? `${escalation.reference}: ${deadline} due soon` : `${escalation.reference}: ${deadline} deadline breached`,
    paragraphs: [
      escalation.level === 'warning'
        ? `80 % of the ${deadline} time for ${escalation.reference} has passed; it is due at ${escalation.dueAt}.`
        : `The ${deadline} deadline of ${escalation.reference} passed at ${escalation.dueAt} without being met.`,
      'This is the only email about this deadline at this level.',
    ],
    facts: compact([
      ['Reference', escalation.reference],
      ['Priority', escalation.priority],
      ['Category', escalation.category],
      ['Status', escalation.status],
      ['Department', escalation.department ?? 'not assigned'],
      ['Assignee', assigneeLabel(escalation.assignee) ?? 'not assigned'],
      ['Customer', escalation.customerName],
      [escalation.level === 'warning' ? 'Due at' : 'Was due at', escalation.dueAt],
    ]),
    link: { label: `${escalation.reference} in postlaunch`, url: `${apiBaseUrl}/service-requests/${escalation.requestId}` },
  });
  return recipients.map((recipient) => ({ to: [recipient.email], subject, ...content }));
}

/** The customer hears of the resolution only with their consent and an address to write to. */
function resolvedEmails({ request }: ServiceRequestEvent): Email[] {
  const customer = request.customer;
  if (!customer?.consentToEmail || !customer.email) return [];
  const measures = measuresOf(request.resolution);
  const subject = subjectOf(request.type, request.reference, 'Your complaint has been resolved');
  const content = renderEmail({
    title: `Your complaint ${request.reference} has been resolved`,
    paragraphs: [
      `Dear ${customer.name ?? 'customer'},`,
      `Thank you for telling us about the problem. Your complaint ${request.reference} has been resolved; these are the measures we have taken:`,
    ],
    list: measures.length > 0 ? measures : ['See the resolution agreed with you.'],
    facts: compact([
      ['Reference', request.reference],
      ['Resolved at', request.sla.resolvedAt ?? undefined],
    ]),
    footer: `How satisfied are you with how we handled it? Reply to this email with a rating from 1 (not at all) to 5 (very) and any comment, quoting ${request.reference}; your feedback reaches our customer service team.`,
  });
  return [{ to: [customer.email], subject, ...content }];
}

const MEASURE_LABEL: Record<string, string> = {
  fix: 'Fix',
  replace: 'Replacement',
  refund: 'Refund',
  compensation: 'Compensation',
  'process-rectification': 'Process rectification',
};

/**
 * One line per measure of the resolution (`measures[]` of `{ kind, … }` with an optional amount,
 * description, owner and `dueOn`, lib/service/requests/schema.ts), read defensively: the email lists what it
 * finds rather than failing on a field it does not know.
 */
export function measuresOf(resolution: Record<string, unknown> | undefined): string[] {
  const measures = Array.isArray(resolution?.measures) ? (resolution.measures as unknown[]) : [];
  return measures.flatMap((measure) => {
    if (!measure || typeof measure !== 'object') return [];
    const m = measure as Record<string, unknown>;
    const kind = String(m.kind ?? m.type ?? 'measure');
    const parts = [MEASURE_LABEL[kind] ?? kind];
    const amount = moneyLabel(m.amount ?? m.compensation);
    if (amount) parts.push(amount);
    const description = m.description ?? m.note ?? m.text;
    if (typeof description === 'string' && description) parts.push(description);
    if (typeof m.owner === 'string') parts.push(`owner ${m.owner}`);
    const due = m.dueOn ?? m.dueDate;
    if (typeof due === 'string') parts.push(`by ${due}`);
    return [parts.join(' — ')];
  });
}

function moneyLabel(value: unknown): string | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const { amount, currency } = value as { amount?: unknown; currency?: unknown };
  if (typeof amount !== 'number' || typeof currency !== 'string') return undefined;
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return `${(amount / 10 ** digits).toFixed(digits)} ${currency}`;
}

function requestLink(apiBaseUrl: string, request: ServiceRequestView) {
  return { label: `${request.reference} in postlaunch`, url: `${apiBaseUrl}/service-requests/${request.id}` };
}

function assigneeLabel(assignee: { name?: string; email?: string; userId?: string } | undefined): string | undefined {
  if (!assignee) return undefined;
  return [assignee.name ?? assignee.userId, assignee.email ? `<${assignee.email}>` : undefined].filter(Boolean).join(' ') || undefined;
}

function uniqueRecipients(recipients: Recipient[]): Recipient[] {
  const seen = new Set<string>();
  return recipients.filter((recipient) => !seen.has(recipient.email.toLowerCase()) && seen.add(recipient.email.toLowerCase()));
}

function compact(rows: Array<[string, string | undefined]>): Array<[string, string]> {
  return rows.filter((row): row is [string, string] => row[1] !== undefined && row[1] !== '');
}
