import { alertsFunction } from '../../infra/manifest/alerts';
import { acknowledgeAlert, getAlert, listAlerts } from '../../lib/alerts/service';
import { defaultContext } from '../../lib/platform/context';
import { httpFunction } from '../../lib/platform/http/http-function';
import { versioned } from '../../lib/platform/http/reply';

export const handler = httpFunction(alertsFunction, {
  listAlerts: async ({ query }) => ({ body: await listAlerts(query) }),
  getAlert: async ({ params }) => versioned(await getAlert(params.id)),
  acknowledgeAlert: async ({ actor, params }) => versioned(await acknowledgeAlert(defaultContext, actor, params.id)),
});
