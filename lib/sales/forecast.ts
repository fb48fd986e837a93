/**
 * Monthly demand forecast: pure maths, no I/O. The route reads a product's monthly sales
 * (oldest first) from the aggregates and hands them here; production planning reads the result.
 *
 * Method by length of history (n months; the reasons are in docs/decisions.md):
 * - n = 0: zero demand, no interval, no back-test.
 * - n < 3: the mean of the history, interval from the sample standard deviation (n = 2).
 * - 3 ≤ n < 2·period: damped Holt linear trend.
 * - n ≥ 2·period (24 months): Holt-Winters, additive or multiplicative seasonality (the lower
 *   in-sample one-step SSE; multiplicative only when every month is > 0), initialised from the
 *   first two years.
 * Smoothing parameters minimise the in-sample one-step SSE: a coarse grid, then a pattern search.
 *
 * Intervals are those of the method's state-space form (Hyndman et al., "Forecasting with
 * Exponential Smoothing", class 1): σ_h² = σ² (1 + Σ_{j<h} c_j²), σ from the one-step residuals;
 * for multiplicative Holt-Winters σ is relative to the forecast (an approximation). Normal
 * quantiles; clipped at 0, as demand cannot be negative.
 *
 * Back-test: rolling origin over the last `backtestMonths` (6) months. For each, the same method
 * (same seasonality variant) is re-fitted — parameters included — on the months before it and
 * forecasts one step ahead. Months with actual 0 are skipped (a percentage error of 0 is
 * undefined), as are origins with too little history for the method; MAPE is null when no month
 * is left.
 */

/** Every method the forecast may report (for a response schema: `z.enum(FORECAST_METHODS)`). */
export const FORECAST_METHODS = ['holt-winters-additive', 'holt-winters-multiplicative', 'holt-linear', 'naive-mean', 'no-history'] as const;
export type ForecastMethod = (typeof FORECAST_METHODS)[number];

export interface PredictionInterval {
  lower: number;
  upper: number;
}

export interface ForecastPoint {
  /** 1 = the month after the last month of history. */
  step: number;
  /** Point forecast, ≥ 0. */
  value: number;
  /** null when the history cannot estimate a spread (fewer than 2 months). */
  interval80: PredictionInterval | null;
  interval95: PredictionInterval | null;
}

/** Fitted smoothing parameters; null where the method has none. */
export interface ForecastParameters {
  /** Level smoothing. */
  alpha: number | null;
  /** Trend smoothing (β* of the component form). */
  beta: number | null;
  /** Seasonal smoothing. */
  gamma: number | null;
  /** Trend damping (1 = undamped). */
  phi: number | null;
  /** Season length in months. */
  period: number | null;
}

export interface BacktestPoint {
  /** Index of the month in the series. */
  index: number;
  actual: number;
  /** null when the origin had too little history for the method (or it could not be fitted). */
  forecast: number | null;
  /** |actual − forecast| / actual × 100; null when skipped (actual 0 or no forecast). */
  absolutePercentageError: number | null;
}

export interface Backtest {
  scheme: 'rolling-origin-one-step';
  /** Months asked for (the last ones of the series). */
  months: number;
  /** Mean absolute percentage error in percent, over `pointsUsed` months; null when none. */
  mape: number | null;
  pointsUsed: number;
  skippedZeroActuals: number;
  skippedShortHistory: number;
  points: BacktestPoint[];
}

export interface Forecast {
  method: ForecastMethod;
  /** One line: why this method. */
  reason: string;
  historyMonths: number;
  horizon: number;
  parameters: ForecastParameters;
  /**
   * Standard deviation of the in-sample one-step errors (relative to the forecast, as a
   * fraction, for multiplicative Holt-Winters); null when it cannot be estimated.
   */
  residualStdDev: number | null;
  points: ForecastPoint[];
  backtest: Backtest;
}

export interface ForecastOptions {
  /** Months at the end of the series to back-test (1..24, default 6). */
  backtestMonths?: number;
  /** Season length (2..24, default 12); Holt-Winters needs two full seasons. */
  seasonPeriod?: number;
}

export const MAX_HORIZON = 24;

const Z80 = 1.2815515655446004;
const Z95 = 1.959963984540054;

