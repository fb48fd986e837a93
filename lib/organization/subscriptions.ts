import type { DepartmentCode } from './schema';

/**
 * What each department head receives by email. This list says only what postlaunch sends
 * today; each module adds its alerts here when it starts sending them, so a new head's
 * welcome email never promises mail that does not exist.
 */
const EVERY_HEAD = [
  'A notice when the head of your department changes.',
  'An email when a service request (complaint, consultation, repair) is assigned to your department, when a complaint about a product your department owns is filed, and a warning at 80 % of the first-response or resolution time of a request assigned to your department.',
  'An email when an importance-3 competitor move or price change is recorded about a product your department owns.',
];

const SERVICE_DESK = 'An email for every complaint filed, and an escalation whenever a service request misses its first-response or resolution deadline.';

const STOCK_ALERTS =
  'An email the moment a stock level falls below its minimum or safety level, or rises above its maximum: once per crossing, with a suggested reorder quantity and days of cover.';

const STOCK_DIGEST =
  'A daily stock digest at 00:45 company time, only when something needs attention: levels below minimum or above maximum, and lots expiring within 30 days or already expired.';

const monthlyDigest = (what: string) => `On the 1st of each month at 02:00 company time, the monthly analysis of the month just ended: ${what}, with a link to the full report.`;

const BY_DEPARTMENT: Partial<Record<DepartmentCode, string[]>> = {
  production: [STOCK_ALERTS, STOCK_DIGEST, monthlyDigest('inventory (turnover, stock-outs, overstock, expiring lots, stocktake variances)')],
  procurement: [STOCK_ALERTS, STOCK_DIGEST, monthlyDigest('inventory (turnover, stock-outs, overstock, expiring lots, stocktake variances)')],
  admin: ['A daily warning (08:00 company time) when a department has no head, since its alerts would reach nobody.'],
  management: [
    'A daily warning (08:00 company time) when a department has no head, since its alerts would reach nobody.',
    'An escalation whenever a service request misses its first-response or resolution deadline.',
    monthlyDigest('a one-page summary of every section and the recommendations'),
  ],
  service: [SERVICE_DESK, monthlyDigest('after-sales service (complaints, SLA compliance, response times, satisfaction)')],
  market: ['An email for every market intelligence entry of importance 3 that is a competitor move or a price change (once per entry).', monthlyDigest('market trends')],
  sales: [monthlyDigest('sales against target and last year, customers, partners and the forecast')],
};

export function subscriptionsOf(code: DepartmentCode): string[] {
  return [...EVERY_HEAD, ...(BY_DEPARTMENT[code] ?? [])];
}
