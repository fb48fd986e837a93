import { eventFromChange, type ChangeMapper } from '../platform/changes';
import type { DomainEvent } from '../platform/events';
import { checkpointChanges, type Checkpoint } from './sla/checkpoints';
import { serviceRequestOf, type ServiceRequestView } from './sla/request';
import type { EscalationMarker } from './sla/store';

export const SERVICE_SOURCE = 'postlaunch.service';

/** The events that email someone (rule `service-emails` → notify). */
export const SERVICE_EMAIL_EVENT_TYPES = ['ComplaintFiled', 'ServiceRequestAssigned', 'SlaWarning', 'SlaBreached', 'ComplaintResolved'] as const;
export type ServiceEmailEventType = (typeof SERVICE_EMAIL_EVENT_TYPES)[number];
/** Internal: which SLA checkpoints to schedule or unschedule (rule `sla-checkpoints` → sla-schedules). */
export const SLA_CHECKPOINTS_CHANGED = 'SlaCheckpointsChanged';

/** The request as the write that caused the event left it (so a redelivered event says the same). */
export interface ServiceRequestEvent {
  request: ServiceRequestView;
  previousDepartment?: string;
}

/** The escalation marker as the event carries it (see `lib/service/sla/store.ts`). */
export type SlaEscalation = Omit<EscalationMarker, 'trigger'>;

export interface SlaCheckpointsChanged {
  requestId: string;
  reference: string;
  arm: Checkpoint[];
  disarm: Checkpoint[];
}

/**
 * Service requests (`SERVICE_REQUEST#<id> / REQUEST`, helper E's) and the escalation markers
 * (`… / ESCALATION#…`, written once by escalate-if-due) → domain events. Comparing the old and
 * new image makes each one fire once per committed change: a complaint is filed once, a
 * department change is one hand-over, a move into `resolved` is one resolution.
 */
export const serviceRequestChanges: ChangeMapper = (change) => {
  const marker = escalationOf(change.kind === 'INSERT' ? change.newItem : undefined);
  if (marker) return [eventFromChange(change, SERVICE_SOURCE, marker.level === 'warning' ? 'SlaWarning' : 'SlaBreached', marker)];

  const after = serviceRequestOf(change.newItem);
  const before = serviceRequestOf(change.oldItem);
  if (!after && !before) return [];
  const events: DomainEvent[] = [];
  if (after) {
    const isComplaint = after.type === 'complaint';
    if (isComplaint && !before) events.push(eventFromChange<ServiceRequestEvent>(change, SERVICE_SOURCE, 'ComplaintFiled', { request: after }));
    if (after.department && after.department !== before?.department) {
      events.push(
        eventFromChange<ServiceRequestEvent>(change, SERVICE_SOURCE, 'ServiceRequestAssigned', { request: after, previousDepartment: before?.department }),
      );
    }
    if (isComplaint && after.status === 'resolved' && before?.status !== 'resolved') {
      events.push(eventFromChange<ServiceRequestEvent>(change, SERVICE_SOURCE, 'ComplaintResolved', { request: after }));
    }
  }
  const { arm, disarm } = checkpointChanges(before, after);
  if (arm.length > 0 || disarm.length > 0) {
    const subject = (after ?? before) as ServiceRequestView;
    events.push(eventFromChange<SlaCheckpointsChanged>(change, SERVICE_SOURCE, SLA_CHECKPOINTS_CHANGED, { requestId: subject.id, reference: subject.reference, arm, disarm }));
  }
  return events;
};

export function isServiceEmailEvent(event: DomainEvent): event is DomainEvent<ServiceRequestEvent | SlaEscalation> & { metadata: { type: ServiceEmailEventType } } {
  return event.metadata.source === SERVICE_SOURCE && (SERVICE_EMAIL_EVENT_TYPES as readonly string[]).includes(event.metadata.type);
}

export function isSlaCheckpointsChanged(event: DomainEvent): event is DomainEvent<SlaCheckpointsChanged> {
  return event.metadata.source === SERVICE_SOURCE && event.metadata.type === SLA_CHECKPOINTS_CHANGED;
}

function escalationOf(item: Record<string, unknown> | undefined): SlaEscalation | undefined {
  if (item?.type !== 'SlaEscalation' || typeof item.sk !== 'string' || !item.sk.startsWith('ESCALATION#')) return undefined;
  const { requestId, reference, requestType, priority, deadline, level, at, dueAt, status, escalatedAt } = item;
  if (typeof requestId !== 'string' || typeof reference !== 'string' || typeof at !== 'string' || typeof dueAt !== 'string') return undefined;
  if (deadline !== 'first-response' && deadline !== 'resolution') return undefined;
  if (level !== 'warning' && level !== 'breach') return undefined;
  const assignee = item.assignee && typeof item.assignee === 'object' ? (item.assignee as SlaEscalation['assignee']) : undefined;
  const optional = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return {
    requestId,
    reference,
    requestType: String(requestType ?? 'complaint'),
    priority: String(priority ?? 'normal'),
    category: optional(item.category),
    deadline,
    level,
    at,
    dueAt,
    department: optional(item.department),
    assignee,
    customerName: optional(item.customerName),
    productId: optional(item.productId),
    status: String(status ?? ''),
    escalatedAt: String(escalatedAt ?? at),
  };
}