/** Forecast `horizon` months of demand from a monthly `series` (oldest first, each ≥ 0). */
export function forecastDemand(series: number[], horizon: number, options: ForecastOptions = {}): Forecast {
  validate(series, horizon, options);
  const period = options.seasonPeriod ?? 12;
  const backtestMonths = options.backtestMonths ?? 6;
  const n = series.length;

  if (n === 0) {
    return {
      method: 'no-history',
      reason: 'no sales history: zero demand assumed, no interval or back-test possible',
      historyMonths: 0,
      horizon,
      parameters: noParameters(),
      residualStdDev: null,
      points: Array.from({ length: horizon }, (_, i) => ({ step: i + 1, value: 0, interval80: null, interval95: null })),
      backtest: { scheme: 'rolling-origin-one-step', months: backtestMonths, mape: null, pointsUsed: 0, skippedZeroActuals: 0, skippedShortHistory: 0, points: [] },
    };
  }

  const { fit, reason } = chooseModel(series, period);
  return {
    method: fit.method,
    reason,
    historyMonths: n,
    horizon,
    parameters: fit.parameters,
    residualStdDev: fit.sigma,
    points: predict(fit, horizon),
    backtest: backtest(series, backtestMonths, fit.method, period),
  };
}

// ---------------------------------------------------------------------------------------------
// Validation

function validate(series: unknown, horizon: unknown, options: ForecastOptions): void {
  if (!Array.isArray(series)) throw new Error('series must be an array of monthly quantities');
  series.forEach((value: unknown, index) => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new Error(`series[${index}] must be a finite number ≥ 0 (got ${String(value)})`);
    }
  });
  if (typeof horizon !== 'number' || !Number.isInteger(horizon) || horizon < 1 || horizon > MAX_HORIZON) {
    throw new Error(`horizon must be a whole number of months from 1 to ${MAX_HORIZON} (got ${String(horizon)})`);
  }
  const { backtestMonths, seasonPeriod } = options;
  if (backtestMonths !== undefined && (!Number.isInteger(backtestMonths) || backtestMonths < 1 || backtestMonths > 24)) {
    throw new Error(`backtestMonths must be a whole number from 1 to 24 (got ${String(backtestMonths)})`);
  }
  if (seasonPeriod !== undefined && (!Number.isInteger(seasonPeriod) || seasonPeriod < 2 || seasonPeriod > 24)) {
    throw new Error(`seasonPeriod must be a whole number from 2 to 24 (got ${String(seasonPeriod)})`);
  }
}

// ---------------------------------------------------------------------------------------------
// Fitted models

interface Fit {
  method: Exclude<ForecastMethod, 'no-history'>;
  parameters: ForecastParameters;
  /** Point forecasts for steps 1..h (not yet clipped). */
  means(h: number): number[];
  /** σ_h² / σ² at step h: 1 + Σ_{j<h} c_j² with the c_j of the method's state-space form. */
  varianceFactor(h: number): number;
  /** One-step residual standard deviation (relative when `relative`); null when unknown. */
  sigma: number | null;
  relative: boolean;
}

function noParameters(): ForecastParameters {
  return { alpha: null, beta: null, gamma: null, phi: null, period: null };
}

/** The model the rules pick for this history, fitted, with the one-line reason. */
function chooseModel(y: number[], period: number): { fit: Fit; reason: string } {
  const n = y.length;
  if (n < 3) {
    return { fit: fitNaiveMean(y), reason: `${n} month${n === 1 ? '' : 's'} of history (< 3): too short for a trend, the mean of the history` };
  }
  if (n < 2 * period) {
    return { fit: fitHolt(y), reason: `${n} months of history (3–${2 * period - 1}): damped Holt linear trend, too short for a season` };
  }
  const additive = fitHoltWinters(y, period, 'additive');
  const multiplicative = y.every((v) => v > 0) ? fitHoltWinters(y, period, 'multiplicative') : undefined;
  const base = `${n} months of history (≥ ${2 * period}): Holt-Winters with a ${period}-month season`;
  if (!multiplicative) {
    return { fit: additive, reason: `${base}, additive (multiplicative needs every month > 0)` };
  }
  const compared = `one-step SSE ${round(additive.sse)} additive vs ${round(multiplicative.sse)} multiplicative`;
  return multiplicative.sse < additive.sse
    ? { fit: multiplicative, reason: `${base}, multiplicative (${compared})` }
    : { fit: additive, reason: `${base}, additive (${compared})` };
}

