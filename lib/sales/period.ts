import * as z from 'zod';

/**
 * A reporting period as the sales side names it: a month `2026-11`, a quarter `2026-Q4` or a
 * year `2026`. Targets, scorecards, agreements and evaluations all speak in these.
 */
export const period = z
  .string()
  .regex(/^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4])?$/, 'a month (2026-11), a quarter (2026-Q4) or a year (2026)')
  .describe('A month `yyyy-mm`, a quarter `yyyy-Qn` or a year `yyyy`.');
export type Period = z.infer<typeof period>;

export const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month, e.g. 2026-11');

/** The months a period covers, in order. */
export function periodMonths(value: Period): string[] {
  const year = value.slice(0, 4);
  if (value.length === 4) return monthsBetween(`${year}-01`, `${year}-12`);
  if (value[5] === 'Q') {
    const quarter = Number(value[6]);
    const first = (quarter - 1) * 3 + 1;
    return monthsBetween(`${year}-${String(first).padStart(2, '0')}`, `${year}-${String(first + 2).padStart(2, '0')}`);
  }
  return [value];
}

/** The month a date `yyyy-mm-dd` falls in. */
export function monthOf(date: string): string {
  return date.slice(0, 7);
}

/** The months `yyyy-mm` from `first` to `last`, inclusive. */
export function monthsBetween(first: string, last: string): string[] {
  const months: string[] = [];
  let [year, month] = first.split('-').map(Number) as [number, number];
  const [lastYear, lastMonth] = last.split('-').map(Number) as [number, number];
  while (year < lastYear || (year === lastYear && month <= lastMonth)) {
    months.push(`${year}-${String(month).padStart(2, '0')}`);
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
  return months;
}
