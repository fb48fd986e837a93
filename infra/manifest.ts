import { alertRecorderFunction, alertsFunction } from './manifest/alerts';
import { changesFunction, departmentHeadsCheckFunction, notifyFunction, stockSweepFunction } from './manifest/background';
import { brandFunction } from './manifest/brand';
import { catalogFunction } from './manifest/catalog';
import { customersFunction } from './manifest/customers';
import { inventoryFunction } from './manifest/inventory';
import { marketFunction } from './manifest/market';
import { organizationFunction } from './manifest/organization';
import { partnersFunction } from './manifest/partners';
import { publicFunction } from './manifest/public';
import { repairsFunction } from './manifest/repairs';
import { monthlyAnalysisFunction, reportsFunction } from './manifest/reports';
import { salesFunction } from './manifest/sales';
import { salesTeamFunction } from './manifest/sales-team';
import { serviceRequestsFunction } from './manifest/service-requests';
import { slaEscalationFunction, slaSchedulesFunction } from './manifest/service-sla';
import { stocktakesFunction } from './manifest/stocktakes';
import type { FunctionSpec, HttpFunctionSpec, RouteSpec } from './manifest/types';

/**
 * THE list of functions and their triggers. A route, schedule or rule that is not here does not
 * exist: the CDK stacks, the local stack and the OpenAPI generator read only this list. Each
 * entry lives in its own file so a function's bundle imports only its own schemas.
 */
export const manifest: readonly FunctionSpec[] = [
  publicFunction,
  organizationFunction,
  catalogFunction,
  inventoryFunction,
  stocktakesFunction,
  customersFunction,
  partnersFunction,
  salesTeamFunction,
  alertsFunction,
  salesFunction,
  serviceRequestsFunction,
  repairsFunction,
  brandFunction,
  marketFunction,
  reportsFunction,
  changesFunction,
  notifyFunction,
  alertRecorderFunction,
  departmentHeadsCheckFunction,
  stockSweepFunction,
  slaSchedulesFunction,
  slaEscalationFunction,
  monthlyAnalysisFunction,
];

export interface ManifestRoute extends RouteSpec {
  functionName: string;
  operationId: string;
}

export function httpFunctions(): HttpFunctionSpec[] {
  return manifest.filter((spec): spec is HttpFunctionSpec => spec.kind === 'http');
}

export function allRoutes(): ManifestRoute[] {
  return httpFunctions().flatMap((spec) =>
    Object.entries(spec.routes).map(([operationId, route]) => ({ ...route, functionName: spec.name, operationId })),
  );
}