/** Re-fit the given method on a shorter history (the back-test); undefined when too short. */
function fitMethod(y: number[], method: Fit['method'], period: number): Fit | undefined {
  switch (method) {
    case 'naive-mean':
      return y.length >= 1 ? fitNaiveMean(y) : undefined;
    case 'holt-linear':
      return y.length >= 3 ? fitHolt(y) : undefined;
    case 'holt-winters-additive':
      return y.length >= 2 * period ? fitHoltWinters(y, period, 'additive') : undefined;
    case 'holt-winters-multiplicative':
      return y.length >= 2 * period ? fitHoltWinters(y, period, 'multiplicative') : undefined;
  }
}

function fitNaiveMean(y: number[]): Fit {
  const n = y.length;
  const mean = y.reduce((s, v) => s + v, 0) / n;
  const sigma = n >= 2 ? Math.sqrt(y.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1)) : null;
  return {
    method: 'naive-mean',
    parameters: noParameters(),
    means: (h) => Array.from({ length: h }, () => mean),
    // A new draw around an estimated mean: σ² (1 + 1/n), the same for every step.
    varianceFactor: () => 1 + 1 / n,
    sigma,
    relative: false,
  };
}

/**
 * Residual standard deviation from `r` residuals, `k` quantities estimated from the same data
 * (smoothing parameters and starting states), at least one degree of freedom.
 */
function residualSigma(sse: number, r: number, k: number): number | null {
  if (r <= 0) return null;
  return Math.sqrt(sse / Math.max(1, r - k));
}

// --- damped Holt (ETS(A,Ad,N)): starts from the least-squares line through the first ten months

interface HoltState {
  sse: number;
  level: number;
  trend: number;
}

/** Level and trend one month before the first, from a straight line fitted to the first ≤ 10 months. */
function linearStart(y: number[]): { level: number; trend: number } {
  const k = Math.min(y.length, 10);
  const meanT = (k - 1) / 2;
  let meanY = 0;
  for (let t = 0; t < k; t++) meanY += y[t] ?? 0;
  meanY /= k;
  let sxy = 0;
  let sxx = 0;
  for (let t = 0; t < k; t++) {
    sxy += (t - meanT) * ((y[t] ?? 0) - meanY);
    sxx += (t - meanT) ** 2;
  }
  const trend = sxx > 0 ? sxy / sxx : 0;
  return { level: meanY - trend * (meanT + 1), trend };
}

function holtRun(y: number[], alpha: number, beta: number, phi: number, bound = Infinity): HoltState {
  let { level, trend } = linearStart(y);
  let sse = 0;
  for (let t = 0; t < y.length; t++) {
    const yt = y[t] ?? 0;
    const damped = phi * trend;
    const e = yt - (level + damped);
    sse += e * e;
    if (sse > bound) return { sse, level, trend };
    const previous = level;
    level = previous + damped + alpha * e;
    trend = beta * (level - previous) + (1 - beta) * damped;
  }
  return { sse, level, trend };
}

interface FitWithSse extends Fit {
  sse: number;
}

function fitHolt(y: number[]): FitWithSse {
  const [alpha = 0.5, beta = 0.1, phi = 0.98] = minimise(
    (p, bound) => holtRun(y, p[0] ?? 0, p[1] ?? 0, p[2] ?? 1, bound).sse,
    [
      [0.05, 0.2, 0.4, 0.6, 0.8, 0.95],
      [0.01, 0.05, 0.15, 0.3, 0.5],
      // Undamped first: on a perfect line every φ fits, and ties keep the first.
      [1, 0.98, 0.95, 0.9, 0.8],
    ],
    [
      [0.0001, 0.9999],
      [0.0001, 0.9999],
      [0.8, 1],
    ],
  );
  const { sse, level, trend } = holtRun(y, alpha, beta, phi);
  return {
    method: 'holt-linear',
    parameters: { ...noParameters(), alpha, beta, phi },
    sse,
    means: (h) => {
      const out: number[] = [];
      let damping = 0;
      for (let step = 1; step <= h; step++) {
        damping += phi ** step;
        out.push(level + damping * trend);
      }
      return out;
    },
    // c_j = α (1 + β φ_j), φ_j = φ + … + φ^j
    varianceFactor: (h) => {
      let total = 1;
      let damping = 0;
      for (let j = 1; j < h; j++) {
        damping += phi ** j;
        total += (alpha * (1 + beta * damping)) ** 2;
      }
      return total;
    },
    // α, β, φ and the starting level and trend.
    sigma: residualSigma(sse, y.length, 5),
    relative: false,
  };
}

