import { getSettings } from '../organization/service';
import { openPipeline, salesFor, salesOfMonth, TOTAL_ID, ZERO_FIGURES } from './aggregates';
import type { SalesSummary, SummaryQuery } from './schema';

/**
 * A month's sales grouped one way: three reads (the grouping's figures, the company total, the
 * open pipeline), whatever the number of orders behind them.
 */
export async function salesSummary(query: SummaryQuery): Promise<SalesSummary> {
  const [rows, total, pipeline, settings] = await Promise.all([salesOfMonth(query.by, query.month), salesFor('total', TOTAL_ID, [query.month]), openPipeline(), getSettings()]);
  return {
    month: query.month,
    by: query.by,
    currency: settings.currency,
    rows: rows.sort((a, b) => b.figures.revenue - a.figures.revenue || a.id.localeCompare(b.id)),
    total: total.get(query.month) ?? { ...ZERO_FIGURES },
    pipeline: pipeline.sort((a, b) => b.value - a.value || a.productId.localeCompare(b.productId)),
  };
}
