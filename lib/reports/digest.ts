import { escapeHtml } from '../platform/mail-template';
import type { DigestKind } from './access';
import { formatValue, isNumeric } from './format';
import type { Column, KeyFigure, ReportSection, ReportTable, SectionName } from './model';

/**
 * A head's monthly digest as an email: HTML with inline styles only (mail clients drop <style>
 * and scripts) whose bars are table cells with a width, which every common client draws, and
 * the same content as plain text. No images at all, so nothing is blocked or fetched.
 */
export interface Digest {
  subject: string;
  html: string;
  text: string;
}

export interface DigestInput {
  month: string;
  companyName: string;
  apiBaseUrl: string;
  department: string;
  kind: DigestKind;
  sections: readonly ReportSection[];
}

/** Rows and columns per table in a digest; the full report (and its CSV) has them all. */
export const DIGEST_ROWS = 10;
export const DIGEST_COLUMNS = 5;

/**
 * The columns a digest shows: no ids (they are for the API and the CSV), the first few that
 * fit a mail client's width, and the barred column among them.
 */
export function digestColumns(table: ReportTable): Column[] {
  const readable = table.columns.filter((column) => column.key !== 'id' && !column.key.endsWith('Id'));
  const shown = readable.slice(0, DIGEST_COLUMNS);
  const barred = readable.find((column) => column.key === table.bar);
  if (barred && !shown.includes(barred)) shown.splice(DIGEST_COLUMNS - 1, 1, barred);
  return shown;
}

const BAR_COLOUR = '#2f6fca';

export function renderDigest(input: DigestInput): Digest {
  const month = monthName(input.month);
  const byName = new Map(input.sections.map((section) => [section.section, section]));
  const blocks: Block[] =
    input.kind.kind === 'summary'
      ? summaryBlocks(input.sections)
      : input.kind.sections.flatMap((name) => {
          const section = byName.get(name);
          return section ? [{ section, figures: section.figures, tables: section.tables, notes: section.notes }] : [];
        });
  const title = input.kind.kind === 'summary' ? `Monthly summary, ${month}` : `${blocks.map((block) => block.section.title).join(' and ')}, ${month}`;
  const intro = `${input.companyName}: the analysis of ${month}, built on the 1st from the month's figures. Every number below comes from postlaunch's aggregates; the links open the full report.`;
  const context = { currency: input.sections[0]?.currency ?? '', url: (section: SectionName) => `${input.apiBaseUrl}/reports/${input.month}/${section}` };
  return {
    subject: `[postlaunch] ${title}`,
    html: html(title, intro, blocks, context),
    text: text(title, intro, blocks, context),
  };
}

interface Block {
  section: ReportSection;
  figures: KeyFigure[];
  tables: ReportTable[];
  notes: string[];
}

interface RenderContext {
  currency: string;
  url: (section: SectionName) => string;
}

/** Management's page: every section's key figures, then the recommendations in full. */
function summaryBlocks(sections: readonly ReportSection[]): Block[] {
  return sections.map((section) =>
    section.section === 'recommendations'
      ? { section, figures: section.figures, tables: section.tables, notes: section.notes }
      : { section, figures: section.figures, tables: [], notes: [] },
  );
}

function monthName(month: string): string {
  const [year, index] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, index - 1, 1)).toLocaleString('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' });
}

// ---- HTML ----------------------------------------------------------------------------------

const CELL = 'padding:4px 8px;border-bottom:1px solid #e3e6ea;vertical-align:top';

function html(title: string, intro: string, blocks: Block[], context: RenderContext): string {
  const body = blocks.map((block) => htmlBlock(block, context)).join('');
  return (
    '<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"></head>' +
    `<body style="margin:0;padding:16px;background:#ffffff;font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#1f2328">` +
    `<div style="max-width:720px;margin:0 auto"><h1 style="font-size:22px;margin:0 0 12px">${escapeHtml(title)}</h1>` +
    `<p style="margin:0 0 20px;color:#444">${escapeHtml(intro)}</p>${body}` +
    '<p style="margin:28px 0 0;color:#777;font-size:12px">You receive this digest on the 1st of each month because you head a department in postlaunch.</p>' +
    '</div></body></html>'
  );
}

function htmlBlock(block: Block, context: RenderContext): string {
  const figures = block.figures.length
    ? `<table role="presentation" style="border-collapse:collapse;margin:0 0 16px;width:100%">${block.figures.map((figure) => htmlFigure(figure, context.currency)).join('')}</table>`
    : '';
  const tables = block.tables.map((table) => htmlTable(table, context.currency)).join('');
  const notes = block.notes.map((note) => `<p style="margin:0 0 6px;color:#666;font-size:12px">${escapeHtml(note)}</p>`).join('');
  const link = `<p style="margin:8px 0 0"><a href="${escapeHtml(context.url(block.section.section))}" style="color:#0b5cad">The full ${escapeHtml(block.section.title.toLowerCase())} report</a></p>`;
  return `<h2 style="font-size:18px;margin:24px 0 10px;padding-top:12px;border-top:2px solid #1f2328">${escapeHtml(block.section.title)}</h2>${figures}${tables}${notes}${link}`;
}

function htmlFigure(figure: KeyFigure, currency: string): string {
  const compare =
    figure.compareWith !== undefined ? `<td style="${CELL};color:#555">${escapeHtml(figure.compareWith)}: ${escapeHtml(formatValue(figure.compareValue ?? null, figure.kind, currency))}</td>` : `<td style="${CELL}"></td>`;
  return `<tr><td style="${CELL};color:#444">${escapeHtml(figure.label)}</td><td style="${CELL};font-weight:bold;text-align:right;white-space:nowrap">${escapeHtml(formatValue(figure.value, figure.kind, currency))}</td>${compare}</tr>`;
}

