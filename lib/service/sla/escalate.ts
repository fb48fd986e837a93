import type { ServiceContext } from '../../platform/context';
import { logger } from '../../platform/logger';
import { checkpointAt, dueAtOf, isClosed, isMet, type SlaDeadline, type SlaLevel } from './checkpoints';
import type { ServiceRequestView } from './request';
import { NotFoundError } from '../../platform/errors';
import { getServiceRequest } from '../requests/service';
import { putEscalationMarker } from './store';

export type EscalationOutcome = 'escalated' | 'already-escalated' | 'met' | 'closed' | 'not-due' | 'not-found';

/**
 * THE escalate-if-due rule, shared by the one-time schedules and the hourly sweep. It reads the
 * request as it is now and does nothing if the deadline was met, the request closed, or the
 * checkpoint not yet reached on `context.clock`; otherwise it writes the escalation marker with
 * `attribute_not_exists(pk)`. The marker's stream record becomes the one SlaWarning/SlaBreached
 * event, so any number of paths and retries calling this yield one event, hence one email per
 * recipient (and notify's per-event dedupe covers redelivery of that event).
 */
export async function escalateIfDue(
  context: ServiceContext,
  requestId: string,
  deadline: SlaDeadline,
  level: SlaLevel,
  trigger = 'unknown',
): Promise<EscalationOutcome> {
  let request: ServiceRequestView;
  try {
    request = await getServiceRequest(requestId);
  } catch (error) {
    // A schedule for a request that is gone has nothing to escalate; retrying would not help.
    if (error instanceof NotFoundError) return 'not-found';
    throw error;
  }
  return escalateRequestIfDue(context, request, deadline, level, trigger);
}

/** The same rule on a request the caller has just read (the sweep reads each candidate once). */
export async function escalateRequestIfDue(
  context: ServiceContext,
  request: ServiceRequestView,
  deadline: SlaDeadline,
  level: SlaLevel,
  trigger: string,
): Promise<EscalationOutcome> {
  if (isClosed(request)) return 'closed';
  if (isMet(request.sla, deadline)) return 'met';
  const at = checkpointAt(request.sla, deadline, level);
  const now = context.clock.now();
  if (Date.parse(at) > now.getTime()) return 'not-due';
  const written = await putEscalationMarker({
    requestId: request.id,
    reference: request.reference,
    requestType: request.type,
    priority: request.priority,
    category: request.category,
    deadline,
    level,
    at,
    dueAt: dueAtOf(request.sla, deadline),
    department: request.department,
    assignee: request.assignee,
    customerName: request.customer?.name,
    productId: request.productId,
    status: request.status,
    escalatedAt: now.toISOString(),
    trigger,
  });
  if (written) logger.info('sla escalated', { requestId: request.id, reference: request.reference, deadline, level, trigger });
  return written ? 'escalated' : 'already-escalated';
}