// --- Holt-Winters, additive (ETS(A,A,A)) or multiplicative seasonality

type Seasonality = 'additive' | 'multiplicative';

interface SeasonalStart {
  level: number;
  trend: number;
  /** season[i] for month position i (t mod period) of the first year. */
  season: number[];
}

/**
 * Classical start from the first two years: the trend is the difference of the two yearly
 * means over a period, the line through them detrends both years, the seasonal indices are the
 * average deviations (or ratios) from it, normalised to sum 0 (or average 1). The level is the
 * line one month before the first.
 */
function seasonalStart(y: number[], m: number, kind: Seasonality): SeasonalStart | undefined {
  let first = 0;
  let second = 0;
  for (let i = 0; i < m; i++) {
    first += y[i] ?? 0;
    second += y[i + m] ?? 0;
  }
  first /= m;
  second /= m;
  const trend = (second - first) / m;
  const line = (t: number) => first + trend * (t - (m - 1) / 2);
  const season: number[] = [];
  for (let i = 0; i < m; i++) {
    const a = line(i);
    const b = line(i + m);
    if (kind === 'multiplicative') {
      if (a <= 0 || b <= 0) return undefined;
      season.push(((y[i] ?? 0) / a + (y[i + m] ?? 0) / b) / 2);
    } else {
      season.push(((y[i] ?? 0) - a + (y[i + m] ?? 0) - b) / 2);
    }
  }
  const mean = season.reduce((s, v) => s + v, 0) / m;
  const normalised = kind === 'multiplicative' ? season.map((v) => v / mean) : season.map((v) => v - mean);
  return { level: line(-1), trend, season: normalised };
}

interface SeasonalState {
  sse: number;
  /** Σ (e_t / ŷ_t)², for the multiplicative interval. */
  relativeSse: number;
  level: number;
  trend: number;
  season: number[];
}

function holtWintersRun(
  y: number[],
  m: number,
  kind: Seasonality,
  start: SeasonalStart,
  alpha: number,
  beta: number,
  gamma: number,
  bound = Infinity,
): SeasonalState {
  let level = start.level;
  let trend = start.trend;
  const season = start.season.slice();
  let sse = 0;
  let relativeSse = 0;
  for (let t = 0; t < y.length; t++) {
    const yt = y[t] ?? 0;
    const position = t % m;
    const s = season[position] ?? 0;
    const base = level + trend;
    let fitted: number;
    let newLevel: number;
    if (kind === 'additive') {
      fitted = base + s;
      newLevel = alpha * (yt - s) + (1 - alpha) * base;
      season[position] = gamma * (yt - base) + (1 - gamma) * s;
    } else {
      if (base <= 0 || s <= 0) return { sse: Infinity, relativeSse: Infinity, level, trend, season };
      fitted = base * s;
      newLevel = (alpha * yt) / s + (1 - alpha) * base;
      season[position] = (gamma * yt) / base + (1 - gamma) * s;
    }
    const e = yt - fitted;
    sse += e * e;
    if (sse > bound) return { sse, relativeSse, level, trend, season };
    if (fitted !== 0) relativeSse += (e / fitted) ** 2;
    trend = beta * (newLevel - level) + (1 - beta) * trend;
    level = newLevel;
  }
  return { sse, relativeSse, level, trend, season };
}

function fitHoltWinters(y: number[], m: number, kind: 'additive'): FitWithSse;
function fitHoltWinters(y: number[], m: number, kind: Seasonality): FitWithSse | undefined;
function fitHoltWinters(y: number[], m: number, kind: Seasonality): FitWithSse | undefined {
  const start = seasonalStart(y, m, kind);
  if (!start) return undefined;
  const [alpha = 0.3, beta = 0.05, gamma = 0.1] = minimise(
    (p, bound) => holtWintersRun(y, m, kind, start, p[0] ?? 0, p[1] ?? 0, p[2] ?? 0, bound).sse,
    [
      [0.05, 0.15, 0.3, 0.5, 0.7, 0.9],
      [0.01, 0.05, 0.15, 0.3],
      [0.01, 0.05, 0.15, 0.3, 0.5],
    ],
  );
  const state = holtWintersRun(y, m, kind, start, alpha, beta, gamma);
  if (!Number.isFinite(state.sse)) return undefined;
  const n = y.length;
  return {
    method: kind === 'additive' ? 'holt-winters-additive' : 'holt-winters-multiplicative',
    parameters: { alpha, beta, gamma, phi: 1, period: m },
    sse: state.sse,
    means: (h) => {
      const out: number[] = [];
      for (let step = 1; step <= h; step++) {
        const s = state.season[(n - 1 + step) % m] ?? 0;
        const base = state.level + step * state.trend;
        out.push(kind === 'additive' ? base + s : base * s);
      }
      return out;
    },
    // c_j = α (1 + β j) + γ·[j is a multiple of the period]
    varianceFactor: (h) => {
      let total = 1;
      for (let j = 1; j < h; j++) total += (alpha * (1 + beta * j) + (j % m === 0 ? gamma : 0)) ** 2;
      return total;
    },
    // α, β, γ, the starting level and trend and m − 1 free seasonal indices.
    sigma: residualSigma(kind === 'additive' ? state.sse : state.relativeSse, n, m + 4),
    relative: kind === 'multiplicative',
  };
}

