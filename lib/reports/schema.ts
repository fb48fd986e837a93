import * as z from 'zod';
import { pageQuery, pageSchema } from '../platform/pagination';
import { month } from '../sales/period';
import { SECTION_NAMES } from './model';

export const sectionName = z.enum(SECTION_NAMES);

export const reportListQuery = z
  .object({
    month: month.optional().describe('One month `yyyy-mm`; without it, every month with reports, newest first.'),
    ...pageQuery,
  })
  .strict();
export type ReportListQuery = z.infer<typeof reportListQuery>;

const sectionSummary = z
  .object({
    section: sectionName,
    title: z.string(),
    builtAt: z.string().describe('When these exact contents were first built; a rebuild from the same figures keeps it.'),
    sha256: z.string().describe('SHA-256 of the section’s JSON: equal hashes, equal reports.'),
    tables: z.array(z.object({ id: z.string(), title: z.string(), rows: z.number().int() }).strict()),
    href: z.string().describe('The section’s path in this API.'),
  })
  .strict();

export const reportMonthView = z
  .object({
    month,
    builtAt: z.string(),
    sections: z.array(sectionSummary).describe('Only the sections the caller’s roles may read.'),
  })
  .strict();
export type ReportMonthView = z.infer<typeof reportMonthView>;
export const reportMonthPage = pageSchema(reportMonthView);

export const monthParams = z.object({ month }).strict();

export const sectionQuery = z
  .object({
    format: z.enum(['json', 'csv']).default('json').describe('`csv`: one table of the section as CSV (RFC 4180), amounts in major units.'),
    table: z.string().max(60).optional().describe('With `format=csv`: the table id (default: the section’s first table).'),
  })
  .strict();

const cell = z.union([z.string(), z.number(), z.null()]);
const valueKind = z.enum(['text', 'count', 'money', 'percent', 'decimal', 'days', 'month', 'date']);

export const sectionView = z
  .object({
    section: sectionName,
    month,
    title: z.string(),
    currency: z.string(),
    builtAt: z.string(),
    sha256: z.string(),
    figures: z.array(
      z
        .object({
          id: z.string(),
          label: z.string(),
          kind: valueKind,
          value: cell,
          compareWith: z.string().optional(),
          compareValue: cell.optional(),
        })
        .strict(),
    ),
    tables: z.array(
      z
        .object({
          id: z.string(),
          title: z.string(),
          columns: z.array(z.object({ key: z.string(), label: z.string(), kind: valueKind }).strict()),
          rows: z.array(z.record(z.string(), cell)),
          bar: z.string().optional(),
          note: z.string().optional(),
        })
        .strict(),
    ),
    notes: z.array(z.string()),
  })
  .strict()
  .describe('Money is in integer minor units of `currency`; percentages and days carry one decimal.');
