import { majorUnits } from './format';
import type { CellValue, ReportTable, ValueKind } from './model';

/**
 * One report table as CSV (RFC 4180: CRLF, fields quoted when needed). Headers are the column
 * labels, money columns say their currency; amounts are major units with a dot, so a
 * spreadsheet reads them as numbers. A text cell that a spreadsheet would run as a formula
 * (`=`, `+`, `-`, `@`, tab, CR) is prefixed with an apostrophe.
 */
export function tableCsv(table: ReportTable, currency: string): string {
  const header = table.columns.map((column) => (column.kind === 'money' ? `${column.label} (${currency})` : column.label));
  const rows = table.rows.map((row) => table.columns.map((column) => csvValue(row[column.key] ?? null, column.kind, currency)));
  return [header, ...rows].map((fields) => fields.map(quote).join(',')).join('\r\n') + '\r\n';
}

function csvValue(value: CellValue, kind: ValueKind, currency: string): string {
  if (value === null) return '';
  if (typeof value === 'number') return kind === 'money' ? majorUnits(value, currency) : String(value);
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function quote(field: string): string {
  return /[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field;
}
