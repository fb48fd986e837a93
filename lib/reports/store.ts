import { createHash } from 'node:crypto';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../platform/db';
import type { Page } from '../platform/pagination';
import { queryPage } from '../platform/query';
import { isConditionFailure } from '../platform/transact';
import { type ReportSection, SECTION_NAMES, type SectionName } from './model';

/**
 * Stored reports. A section is kept as the exact JSON the API serves, with its SHA-256:
 *
 *   one section          pk REPORT#<yyyy-mm>   sk SECTION#<section>   (body, sha256, builtAt)
 *   the month's index    pk REPORT#<yyyy-mm>   sk MONTH               gsi1pk REPORT_MONTHS, gsi1sk <yyyy-mm>
 *
 * A rebuild writes only when the bytes differ (a conditional put on the hash), so rebuilding a
 * month from the same aggregates leaves the stored report, and its `builtAt`, untouched.
 */
const sectionKey = (month: string, section: SectionName) => ({ pk: `REPORT#${month}`, sk: `SECTION#${section}` });
const monthKey = (month: string) => ({ pk: `REPORT#${month}`, sk: 'MONTH' });

export interface StoredSection {
  month: string;
  section: SectionName;
  /** When these exact bytes were first built. */
  builtAt: string;
  sha256: string;
  /** The section as JSON, byte for byte as built. */
  body: string;
}

export interface SectionSummary {
  section: SectionName;
  title: string;
  builtAt: string;
  sha256: string;
  tables: Array<{ id: string; title: string; rows: number }>;
}

export interface MonthIndex {
  month: string;
  sections: SectionSummary[];
  /** The last time any section of the month changed. */
  builtAt: string;
}

/** Canonical bytes of a section: the builders fix key and row order, so plain JSON is stable. */
export function serializeSection(section: ReportSection): string {
  return JSON.stringify(section);
}

export function sha256(body: string): string {
  return createHash('sha256').update(body).digest('hex');
}

/** Stores the section unless the same bytes are already there; true when it wrote. */
export async function saveSection(section: ReportSection, builtAt: string): Promise<{ changed: boolean; stored: StoredSection }> {
  const body = serializeSection(section);
  const stored: StoredSection = { month: section.month, section: section.section, builtAt, sha256: sha256(body), body };
  try {
    await db.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...sectionKey(section.month, section.section), type: 'ReportSection', ...stored, summary: summaryOf(section, stored) },
        ConditionExpression: 'attribute_not_exists(pk) OR sha256 <> :sha256',
        ExpressionAttributeValues: { ':sha256': stored.sha256 },
      }),
    );
    return { changed: true, stored };
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const current = await getSection(section.month, section.section);
    return { changed: false, stored: current ?? stored };
  }
}

function summaryOf(section: ReportSection, stored: StoredSection): SectionSummary {
  return {
    section: section.section,
    title: section.title,
    builtAt: stored.builtAt,
    sha256: stored.sha256,
    tables: section.tables.map((table) => ({ id: table.id, title: table.title, rows: table.rows.length })),
  };
}

/** Rewrites the month's index from its sections' summaries, only when one changed. */
export async function saveMonthIndex(month: string): Promise<MonthIndex> {
  const sections = (await sectionSummaries(month)).sort((a, b) => SECTION_NAMES.indexOf(a.section) - SECTION_NAMES.indexOf(b.section));
  const index: MonthIndex = { month, sections, builtAt: sections.map((section) => section.builtAt).sort().at(-1) ?? '' };
  const current = await getMonthIndex(month);
  if (current && JSON.stringify(current) === JSON.stringify(index)) return current;
  await db.send(
    new PutCommand({
      TableName: tableName,
      Item: { ...monthKey(month), type: 'ReportMonth', ...index, gsi1pk: 'REPORT_MONTHS', gsi1sk: month },
    }),
  );
  return index;
}

async function sectionSummaries(month: string): Promise<SectionSummary[]> {
  const result = await db.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': `REPORT#${month}`, ':prefix': 'SECTION#' },
      ProjectionExpression: 'summary',
    }),
  );
  return (result.Items ?? []).map((item) => item.summary as SectionSummary);
}

export async function getSection(month: string, section: SectionName): Promise<StoredSection | undefined> {
  const result = await db.send(new GetCommand({ TableName: tableName, Key: sectionKey(month, section) }));
  const item = result.Item;
  if (!item) return undefined;
  return { month: item.month as string, section: item.section as SectionName, builtAt: item.builtAt as string, sha256: item.sha256 as string, body: item.body as string };
}

export async function getMonthIndex(month: string): Promise<MonthIndex | undefined> {
  const result = await db.send(new GetCommand({ TableName: tableName, Key: monthKey(month) }));
  return result.Item ? monthIndexOf(result.Item) : undefined;
}

/** Months with reports, newest first. */
export function queryMonths(limit: number, cursor: string | undefined, scope: string): Promise<Page<MonthIndex>> {
  return queryPage({ index: 'gsi1', keyCondition: 'gsi1pk = :pk', values: { ':pk': 'REPORT_MONTHS' }, newestFirst: true, limit, cursor, scope }, monthIndexOf);
}

function monthIndexOf(item: Record<string, unknown>): MonthIndex {
  return { month: item.month as string, sections: item.sections as SectionSummary[], builtAt: item.builtAt as string };
}
