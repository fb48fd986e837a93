import { QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../../platform/db';
import type { TransactItems } from '../../platform/transact';
import type { ComplaintDimension, ComplaintRow } from './schema';

/**
 * Complaint analysis: figures kept by ADD updates in the transaction of each complaint
 * transition (never a scan), so a month's report costs one query per grouping.
 *
 *   figures of one id in one month   pk COMPLAINTS#<dimension>#<yyyy-mm>   sk <id>
 *
 * Dimensions: product (`none` without one), category, rootCause (`undetermined` before the
 * investigation), department (`unassigned` before assignment). Months are company-local.
 * `received` counts a complaint in its month of receipt under the values it has now (a
 * reassignment or a new root cause moves it); every other figure is booked in the month of its
 * event under the values the complaint had then. Sums and counts are kept, never averages, so
 * averages and rates are exact.
 */
export interface ComplaintFigures {
  received: number;
  resolved: number;
  reopened: number;
  firstResponseMet: number;
  firstResponseBreached: number;
  /** Whole minutes from receipt to the first response, summed over `firstResponseCount`. */
  firstResponseMinutes: number;
  firstResponseCount: number;
  resolutionMet: number;
  resolutionBreached: number;
  /** Whole minutes from the resolution clock's start to resolution, over `resolutionCount`. */
  resolutionMinutes: number;
  resolutionCount: number;
  satisfactionSum: number;
  satisfactionCount: number;
  /** Minor units of the company currency. */
  compensation: number;
  refunds: number;
}

export const ZERO_COMPLAINT_FIGURES: ComplaintFigures = {
  received: 0,
  resolved: 0,
  reopened: 0,
  firstResponseMet: 0,
  firstResponseBreached: 0,
  firstResponseMinutes: 0,
  firstResponseCount: 0,
  resolutionMet: 0,
  resolutionBreached: 0,
  resolutionMinutes: 0,
  resolutionCount: 0,
  satisfactionSum: 0,
  satisfactionCount: 0,
  compensation: 0,
  refunds: 0,
};
const FIGURE_NAMES = Object.keys(ZERO_COMPLAINT_FIGURES) as Array<keyof ComplaintFigures>;

export const NO_PRODUCT = 'none';
export const UNDETERMINED = 'undetermined';
export const UNASSIGNED = 'unassigned';

export interface ComplaintDelta {
  dimension: ComplaintDimension;
  month: string;
  id: string;
  figures: Partial<ComplaintFigures>;
}

const figuresKey = (dimension: ComplaintDimension, month: string, id: string) => ({ pk: `COMPLAINTS#${dimension}#${month}`, sk: id });

/**
 * The ADD updates for `deltas`, merged per item first: a transaction may touch an item once.
 * Deltas that add nothing are dropped.
 */
export function complaintDeltaActions(deltas: readonly ComplaintDelta[]): TransactItems {
  const merged = new Map<string, ComplaintDelta>();
  for (const delta of deltas) {
    const key = `${delta.dimension}\n${delta.month}\n${delta.id}`;
    const into = merged.get(key) ?? { ...delta, figures: {} };
    for (const name of FIGURE_NAMES) into.figures[name] = (into.figures[name] ?? 0) + (delta.figures[name] ?? 0);
    merged.set(key, into);
  }
  return [...merged.values()].flatMap((delta) => {
    const names = FIGURE_NAMES.filter((name) => (delta.figures[name] ?? 0) !== 0);
    if (!names.length) return [];
    const values: Record<string, unknown> = { ':type': 'ComplaintFigures', ':dimension': delta.dimension, ':month': delta.month, ':id': delta.id };
    names.forEach((name, index) => (values[`:v${index}`] = delta.figures[name]));
    return [
      {
        Update: {
          TableName: tableName,
          Key: figuresKey(delta.dimension, delta.month, delta.id),
          UpdateExpression: `SET #type = :type, dimension = :dimension, #month = :month, id = :id ADD ${names.map((name, index) => `${name} :v${index}`).join(', ')}`,
          ExpressionAttributeNames: { '#type': 'type', '#month': 'month' },
          ExpressionAttributeValues: values,
        },
      },
    ];
  });
}

function figuresOf(item: Record<string, unknown>): ComplaintFigures {
  const figures = { ...ZERO_COMPLAINT_FIGURES };
  for (const name of FIGURE_NAMES) {
    const value = item[name];
    if (typeof value === 'number') figures[name] = value;
  }
  return figures;
}

/** Every id's figures for one grouping and month (one query, paged through internally): the monthly report reads this. */
export async function complaintFiguresOfMonth(dimension: ComplaintDimension, month: string): Promise<Array<{ id: string; figures: ComplaintFigures }>> {
  const rows: Array<{ id: string; figures: ComplaintFigures }> = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const result: QueryCommandOutput = await db.send(
      new QueryCommand({ TableName: tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `COMPLAINTS#${dimension}#${month}` }, ExclusiveStartKey: startKey, ConsistentRead: true }),
    );
    for (const item of result.Items ?? []) rows.push({ id: String(item.sk), figures: figuresOf(item) });
    startKey = result.LastEvaluatedKey;
  } while (startKey);
  return rows;
}

export function addComplaintFigures(a: ComplaintFigures, b: ComplaintFigures): ComplaintFigures {
  const sum = { ...ZERO_COMPLAINT_FIGURES };
  for (const name of FIGURE_NAMES) sum[name] = a[name] + b[name];
  return sum;
}

const ratio = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

/** A row of the summary: averages and rates computed from the sums (exact). */
export function complaintRowOf(id: string, figures: ComplaintFigures): ComplaintRow {
  return {
    id,
    received: figures.received,
    resolved: figures.resolved,
    reopened: figures.reopened,
    firstResponse: {
      met: figures.firstResponseMet,
      breached: figures.firstResponseBreached,
      metRate: ratio(figures.firstResponseMet, figures.firstResponseMet + figures.firstResponseBreached),
      averageMinutes: ratio(figures.firstResponseMinutes, figures.firstResponseCount),
    },
    resolution: {
      met: figures.resolutionMet,
      breached: figures.resolutionBreached,
      metRate: ratio(figures.resolutionMet, figures.resolutionMet + figures.resolutionBreached),
      averageMinutes: ratio(figures.resolutionMinutes, figures.resolutionCount),
    },
    satisfaction: { count: figures.satisfactionCount, average: ratio(figures.satisfactionSum, figures.satisfactionCount) },
    compensation: figures.compensation,
    refunds: figures.refunds,
  };
}
