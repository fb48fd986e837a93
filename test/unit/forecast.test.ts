import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forecastDemand, type Forecast } from '../../lib/sales/forecast';
import { seeded } from '../support/random';

/** Standard normal draws from a seeded uniform source (Box–Muller). */
function normal(seed: number): () => number {
  const uniform = seeded(seed);
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** Additive seasonal effect per calendar month (Jan … Dec): a November peak, a February trough. */
const SEASON = [-20, -30, -10, 0, 5, 10, 15, 10, 0, 20, 60, 25];
const PEAK = SEASON.indexOf(Math.max(...SEASON));

/** Demand in month t (0 = a January): linear trend plus the season, no noise. */
const truth = (t: number) => 200 + 2 * t + (SEASON[t % 12] ?? 0);

function noisySeries(months: number, seed: number, sd = 6): number[] {
  const draw = normal(seed);
  return Array.from({ length: months }, (_, t) => truth(t) + sd * draw());
}

const values = (f: Forecast) => f.points.map((p) => p.value);
const argmax = (xs: number[]) => xs.indexOf(Math.max(...xs));

describe('forecast: a seasonal series with 36 months of history', () => {
  const seeds = [1, 2, 3, 4, 5];

  it('uses Holt-Winters with a 12-month season', () => {
    for (const seed of seeds) {
      const forecast = forecastDemand(noisySeries(36, seed), 6);
      expect(forecast.method).toMatch(/^holt-winters-(additive|multiplicative)$/);
      expect(forecast.parameters.period).toBe(12);
      expect(forecast.historyMonths).toBe(36);
      expect(forecast.reason).toContain('Holt-Winters');
    }
  });

  it('forecasts each of the next 6 months within 8 % of the noiseless truth', () => {
    for (const seed of seeds) {
      const forecast = forecastDemand(noisySeries(36, seed), 6);
      expect(forecast.points.map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6]);
      forecast.points.forEach((point, i) => {
        const expected = truth(36 + i);
        expect(Math.abs(point.value - expected) / expected).toBeLessThan(0.08);
      });
    }
  });

  it('has 95 % intervals that contain the noiseless truth for nearly every month', () => {
    let inside = 0;
    let total = 0;
    for (const seed of seeds) {
      const forecast = forecastDemand(noisySeries(36, seed), 6);
      forecast.points.forEach((point, i) => {
        const expected = truth(36 + i);
        total++;
        if (point.interval95 && point.interval95.lower <= expected && expected <= point.interval95.upper) inside++;
      });
    }
    expect(inside / total).toBeGreaterThanOrEqual(0.9);
  });

  it('nests the 80 % interval inside the 95 % one and widens with the horizon', () => {
    const forecast = forecastDemand(noisySeries(36, 1), 12);
    for (const { value, interval80, interval95 } of forecast.points) {
      expect(interval80 && interval95).toBeTruthy();
      if (!interval80 || !interval95) continue;
      expect(interval95.lower).toBeLessThanOrEqual(interval80.lower);
      expect(interval80.lower).toBeLessThanOrEqual(value);
      expect(value).toBeLessThanOrEqual(interval80.upper);
      expect(interval80.upper).toBeLessThanOrEqual(interval95.upper);
    }
    const width = (i: number) => {
      const band = forecast.points[i]?.interval95;
      return band ? band.upper - band.lower : 0;
    };
    expect(width(11)).toBeGreaterThanOrEqual(width(0));
  });

  it('forecasts the seasonal peak month as the peak of the coming year', () => {
    for (const seed of seeds) {
      const forecast = forecastDemand(noisySeries(36, seed), 12);
      // Month 36 is a January, so step i + 1 is calendar month i.
      expect(argmax(values(forecast))).toBe(PEAK);
    }
  });

  it('back-tests the last 6 months with a rolling origin, one step ahead', () => {
    const forecast = forecastDemand(noisySeries(36, 1), 6);
    expect(forecast.backtest).toMatchObject({ scheme: 'rolling-origin-one-step', months: 6, pointsUsed: 6, skippedZeroActuals: 0, skippedShortHistory: 0 });
    expect(forecast.backtest.points.map((p) => p.index)).toEqual([30, 31, 32, 33, 34, 35]);
    // Noise of sd 6 on ~250 a month: a one-step MAPE of a few percent.
    expect(forecast.backtest.mape).toBeGreaterThan(0);
    expect(forecast.backtest.mape).toBeLessThan(6);
  });
});

