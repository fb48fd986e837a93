import { serviceRequestsFunction } from '../../infra/manifest/service-requests';
import type { Actor } from '../../lib/platform/auth';
import { defaultContext } from '../../lib/platform/context';
import { httpFunction } from '../../lib/platform/http/http-function';
import { created, versioned } from '../../lib/platform/http/reply';
import type { ServiceRequest } from '../../lib/service/requests/schema';
import {
  acknowledgeServiceRequest,
  assignServiceRequest,
  closeServiceRequest,
  complaintSummary,
  createServiceRequest,
  getServiceRequest,
  listServiceRequests,
  recordInvestigation,
  recordServiceFeedback,
  reopenServiceRequest,
  resolveServiceRequest,
  serviceRequestFor,
} from '../../lib/service/requests/service';

/** Every request leaves through the caller's view of it (contacts only for the roles that deal with customers). */
const seen = async (actor: Actor, request: Promise<ServiceRequest>) => versioned(serviceRequestFor(actor, await request));

export const handler = httpFunction(serviceRequestsFunction, {
  createServiceRequest: async ({ actor, body }) => created('service-requests', serviceRequestFor(actor, await createServiceRequest(defaultContext, actor, body))),
  listServiceRequests: async ({ actor, query }) => ({ body: await listServiceRequests(defaultContext, actor, query) }),
  complaintSummary: async ({ query }) => ({ body: await complaintSummary(query) }),
  getServiceRequest: async ({ actor, params }) => seen(actor, getServiceRequest(params.id)),
  acknowledgeServiceRequest: async ({ actor, params, body, ifMatch }) => seen(actor, acknowledgeServiceRequest(defaultContext, actor, params.id, body, ifMatch)),
  assignServiceRequest: async ({ actor, params, body, ifMatch }) => seen(actor, assignServiceRequest(defaultContext, actor, params.id, body, ifMatch)),
  recordInvestigation: async ({ actor, params, body, ifMatch }) => seen(actor, recordInvestigation(defaultContext, actor, params.id, body, ifMatch)),
  resolveServiceRequest: async ({ actor, params, body, ifMatch }) => seen(actor, resolveServiceRequest(defaultContext, actor, params.id, body, ifMatch)),
  recordServiceFeedback: async ({ actor, params, body, ifMatch }) => seen(actor, recordServiceFeedback(defaultContext, actor, params.id, body, ifMatch)),
  closeServiceRequest: async ({ actor, params, body, ifMatch }) => seen(actor, closeServiceRequest(defaultContext, actor, params.id, body, ifMatch)),
  reopenServiceRequest: async ({ actor, params, body, ifMatch }) => seen(actor, reopenServiceRequest(defaultContext, actor, params.id, body, ifMatch)),
});
