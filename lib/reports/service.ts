import type { Actor } from '../platform/auth';
import { NotFoundError, ValidationError } from '../platform/errors';
import type { Page } from '../platform/pagination';
import { cursorScope } from '../platform/query';
import { mayRead } from './access';
import { tableCsv } from './csv';
import type { ReportSection, SectionName } from './model';
import type { ReportListQuery, ReportMonthView } from './schema';
import { getMonthIndex, getSection, type MonthIndex, queryMonths } from './store';

/** The read side of the reports: what a caller's roles may see, as JSON or CSV. */
export async function listReports(actor: Actor, query: ReportListQuery): Promise<Page<ReportMonthView>> {
  if (query.month) {
    const index = await getMonthIndex(query.month);
    return { items: index ? [visibleMonth(actor, index)] : [], nextCursor: null };
  }
  const page = await queryMonths(query.limit, query.cursor, cursorScope('reports', {}));
  return { items: page.items.map((index) => visibleMonth(actor, index)), nextCursor: page.nextCursor };
}

function visibleMonth(actor: Actor, index: MonthIndex): ReportMonthView {
  return {
    month: index.month,
    builtAt: index.builtAt,
    sections: index.sections.filter((summary) => mayRead(actor.roles, summary.section)).map((summary) => ({ ...summary, href: `/reports/${index.month}/${summary.section}` })),
  };
}

export interface SectionResponse extends ReportSection {
  builtAt: string;
  sha256: string;
}

/** Who may read a section is the route's role rule (infra/manifest/reports.ts). */
export async function readSection(month: string, section: SectionName): Promise<SectionResponse> {
  const stored = await getSection(month, section);
  if (!stored) throw new NotFoundError(`no ${section} report for ${month}: the monthly job has not run for it (npm run job -- monthly-analysis --month ${month})`);
  return { ...(JSON.parse(stored.body) as ReportSection), builtAt: stored.builtAt, sha256: stored.sha256 };
}

export function sectionCsv(section: ReportSection, tableId: string | undefined): { filename: string; csv: string } {
  const table = tableId ? section.tables.find((candidate) => candidate.id === tableId) : section.tables[0];
  if (!table) {
    const ids = section.tables.map((candidate) => candidate.id).join(', ') || 'none';
    throw new ValidationError(`the ${section.section} report has no table "${tableId ?? ''}"`, [{ path: '$.query.table', message: `one of: ${ids}` }]);
  }
  return { filename: `${section.section}-${section.month}-${table.id}.csv`, csv: tableCsv(table, section.currency) };
}