function htmlTable(table: ReportTable, currency: string): string {
  const shown = table.rows.slice(0, DIGEST_ROWS);
  const columns = digestColumns(table);
  const barColumn = table.bar ? columns.find((column) => column.key === table.bar) : undefined;
  const largest = barColumn ? Math.max(0, ...shown.map((row) => numberOf(row[barColumn.key]))) : 0;
  const head =
    columns.map((column) => `<th style="${CELL};text-align:${isNumeric(column.kind) ? 'right' : 'left'};background:#f3f5f7;font-size:12px">${escapeHtml(column.label)}</th>`).join('') +
    (barColumn ? `<th style="${CELL};background:#f3f5f7"></th>` : '');
  const rows = shown
    .map((row) => {
      const cells = columns
        .map((column) => `<td style="${CELL};text-align:${isNumeric(column.kind) ? 'right' : 'left'};white-space:nowrap">${escapeHtml(formatValue(row[column.key] ?? null, column.kind, currency))}</td>`)
        .join('');
      return `<tr>${cells}${barColumn ? `<td style="${CELL};width:120px">${bar(numberOf(row[barColumn.key]), largest)}</td>` : ''}</tr>`;
    })
    .join('');
  const more = shown.length ? hiddenNote(table, shown.length, columns.length) : '';
  const moreHtml = more ? `<p style="margin:4px 0 0;color:#666;font-size:12px">${escapeHtml(more)}</p>` : '';
  const note = table.note ? `<p style="margin:4px 0 0;color:#666;font-size:12px">${escapeHtml(table.note)}</p>` : '';
  const body = shown.length
    ? `<table style="border-collapse:collapse;width:100%;font-size:13px"><tr>${head}</tr>${rows}</table>`
    : '<p style="margin:0;color:#666">Nothing this month.</p>';
  return `<h3 style="font-size:15px;margin:16px 0 6px">${escapeHtml(table.title)}</h3>${body}${moreHtml}${note}`;
}

/** A bar as a two-cell table: the filled cell's width is the share of the largest value. */
function bar(value: number, largest: number): string {
  const percent = largest > 0 && value > 0 ? Math.max(1, Math.round((value / largest) * 100)) : 0;
  if (percent === 0) return '';
  const rest = 100 - percent;
  return (
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="border-collapse:collapse"><tr>` +
    `<td width="${percent}%" style="background:${BAR_COLOUR};height:10px;font-size:0;line-height:0">&nbsp;</td>` +
    (rest > 0 ? `<td width="${rest}%" style="height:10px;font-size:0;line-height:0">&nbsp;</td>` : '') +
    '</tr></table>'
  );
}

function numberOf(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}

// ---- text ----------------------------------------------------------------------------------

function text(title: string, intro: string, blocks: Block[], context: RenderContext): string {
  const lines = [title, '='.repeat(title.length), '', intro, ''];
  for (const block of blocks) {
    lines.push(block.section.title, '-'.repeat(block.section.title.length));
    if (block.figures.length) {
      const width = Math.max(...block.figures.map((figure) => figure.label.length));
      for (const figure of block.figures) {
        const compare = figure.compareWith !== undefined ? `   (${figure.compareWith}: ${formatValue(figure.compareValue ?? null, figure.kind, context.currency)})` : '';
        lines.push(`${figure.label.padEnd(width)}  ${formatValue(figure.value, figure.kind, context.currency)}${compare}`);
      }
      lines.push('');
    }
    for (const table of block.tables) lines.push(...textTable(table, context.currency), '');
    for (const note of block.notes) lines.push(`Note: ${note}`);
    lines.push(`Full report: ${context.url(block.section.section)}`, '');
  }
  lines.push('--', 'You receive this digest on the 1st of each month because you head a department in postlaunch.');
  return lines.join('\n');
}

function textTable(table: ReportTable, currency: string): string[] {
  const shown = table.rows.slice(0, DIGEST_ROWS);
  if (!shown.length) return [table.title, '  Nothing this month.'];
  const columns = digestColumns(table);
  const cells = shown.map((row) => columns.map((column) => formatValue(row[column.key] ?? null, column.kind, currency)));
  const widths = columns.map((column, index) => Math.max(column.label.length, ...cells.map((row) => (row[index] ?? '').length)));
  const line = (values: string[]) =>
    values
      .map((value, index) => {
        const column = columns[index];
        const width = widths[index] ?? 0;
        return column && isNumeric(column.kind) ? value.padStart(width) : value.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  const out = [table.title, line(columns.map((column) => column.label)), ...cells.map(line)];
  const more = hiddenNote(table, shown.length, columns.length);
  if (more) out.push(more);
  if (table.note) out.push(table.note);
  return out;
}

/** What the digest left out of a table, in one sentence (empty: nothing). */
function hiddenNote(table: ReportTable, rowsShown: number, columnsShown: number): string {
  const rows = table.rows.length - rowsShown;
  const columns = table.columns.length - columnsShown;
  const parts = [rows > 0 ? `${rows} more rows` : '', columns > 0 ? `${columns} more columns` : ''].filter(Boolean);
  return parts.length ? `${parts.join(' and ')} in the full report.` : '';
}
