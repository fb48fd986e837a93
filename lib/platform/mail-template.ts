/**
 * One layout for every email: a title, short paragraphs, an optional key/value table and a
 * link. Rendered twice — HTML with inline styles (mail clients drop <style>) and plain text.
 */
export interface EmailContent {
  title: string;
  paragraphs: string[];
  facts?: Array<[label: string, value: string]>;
  list?: string[];
  /** Tabular sections (e.g. a digest), each under its caption; empty tables are left out. */
  tables?: EmailTable[];
  link?: { label: string; url: string };
  footer?: string;
}

export interface EmailTable {
  caption: string;
  columns: string[];
  rows: string[][];
}

const FOOTER = 'You receive this because you are a department head in postlaunch.';

export function renderEmail(content: EmailContent): { html: string; text: string } {
  return { html: renderHtml(content), text: renderText(content) };
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char);
}

function renderHtml(content: EmailContent): string {
  const paragraphs = content.paragraphs.map((text) => `<p style="margin:0 0 12px">${escapeHtml(text)}</p>`).join('');
  const facts = content.facts?.length
    ? `<table role="presentation" style="border-collapse:collapse;margin:0 0 16px">${content.facts
        .map(
          ([label, value]) =>
            `<tr><td style="padding:4px 16px 4px 0;color:#555">${escapeHtml(label)}</td><td style="padding:4px 0;font-weight:600">${escapeHtml(value)}</td></tr>`,
        )
        .join('')}</table>`
    : '';
  const list = content.list?.length ? `<ul style="margin:0 0 16px;padding-left:20px">${content.list.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>` : '';
  const tables = (content.tables ?? []).filter((table) => table.rows.length > 0).map(renderHtmlTable).join('');
  const link = content.link
    ? `<p style="margin:0 0 16px"><a href="${escapeHtml(content.link.url)}" style="color:#0b5cad">${escapeHtml(content.link.label)}</a></p>`
    : '';
  const footer = `<p style="margin:24px 0 0;color:#777;font-size:12px">${escapeHtml(content.footer ?? FOOTER)}</p>`;
  return `<!doctype html><html><body style="font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#222;max-width:640px;margin:0 auto;padding:16px"><h1 style="font-size:20px;margin:0 0 16px">${escapeHtml(content.title)}</h1>${paragraphs}${facts}${list}${tables}${link}${footer}</body></html>`;
}

function renderText(content: EmailContent): string {
  const lines = [content.title, '='.repeat(content.title.length), '', ...content.paragraphs.flatMap((text) => [text, ''])];
  if (content.facts?.length) {
    const width = Math.max(...content.facts.map(([label]) => label.length));
    lines.push(...content.facts.map(([label, value]) => `${label.padEnd(width)}  ${value}`), '');
  }
  if (content.list?.length) lines.push(...content.list.map((item) => `- ${item}`), '');
  for (const table of content.tables ?? []) if (table.rows.length > 0) lines.push(...renderTextTable(table), '');
  if (content.link) lines.push(`${content.link.label}: ${content.link.url}`, '');
  lines.push('--', content.footer ?? FOOTER);
  return lines.join('\n');
}

const CELL = 'padding:4px 12px 4px 0;border-bottom:1px solid #eee;text-align:left';

function renderHtmlTable(table: EmailTable): string {
  const head = table.columns.map((column) => `<th style="${CELL};color:#555;font-weight:600">${escapeHtml(column)}</th>`).join('');
  const body = table.rows.map((row) => `<tr>${row.map((cell) => `<td style="${CELL}">${escapeHtml(cell)}</td>`).join('')}</tr>`).join('');
  return `<h2 style="font-size:16px;margin:16px 0 8px">${escapeHtml(table.caption)}</h2><table style="border-collapse:collapse;margin:0 0 16px"><tr>${head}</tr>${body}</table>`;
}

function renderTextTable(table: EmailTable): string[] {
  const widths = table.columns.map((column, index) => Math.max(column.length, ...table.rows.map((row) => (row[index] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, index) => cell.padEnd(widths[index] ?? 0)).join('  ').trimEnd();
  return [table.caption, line(table.columns), widths.map((width) => '-'.repeat(width)).join('  '), ...table.rows.map(line)];
}