// ---------------------------------------------------------------------------------------------
// Optimiser: the best point of a coarse grid, then a pattern search within per-parameter bounds

function minimise(
  objective: (p: number[], bound: number) => number,
  grid: number[][],
  bounds: Array<[number, number]> = grid.map(() => [0.0001, 0.9999]),
): number[] {
  let best: number[] = grid.map((values) => values[0] ?? 0);
  let bestValue = Infinity;
  const point: number[] = new Array<number>(grid.length).fill(0);
  const visit = (dimension: number): void => {
    if (dimension === grid.length) {
      const value = objective(point, bestValue);
      if (value < bestValue) {
        bestValue = value;
        best = point.slice();
      }
      return;
    }
    for (const v of grid[dimension] ?? []) {
      point[dimension] = v;
      visit(dimension + 1);
    }
  };
  visit(0);

  // Compass search: try ± step on each coordinate, halve the step when nothing improves.
  let step = 0.05;
  while (step >= 0.004 && bestValue > 0) {
    let improved = false;
    for (let d = 0; d < best.length; d++) {
      for (const direction of [1, -1]) {
        const candidate = best.slice();
        const [lower, upper] = bounds[d] ?? [0.0001, 0.9999];
        candidate[d] = Math.min(upper, Math.max(lower, (candidate[d] ?? 0) + direction * step));
        if (candidate[d] === best[d]) continue;
        const value = objective(candidate, bestValue);
        if (value < bestValue) {
          bestValue = value;
          best = candidate;
          improved = true;
        }
      }
    }
    if (!improved) step /= 2;
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// Prediction and back-test

function predict(fit: Fit, horizon: number): ForecastPoint[] {
  const means = fit.means(horizon);
  return means.map((mean, i) => {
    const step = i + 1;
    const value = Math.max(0, mean);
    if (fit.sigma === null) return { step, value, interval80: null, interval95: null };
    const spread = fit.sigma * Math.sqrt(fit.varianceFactor(step)) * (fit.relative ? value : 1);
    return { step, value, interval80: interval(mean, value, Z80 * spread), interval95: interval(mean, value, Z95 * spread) };
  });
}

function interval(mean: number, value: number, halfWidth: number): PredictionInterval {
  return { lower: Math.max(0, mean - halfWidth), upper: Math.max(value, mean + halfWidth) };
}

function backtest(y: number[], months: number, method: Fit['method'], period: number): Backtest {
  const points: BacktestPoint[] = [];
  let used = 0;
  let zeros = 0;
  let short = 0;
  let total = 0;
  for (let index = Math.max(0, y.length - months); index < y.length; index++) {
    const actual = y[index] ?? 0;
    const fit = fitMethod(y.slice(0, index), method, period);
    const forecast = fit ? Math.max(0, fit.means(1)[0] ?? 0) : null;
    let ape: number | null = null;
    if (forecast === null) short++;
    else if (actual === 0) zeros++;
    else {
      ape = (Math.abs(actual - forecast) / actual) * 100;
      total += ape;
      used++;
    }
    points.push({ index, actual, forecast, absolutePercentageError: ape });
  }
  return {
    scheme: 'rolling-origin-one-step',
    months,
    mape: used > 0 ? total / used : null,
    pointsUsed: used,
    skippedZeroActuals: zeros,
    skippedShortHistory: short,
    points,
  };
}

function round(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toPrecision(3);
}