describe('forecast: Holt-Winters details', () => {
  it('back-tests a noiseless seasonal series with a MAPE near 0', () => {
    const series = Array.from({ length: 36 }, (_, t) => truth(t));
    const forecast = forecastDemand(series, 6);
    expect(forecast.backtest.pointsUsed).toBe(6);
    expect(forecast.backtest.mape).toBeLessThan(1e-6);
    forecast.points.forEach((point, i) => expect(point.value).toBeCloseTo(truth(36 + i), 6));
  });

  it('picks multiplicative seasonality when the swing grows with the level', () => {
    const draw = normal(7);
    const shape = (t: number) => (100 + 2 * t) * (1 + 0.3 * Math.cos((2 * Math.PI * (t - 7)) / 12));
    const series = Array.from({ length: 60 }, (_, t) => shape(t) + 5 * draw());
    const forecast = forecastDemand(series, 6);
    expect(forecast.method).toBe('holt-winters-multiplicative');
    forecast.points.forEach((point, i) => expect(Math.abs(point.value - shape(60 + i)) / shape(60 + i)).toBeLessThan(0.08));
  });

  it('never uses multiplicative seasonality when a month is 0', () => {
    const series = noisySeries(36, 3);
    series[5] = 0;
    const forecast = forecastDemand(series, 3);
    expect(forecast.method).toBe('holt-winters-additive');
    expect(forecast.reason).toContain('multiplicative needs every month > 0');
  });

  it('cannot back-test Holt-Winters on 24 months: every origin has less than two years', () => {
    const forecast = forecastDemand(noisySeries(24, 2), 6);
    expect(forecast.method).toMatch(/^holt-winters/);
    expect(forecast.backtest).toMatchObject({ mape: null, pointsUsed: 0, skippedShortHistory: 6 });
    expect(forecast.backtest.points.every((p) => p.forecast === null)).toBe(true);
  });
});

describe('forecast: shorter histories use simpler methods', () => {
  it('uses damped Holt for 12 months of history', () => {
    const forecast = forecastDemand(noisySeries(12, 4), 6);
    expect(forecast.method).toBe('holt-linear');
    expect(forecast.parameters).toMatchObject({ gamma: null, period: null });
    expect(forecast.parameters.phi).toBeGreaterThanOrEqual(0.8);
    expect(forecast.parameters.phi).toBeLessThanOrEqual(1);
    expect(forecast.backtest.pointsUsed).toBe(6);
  });

  it('extends a clean straight line', () => {
    const series = Array.from({ length: 10 }, (_, t) => 10 + 5 * t);
    const forecast = forecastDemand(series, 3);
    expect(forecast.method).toBe('holt-linear');
    expect(values(forecast).map((v) => Math.round(v * 1e6) / 1e6)).toEqual([60, 65, 70]);
  });

  it('uses damped Holt from 3 months', () => {
    expect(forecastDemand([10, 12, 14], 2).method).toBe('holt-linear');
    expect(forecastDemand(noisySeries(23, 1), 2).method).toBe('holt-linear');
  });

  it('uses the mean of a 2-month history', () => {
    const forecast = forecastDemand([10, 20], 3);
    expect(forecast.method).toBe('naive-mean');
    expect(values(forecast)).toEqual([15, 15, 15]);
    expect(forecast.points[0]?.interval95?.upper).toBeGreaterThan(20);
    // One origin with one month before it: forecast 10 for an actual of 20.
    expect(forecast.backtest).toMatchObject({ mape: 50, pointsUsed: 1, skippedShortHistory: 1 });
  });

  it('gives no interval and no back-test for a single month', () => {
    const forecast = forecastDemand([8], 2);
    expect(forecast.method).toBe('naive-mean');
    expect(values(forecast)).toEqual([8, 8]);
    expect(forecast.points[0]).toMatchObject({ interval80: null, interval95: null });
    expect(forecast.residualStdDev).toBeNull();
    expect(forecast.backtest.mape).toBeNull();
  });

  it('forecasts zero with no interval and a null MAPE for an empty history', () => {
    const forecast = forecastDemand([], 4);
    expect(forecast.method).toBe('no-history');
    expect(forecast.points).toEqual([1, 2, 3, 4].map((step) => ({ step, value: 0, interval80: null, interval95: null })));
    expect(forecast.backtest).toMatchObject({ mape: null, pointsUsed: 0, points: [] });
  });
});

