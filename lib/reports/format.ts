import type { CellValue, ValueKind } from './model';

/**
 * How a report value reads in a digest, a CSV stays raw. One fixed locale, so a digest is the
 * same text on every machine; amounts in major units with the currency code, as finance writes them.
 */
const INTEGER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const ONE_DECIMAL = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const TWO_DECIMALS = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 2 });

/** Minor units per major unit; the currencies without cents that a company is likely to use. */
const ZERO_DECIMAL_CURRENCIES = new Set(['JPY', 'KRW', 'VND', 'CLP', 'ISK', 'HUF', 'TWD']);

export function minorDigits(currency: string): number {
  return ZERO_DECIMAL_CURRENCIES.has(currency) ? 0 : 2;
}

/** Major units as a plain decimal string (12345 CNY → "123.45"): CSV and text. */
export function majorUnits(minor: number, currency: string): string {
  const decimals = minorDigits(currency);
  return (minor / 10 ** decimals).toFixed(decimals);
}

export function formatMoney(minor: number, currency: string): string {
  const decimals = minorDigits(currency);
  const major = new Intl.NumberFormat('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals }).format(minor / 10 ** decimals);
  return `${currency} ${major}`;
}

export function formatValue(value: CellValue, kind: ValueKind, currency: string): string {
  if (value === null) return '—';
  if (typeof value === 'string') return value;
  switch (kind) {
    case 'money':
      return formatMoney(value, currency);
    case 'percent':
      return `${ONE_DECIMAL.format(value)} %`;
    case 'days':
      return `${ONE_DECIMAL.format(value)} d`;
    case 'decimal':
      return TWO_DECIMALS.format(value);
    case 'count':
      return INTEGER.format(value);
    default:
      return String(value);
  }
}

/** Right-aligned in tables: numbers read down their columns. */
export function isNumeric(kind: ValueKind): boolean {
  return kind !== 'text' && kind !== 'month' && kind !== 'date';
}
