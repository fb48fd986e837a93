import { REPORT_READERS, SECTION_READERS } from '../../lib/reports/access';
import type { SectionName } from '../../lib/reports/model';
import { monthParams, reportListQuery, reportMonthPage, sectionQuery, sectionView } from '../../lib/reports/schema';
import type { RouteSpec, ScheduleFunctionSpec } from './types';
import { defineHttpFunction } from './types';

/**
 * One route per section, so each section's readers are a route's role rule (lib/reports/access.ts),
 * visible in the OpenAPI document and proven by the route-role test like every other route.
 */
function sectionRoute(section: SectionName, what: string) {
  return {
    method: 'GET',
    path: `/reports/{month}/${section}`,
    summary: `${what} \`?format=csv&table=<id>\` gives one of its tables as CSV. A rebuild from the same figures is byte-identical.`,
    roles: SECTION_READERS[section],
    params: monthParams,
    query: sectionQuery,
    status: 200,
    response: sectionView,
  } as const satisfies RouteSpec;
}

export const reportsFunction = defineHttpFunction({
  kind: 'http',
  name: 'reports',
  description: 'The monthly analyses: market trends, sales, after-sales, inventory and recommendations.',
  entry: 'functions/http/reports.ts',
  routes: {
    listReports: {
      method: 'GET',
      path: '/reports',
      summary: 'Months with reports, newest first, each listing the sections your roles may read (with their tables); `?month=` for one month.',
      roles: REPORT_READERS,
      query: reportListQuery,
      status: 200,
      response: reportMonthPage,
    },
    getMarketTrendsReport: sectionRoute('market-trends', 'Market trends: entries by kind and importance, competitor moves and price changes, market size and share, demand signals from feedback.'),
    getSalesReport: sectionRoute('sales', 'Sales: revenue, gross profit and quantity by product, channel, partner, rep and region, vs target and last year; customers; partners; the 3-month forecast.'),
    getAfterSalesReport: sectionRoute('after-sales', 'After-sales: complaints by product, category, root cause and department; SLA compliance; response and resolution times; satisfaction; compensation.'),
    getInventoryReport: sectionRoute('inventory', 'Inventory: turnover and days of inventory, stock-outs and days below minimum, overstock value, expiring lots, stocktake variances.'),
    getRecommendationsReport: sectionRoute('recommendations', 'Recommendations: plain rules over the other sections’ figures, each citing its numbers.'),
  },
});

export const monthlyAnalysisFunction: ScheduleFunctionSpec = {
  kind: 'schedule',
  name: 'monthly-analysis',
  description: 'Monthly: builds the report of the month just ended from the aggregates and emails each department head their digest, once.',
  entry: 'functions/jobs/monthly-analysis.ts',
  // Products × days of aggregates, read once a month: a minute is ample, memory buys CPU.
  memoryMb: 1024,
  timeoutSeconds: 300,
  schedules: [
    {
      name: 'monthly-analysis',
      description: 'At 02:00 company time on the 1st of every month.',
      cron: '0 2 1 * *',
      timeZone: 'company',
    },
  ],
};
