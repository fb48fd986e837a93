/**
 * A monthly report section: plain data, so one renderer makes the API's JSON and CSV and the
 * digests' HTML and text. Every number is already exact and rounded where it is built
 * (integers for counts and minor units, one decimal for percentages and days), so two builds
 * from the same aggregates serialize to the same bytes.
 */
export const SECTION_NAMES = ['market-trends', 'sales', 'after-sales', 'inventory', 'recommendations'] as const;
export type SectionName = (typeof SECTION_NAMES)[number];

export type CellValue = string | number | null;

/**
 * How a value reads: `count` integer; `money` integer minor units of the report's currency;
 * `percent` a percentage with one decimal (12.5 means 12.5 %); `decimal` one or two decimals;
 * `days` days with one decimal; `month` yyyy-mm; `date` yyyy-mm-dd; `text` anything else.
 */
export type ValueKind = 'text' | 'count' | 'money' | 'percent' | 'decimal' | 'days' | 'month' | 'date';

export interface Column {
  /** Stable across builds: CSV headers, recommendation rules and tests read rows by key. */
  key: string;
  label: string;
  kind: ValueKind;
}

export interface ReportTable {
  /** Stable id, unique in its section (`?format=csv&table=<id>`). */
  id: string;
  title: string;
  columns: Column[];
  /** Sorted by the builder, deterministically (ties broken by a stable key). */
  rows: Array<Record<string, CellValue>>;
  /** A column drawn as a horizontal bar beside each row in the digest. */
  bar?: string;
  /** One line under the table: what it counts, what it leaves out. */
  note?: string;
}

/** A headline number, with the value it is compared with when there is one. */
export interface KeyFigure {
  id: string;
  label: string;
  kind: ValueKind;
  value: CellValue;
  /** e.g. "same month last year", "previous month", "target". */
  compareWith?: string;
  compareValue?: CellValue;
}

export interface ReportSection {
  section: SectionName;
  month: string;
  title: string;
  currency: string;
  figures: KeyFigure[];
  tables: ReportTable[];
  /** Plain sentences: caveats and what was not measured (never invented commentary). */
  notes: string[];
}

/** A product as the sections name it. */
export interface ReportProduct {
  id: string;
  sku: string;
  name: string;
  category: string;
  ownerDepartment: string;
  /** Minor units; absent when the product has no standard cost. */
  standardCost?: number;
}

/** What the job gathers once and hands every section builder. */
export interface ReportInput {
  /** The month reported, yyyy-mm in the company time zone. */
  month: string;
  timeZone: string;
  currency: string;
  /** Every product in the catalog, sorted by SKU. */
  products: ReportProduct[];
}
