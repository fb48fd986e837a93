import { ASSIGN_ROLES, INVESTIGATION_ROLES, SERVICE_WORKFLOW_ROLES } from '../../lib/service/requests/access';
import {
  acknowledgeInput,
  assignInput,
  closeInput,
  complaintSummaryQuery,
  complaintSummaryView,
  feedbackInput,
  investigationInput,
  reopenInput,
  resolutionInput,
  serviceRequestCreate,
  serviceRequestListQuery,
  serviceRequestPage,
  serviceRequestView,
} from '../../lib/service/requests/schema';
import { ALL_ROLES } from '../../lib/platform/roles';
import { idParams } from '../../lib/platform/schema';
import type { ZodType } from 'zod';
import { defineHttpFunction } from './types';

const CONTACTS = 'The customer’s email and phone only for service, sales, management and admin.';

/** A workflow step: a sub-resource POST on the request, 409 when the request is not in a state that allows it. */
function step<B extends ZodType>(path: string, summary: string, roles: typeof ALL_ROLES, body: B) {
  return { method: 'POST', path: `/service-requests/{id}/${path}`, summary: `${summary} ${CONTACTS}`, roles, params: idParams, body, ifMatch: true, status: 200, response: serviceRequestView } as const;
}

/**
 * Customer service runs the workflow; the responsible department records the investigation of
 * what is assigned to it; management reads everything and may reassign; everyone reads.
 */
export const serviceRequestsFunction = defineHttpFunction({
  kind: 'http',
  name: 'service-requests',
  description: 'Consultations, complaints and repair requests: workflow, SLA due times, timeline; complaint analysis.',
  entry: 'functions/http/service-requests.ts',
  routes: {
    createServiceRequest: {
      method: 'POST',
      path: '/service-requests',
      summary: 'File a consultation, complaint or repair request: numbered C-/S-<year>-<n>, due times from the SLA of its priority.',
      roles: SERVICE_WORKFLOW_ROLES,
      body: serviceRequestCreate,
      idempotent: true,
      status: 201,
      response: serviceRequestView,
    },
    listServiceRequests: {
      method: 'GET',
      path: '/service-requests',
      summary: `Service requests, newest first, by type, status, priority, product, department, assignee; \`breached=true\`: overdue ones, most overdue first. ${CONTACTS}`,
      roles: ALL_ROLES,
      query: serviceRequestListQuery,
      status: 200,
      response: serviceRequestPage,
    },
    complaintSummary: {
      method: 'GET',
      path: '/service-requests/summary',
      summary: 'A month of complaints by product, category, root cause or department: received, resolved, SLA met/breached, average times, satisfaction, compensation.',
      roles: ALL_ROLES,
      query: complaintSummaryQuery,
      status: 200,
      response: complaintSummaryView,
    },
    getServiceRequest: {
      method: 'GET',
      path: '/service-requests/{id}',
      summary: `One request with its whole timeline; the ETag is its version. ${CONTACTS}`,
      roles: ALL_ROLES,
      params: idParams,
      status: 200,
      response: serviceRequestView,
    },
    acknowledgeServiceRequest: step('acknowledge', 'First response to the customer (received → acknowledged): stops the first-response clock.', SERVICE_WORKFLOW_ROLES, acknowledgeInput),
    assignServiceRequest: step(
      'assign',
      'Hand the request to a department and person (acknowledged → investigating); a hand-over later keeps the status. Management may reassign.',
      ASSIGN_ROLES,
      assignInput,
    ),
    recordInvestigation: step(
      'investigation',
      'Findings and root cause of a request being investigated: only the department it is assigned to (or admin).',
      INVESTIGATION_ROLES,
      investigationInput,
    ),
    resolveServiceRequest: step(
      'resolution',
      'Measures (fix, replace, refund, compensation, process rectification) and the customer’s agreement: proposed, or resolved when agreed (the resolution clock stops).',
      SERVICE_WORKFLOW_ROLES,
      resolutionInput,
    ),
    recordServiceFeedback: step('feedback', 'The customer’s satisfaction (1–5) with a resolved request, once per resolution.', SERVICE_WORKFLOW_ROLES, feedbackInput),
    closeServiceRequest: step('close', 'Close a resolved request: after the customer’s feedback, or 7 days (configurable) after resolution without it.', SERVICE_WORKFLOW_ROLES, closeInput),
    reopenServiceRequest: step('reopen', 'Back to investigating from resolved or closed; the resolution deadline is re-armed from now.', SERVICE_WORKFLOW_ROLES, reopenInput),
  },
});
