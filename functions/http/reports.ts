import { reportsFunction } from '../../infra/manifest/reports';
import { httpFunction } from '../../lib/platform/http/http-function';
import type { Reply, RouteRequest } from '../../lib/platform/http/types';
import type { SectionName } from '../../lib/reports/model';
import { listReports, readSection, sectionCsv } from '../../lib/reports/service';

type SectionRequest = RouteRequest<typeof reportsFunction.routes.getSalesReport>;

/** Every section route reads the same way: JSON, or one table as CSV. */
function sectionHandler(section: SectionName) {
  return async ({ params, query }: SectionRequest): Promise<Reply> => {
    const report = await readSection(params.month, section);
    if (query.format === 'json') return { body: report };
    const { filename, csv } = sectionCsv(report, query.table);
    return { body: csv, contentType: 'text/csv; charset=utf-8', headers: { 'content-disposition': `attachment; filename="${filename}"` } };
  };
}

export const handler = httpFunction(reportsFunction, {
  listReports: async ({ actor, query }) => ({ body: await listReports(actor, query) }),
  getMarketTrendsReport: sectionHandler('market-trends'),
  getSalesReport: sectionHandler('sales'),
  getAfterSalesReport: sectionHandler('after-sales'),
  getInventoryReport: sectionHandler('inventory'),
  getRecommendationsReport: sectionHandler('recommendations'),
});
