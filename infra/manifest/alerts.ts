import { alertListQuery, alertPage, alertView } from '../../lib/alerts/schema';
import { ALL_ROLES, type Role } from '../../lib/platform/roles';
import { idParams } from '../../lib/platform/schema';
import type { EventFunctionSpec } from './types';
import { defineHttpFunction } from './types';

/** Those who act on stock alerts (and management and admin, who oversee) acknowledge them. */
const ACKNOWLEDGERS: readonly Role[] = ['production', 'procurement', 'management', 'admin'];

export const alertsFunction = defineHttpFunction({
  kind: 'http',
  name: 'alerts',
  description: 'The alert register: open and resolved alerts, and who acknowledged them.',
  entry: 'functions/http/alerts.ts',
  routes: {
    listAlerts: {
      method: 'GET',
      path: '/alerts',
      summary: 'Alerts by status (open by default) and kind: open ones newest opened first, resolved ones newest resolved first.',
      roles: ALL_ROLES,
      query: alertListQuery,
      status: 200,
      response: alertPage,
    },
    getAlert: {
      method: 'GET',
      path: '/alerts/{id}',
      summary: 'One alert; the ETag is its version.',
      roles: ALL_ROLES,
      params: idParams,
      status: 200,
      response: alertView,
    },
    acknowledgeAlert: {
      method: 'POST',
      path: '/alerts/{id}/acknowledge',
      summary: 'Record who took the alert in hand, and when. An alert is acknowledged once (409 the second time).',
      roles: ACKNOWLEDGERS,
      params: idParams,
      status: 200,
      response: alertView,
    },
  },
});

/** Domain events → the alert register; idempotent per event id. */
export const alertRecorderFunction: EventFunctionSpec = {
  kind: 'event',
  name: 'alert-recorder',
  description: 'Opens and resolves alerts in the register from threshold-crossing events.',
  entry: 'functions/alert-recorder.ts',
  rules: [
    {
      name: 'stock-threshold-crossings',
      source: ['postlaunch.inventory'],
      detailType: ['StockBelowMinimum', 'StockBelowSafety', 'StockAboveMaximum', 'StockRecovered'],
    },
  ],
};
