import type { SlaTimes } from './checkpoints';

/**
 * What the SLA rules and the service emails read of a service request (helper E's
 * `ServiceRequest`, `lib/service/requests/schema.ts`): a structural subset, parsed leniently
 * from a stream image or a stored item, so neither the change path nor the escalation depends
 * on fields it does not use. Pure: no I/O.
 */
export interface ServiceRequestView {
  id: string;
  reference: string;
  type: string;
  status: string;
  priority: string;
  category?: string;
  channel?: string;
  receivedAt?: string;
  description?: string;
  productId?: string;
  customer?: { name?: string; email?: string; consentToEmail?: boolean };
  department?: string;
  assignee?: { userId?: string; name?: string; email?: string };
  sla: SlaTimes;
  resolution?: Record<string, unknown>;
}

type Item = Record<string, unknown>;

const REQUEST_TYPES = ['consultation', 'complaint', 'repair'] as const;

const str = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);
const obj = (value: unknown): Item | undefined => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Item) : undefined);

/** The request held by an item (`SERVICE_REQUEST#<id> / REQUEST`), or undefined for anything else. */
export function serviceRequestOf(item: Item | undefined): ServiceRequestView | undefined {
  if (!item || str(item.sk) !== 'REQUEST' || !str(item.pk)?.startsWith('SERVICE_REQUEST#')) return undefined;
  const id = str(item.id) ?? str(item.pk)?.slice('SERVICE_REQUEST#'.length);
  const sla = slaOf(item.sla);
  const reference = str(item.reference);
  // The entity type lives in `type` (DESIGN §4); the request's own type may sit beside it.
  const kind = [item.requestType, item.type].map(str).find((value) => value !== undefined && (REQUEST_TYPES as readonly string[]).includes(value));
  if (!id || !sla || !reference || !kind) return undefined;
  const customer = obj(item.customer);
  const assignee = obj(item.assignee);
  return {
    id,
    reference,
    type: kind,
    status: str(item.status) ?? 'received',
    priority: str(item.priority) ?? 'normal',
    category: str(item.category),
    channel: str(item.channel),
    receivedAt: str(item.receivedAt),
    description: str(item.description),
    productId: str(item.productId),
    customer: customer
      ? { name: str(customer.name), email: str(customer.email), consentToEmail: customer.consentToEmail === true }
      : undefined,
    department: str(item.department),
    assignee: assignee ? { userId: str(assignee.userId), name: str(assignee.name), email: str(assignee.email) } : undefined,
    sla,
    resolution: obj(item.resolution),
  };
}

function slaOf(value: unknown): SlaTimes | undefined {
  const sla = obj(value);
  if (!sla) return undefined;
  const firstResponseDueAt = str(sla.firstResponseDueAt);
  const resolutionDueAt = str(sla.resolutionDueAt);
  const firstResponseWarnAt = str(sla.firstResponseWarnAt);
  const resolutionWarnAt = str(sla.resolutionWarnAt);
  if (!firstResponseDueAt || !resolutionDueAt || !firstResponseWarnAt || !resolutionWarnAt) return undefined;
  return { firstResponseDueAt, resolutionDueAt, firstResponseWarnAt, resolutionWarnAt, firstRespondedAt: str(sla.firstRespondedAt), resolvedAt: str(sla.resolvedAt) };
}