describe('forecast: zeros, constants and negatives', () => {
  it('skips months with zero sales in the MAPE and reports how many were used', () => {
    const series = noisySeries(18, 5).map((v) => Math.round(v / 10));
    series[13] = 0;
    series[16] = 0;
    const { backtest } = forecastDemand(series, 3);
    expect(backtest).toMatchObject({ months: 6, pointsUsed: 4, skippedZeroActuals: 2, skippedShortHistory: 0 });
    const used = backtest.points.filter((p) => p.absolutePercentageError !== null);
    expect(used.map((p) => p.index)).toEqual([12, 14, 15, 17]);
    const mean = used.reduce((sum, p) => sum + (p.absolutePercentageError ?? 0), 0) / used.length;
    expect(backtest.mape).toBeCloseTo(mean, 10);
    for (const p of used) expect(p.absolutePercentageError).toBeCloseTo((Math.abs(p.actual - (p.forecast ?? 0)) / p.actual) * 100, 10);
  });

  it('has a null MAPE when every back-tested month is zero', () => {
    const series = [...noisySeries(10, 6), 0, 0, 0, 0, 0, 0];
    const { backtest } = forecastDemand(series, 1);
    expect(backtest).toMatchObject({ mape: null, pointsUsed: 0, skippedZeroActuals: 6 });
  });

  it('forecasts a constant series as that constant with a narrow interval', () => {
    for (const months of [3, 12, 36]) {
      const forecast = forecastDemand(new Array<number>(months).fill(40), 6);
      for (const point of forecast.points) {
        expect(point.value).toBeCloseTo(40, 6);
        expect(point.interval95?.lower).toBeGreaterThan(39.9);
        expect(point.interval95?.upper).toBeLessThan(40.1);
      }
      expect(forecast.backtest.mape).toBeCloseTo(0, 6);
    }
  });

  it('never forecasts negative demand for a collapsing product', () => {
    for (const series of [[100, 80, 55, 30, 10, 2], Array.from({ length: 30 }, (_, t) => Math.max(0, 300 - 12 * t + (t % 12 === 11 ? 40 : 0)))]) {
      const forecast = forecastDemand(series, 24);
      for (const point of forecast.points) {
        expect(point.value).toBeGreaterThanOrEqual(0);
        expect(point.interval80?.lower).toBeGreaterThanOrEqual(0);
        expect(point.interval95?.lower).toBeGreaterThanOrEqual(0);
      }
    }
  });

  it('keeps 0 ≤ lower95 ≤ lower80 ≤ point ≤ upper80 ≤ upper95 for any history', () => {
    fc.assert(
      fc.property(
        // Sales quantities: whole units, or amounts with some precision (no denormal fractions).
        fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 500 }), fc.double({ min: 0.001, max: 1e6, noNaN: true })), { maxLength: 40 }),
        fc.integer({ min: 1, max: 24 }),
        (series, horizon) => {
          const forecast = forecastDemand(series, horizon);
          expect(forecast.points).toHaveLength(horizon);
          for (const { value, interval80, interval95 } of forecast.points) {
            expect(Number.isFinite(value)).toBe(true);
            expect(value).toBeGreaterThanOrEqual(0);
            if (!interval80 || !interval95) continue;
            expect(0).toBeLessThanOrEqual(interval95.lower);
            expect(interval95.lower).toBeLessThanOrEqual(interval80.lower);
            expect(interval80.lower).toBeLessThanOrEqual(value);
            expect(value).toBeLessThanOrEqual(interval80.upper);
            expect(interval80.upper).toBeLessThanOrEqual(interval95.upper);
            expect(Number.isFinite(interval95.upper)).toBe(true);
          }
          const { mape } = forecast.backtest;
          expect(mape === null || (Number.isFinite(mape) && mape >= 0)).toBe(true);
        },
      ),
      { numRuns: 150, seed: 42 },
    );
  });
});

describe('forecast: input validation', () => {
  it.each([
    [[1, -1, 3], 6, 'series[1] must be a finite number ≥ 0'],
    [[1, Number.NaN], 6, 'series[1] must be a finite number ≥ 0'],
    [[Number.POSITIVE_INFINITY], 6, 'series[0] must be a finite number ≥ 0'],
    [[1, 2], 0, 'horizon must be a whole number of months from 1 to 24'],
    [[1, 2], 25, 'horizon must be a whole number of months from 1 to 24'],
    [[1, 2], 1.5, 'horizon must be a whole number of months from 1 to 24'],
  ])('rejects %j with horizon %d', (series, horizon, message) => {
    expect(() => forecastDemand(series, horizon)).toThrow(message);
  });

  it('rejects a series that is not an array', () => {
    expect(() => forecastDemand('12' as unknown as number[], 3)).toThrow('series must be an array');
  });

  it('rejects out-of-range options', () => {
    expect(() => forecastDemand([1, 2, 3], 3, { backtestMonths: 0 })).toThrow('backtestMonths');
    expect(() => forecastDemand([1, 2, 3], 3, { seasonPeriod: 1 })).toThrow('seasonPeriod');
  });

  it('honours a shorter back-test and another season length', () => {
    const quarterly = Array.from({ length: 16 }, (_, t) => 50 + ([10, -5, 0, -5][t % 4] ?? 0));
    const forecast = forecastDemand(quarterly, 4, { seasonPeriod: 4, backtestMonths: 3 });
    expect(forecast.method).toMatch(/^holt-winters/);
    expect(forecast.parameters.period).toBe(4);
    expect(forecast.backtest.points).toHaveLength(3);
    expect(values(forecast).map((v) => Math.round(v))).toEqual([60, 45, 50, 45]);
  });
});
