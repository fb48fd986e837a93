import { getProduct } from '../catalog/service';
import { getSettings } from '../organization/service';
import type { ServiceContext } from '../platform/context';
import { localMonth } from '../platform/time';
import { monthsBetween, salesFor } from './aggregates';
import { forecastDemand } from './forecast';
import type { ForecastView } from './schema';

/** Five years is plenty for seasonal methods and keeps the read to one batch. */
const MAX_HISTORY_MONTHS = 60;

/**
 * A product's monthly demand forecast from the units it shipped (net of returns) in every
 * complete month since its launch: the current month is still open, so it is left out.
 */
export async function productDemandForecast(context: ServiceContext, productId: string, months: number): Promise<ForecastView> {
  const [product, settings] = await Promise.all([getProduct(productId), getSettings()]);
  const current = localMonth(context.clock.now(), settings.timeZone);
  const lastComplete = shiftMonth(current, -1);
  const launched = product.launchDate.slice(0, 7);
  const earliest = shiftMonth(lastComplete, -(MAX_HISTORY_MONTHS - 1));
  const first = launched > earliest ? launched : earliest;
  const historyMonths = first <= lastComplete ? monthsBetween(first, lastComplete) : [];
  const figures = await salesFor('product', productId, historyMonths);
  const history = historyMonths.map((month) => ({ month, quantity: Math.max(0, figures.get(month)?.quantity ?? 0) }));

  const result = forecastDemand(
    history.map((point) => point.quantity),
    months,
  );
  return {
    productId,
    basis: history.length
      ? `Units shipped net of returns per month, ${history[0]?.month} to ${lastComplete} (${history.length} complete months since launch, at most ${MAX_HISTORY_MONTHS}).`
      : `No complete month since launch (${product.launchDate}): nothing to learn from yet.`,
    history,
    method: result.method,
    reason: result.reason,
    parameters: { ...result.parameters },
    forecast: result.points.map((point) => ({ month: shiftMonth(lastComplete, point.step), quantity: point.value, interval80: point.interval80, interval95: point.interval95 })),
    backtest: {
      description: `Rolling origin, one step ahead, over the last ${result.backtest.months} months: each month is forecast from the months before it; months with zero actual units are skipped.`,
      mapePercent: result.backtest.mape,
      pointsUsed: result.backtest.pointsUsed,
      skippedZeroActuals: result.backtest.skippedZeroActuals,
    },
  };
}

function shiftMonth(month: string, by: number): string {
  const [year, index] = month.split('-').map(Number) as [number, number];
  const total = year * 12 + (index - 1) + by;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`;
}
