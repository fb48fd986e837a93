import type { SalesFigures } from '../sales/aggregates';
import { periodMonths, type Period } from '../sales/period';
import { addDays, nextMonth } from '../platform/time';
import type { SalesTarget, Scorecard, TargetBasis } from './schema';

/**
 * Pure target arithmetic (no I/O): which stored targets stand for a period, and how actual
 * figures compare with them. The service reads the targets and figures and calls these.
 */

/** The last day of a period: a target is due by the end of it. */
export function periodDeadline(value: Period): string {
  const last = periodMonths(value).at(-1) as string;
  return addDays(`${nextMonth(last)}-01`, -1);
}

/** The quarter `yyyy-Qn` a month `yyyy-mm` belongs to. */
export function quarterOf(month: string): string {
  return `${month.slice(0, 4)}-Q${Math.ceil(Number(month.slice(5, 7)) / 3)}`;
}

interface Measures {
  revenue?: { amount: number; currency: string };
  grossProfit?: { amount: number; currency: string };
  newCustomers?: number;
  satisfaction?: number;
}

export interface ResolvedTarget extends Measures {
  basis: TargetBasis;
  /** The stored targets it was computed from. */
  periods: string[];
}

const NONE: ResolvedTarget = { basis: 'none', periods: [] };

function measuresOf(target: SalesTarget): Measures {
  const { revenue, grossProfit, newCustomers, satisfaction } = target;
  return { revenue, grossProfit, newCustomers, satisfaction };
}

/**
 * Part `index` of `parts` of an integer total, so that the parts add up to the total exactly:
 * 100 over three months is 33, 33, 34 (the remainder falls on the last months).
 */
export function share(total: number, index: number, parts: number): number {
  const base = Math.floor(total / parts);
  const remainder = total - base * parts;
  return base + (index >= parts - remainder ? 1 : 0);
}

/**
 * Sums the components' measures. A measure exists only if every component has it (a partial
 * sum would understate the target); satisfaction, an average, is the mean of the components.
 */
function sum(components: Measures[]): Measures {
  const all = <K extends keyof Measures>(name: K) => components.every((component) => component[name] !== undefined);
  const money = (name: 'revenue' | 'grossProfit') =>
    all(name)
      ? { amount: components.reduce((total, component) => total + (component[name]?.amount ?? 0), 0), currency: components[0]?.[name]?.currency ?? '' }
      : undefined;
  const result: Measures = {};
  const revenue = money('revenue');
  const grossProfit = money('grossProfit');
  if (revenue) result.revenue = revenue;
  if (grossProfit) result.grossProfit = grossProfit;
  if (all('newCustomers')) result.newCustomers = components.reduce((total, component) => total + (component.newCustomers ?? 0), 0);
  if (all('satisfaction')) result.satisfaction = Math.round((components.reduce((total, component) => total + (component.satisfaction ?? 0), 0) / components.length) * 100) / 100;
  return result;
}

function quarterTarget(quarter: string, byPeriod: Map<string, SalesTarget>): ResolvedTarget {
  const own = byPeriod.get(quarter);
  if (own) return { basis: 'exact', periods: [quarter], ...measuresOf(own) };
  const months = periodMonths(quarter).map((month) => byPeriod.get(month));
  if (months.some((target) => target === undefined)) return NONE;
  const targets = months as SalesTarget[];
  return { basis: 'sum-of-months', periods: targets.map((target) => target.period), ...sum(targets.map(measuresOf)) };
}

/**
 * The target that stands for `value`, from the subject's stored targets of that year:
 * - a month: its own target, else a third of its quarter's (`share`; satisfaction as is);
 * - a quarter: its own target, else the sum of its three months' targets (all three needed);
 * - a year: the sum of its four quarters, each resolved as above (all four needed).
 * Anything else is no target: a scorecard never invents one.
 */
export function resolveTarget(value: Period, targets: readonly SalesTarget[]): ResolvedTarget {
  const byPeriod = new Map(targets.map((target) => [target.period, target]));
  if (value.length === 4) {
    const quarters = [1, 2, 3, 4].map((quarter) => quarterTarget(`${value}-Q${quarter}`, byPeriod));
    if (quarters.some((quarter) => quarter.basis === 'none')) return NONE;
    return { basis: 'sum-of-quarters', periods: quarters.flatMap((quarter) => quarter.periods), ...sum(quarters) };
  }
  if (value[5] === 'Q') return quarterTarget(value, byPeriod);
  const own = byPeriod.get(value);
  if (own) return { basis: 'exact', periods: [value], ...measuresOf(own) };
  const quarter = quarterOf(value);
  const whole = byPeriod.get(quarter);
  if (!whole) return NONE;
  const index = periodMonths(quarter).indexOf(value);
  const part = (amount: number) => share(amount, index, 3);
  const result: ResolvedTarget = { basis: 'quarter-pro-rata', periods: [quarter] };
  if (whole.revenue) result.revenue = { ...whole.revenue, amount: part(whole.revenue.amount) };
  if (whole.grossProfit) result.grossProfit = { ...whole.grossProfit, amount: part(whole.grossProfit.amount) };
  if (whole.newCustomers !== undefined) result.newCustomers = part(whole.newCustomers);
  if (whole.satisfaction !== undefined) result.satisfaction = whole.satisfaction;
  return result;
}

/** actual ÷ target × 100 to one decimal; null without a target or with a target of 0. */
export function attainmentPercent(actual: number, target: number | undefined): number | null {
  if (target === undefined || target === 0) return null;
  return Math.round((actual * 1000) / target) / 10;
}

export const SATISFACTION_NOT_MEASURED = 'not measured until the after-sales module records satisfaction';

/** Actual against target for each measure; the figures are in the company currency. */
export function compare(target: ResolvedTarget, figures: SalesFigures, currency: string): Scorecard['measures'] {
  const money = (name: 'revenue' | 'grossProfit') => {
    const goal = target[name];
    const actual = figures[name];
    // Targets are checked against the company currency when set; a later change of currency makes them incomparable.
    const comparable = goal !== undefined && goal.currency === currency;
    return { target: goal ?? null, actual: { amount: actual, currency }, attainmentPercent: comparable ? attainmentPercent(actual, goal.amount) : null };
  };
  return {
    revenue: money('revenue'),
    grossProfit: money('grossProfit'),
    newCustomers: { target: target.newCustomers ?? null, actual: figures.newCustomers, attainmentPercent: attainmentPercent(figures.newCustomers, target.newCustomers) },
    satisfaction: { target: target.satisfaction ?? null, actual: null, attainmentPercent: null, reason: SATISFACTION_NOT_MEASURED },
  };
}
