import { formatMoney, formatValue } from './format';
import type { CellValue, Column, ReportInput, ReportSection, ReportTable } from './model';

/**
 * Recommendations: plain rules over the other sections' rows, each citing the numbers it fired
 * on — never free text. The thresholds are the rules' own and are named here, once:
 */
export const RULES = {
  /** Stock: a stock-out, or this many days below minimum, with the level issuing stock. */
  minimumDaysBelow: 3,
  /** Sales: revenue this far below the same month last year (percent). */
  revenueDropPercent: -20,
  /** Sales: revenue attainment of a rep or region below this (percent). */
  attainmentBelowPercent: 80,
  /** After-sales: an SLA met in fewer complaints than this (percent), over at least `slaMinimumCases`. */
  slaCompliancePercent: 90,
  slaMinimumCases: 5,
  /** Market: our share down by at least this many points against the previous month. */
  shareDropPoints: 1,
  /** Market: this many defect reports on one product in a month. */
  defectReports: 3,
} as const;

type Row = Record<string, CellValue>;

interface Recommendation {
  area: 'inventory' | 'sales' | 'after-sales' | 'market';
  subject: string;
  action: string;
  because: string;
  /** Sorts within an area: the larger, the earlier. */
  weight: number;
}

export interface SectionsForRules {
  market: ReportSection;
  sales: ReportSection;
  afterSales: ReportSection;
  inventory: ReportSection;
}

const AREA_ORDER: Recommendation['area'][] = ['inventory', 'sales', 'after-sales', 'market'];

const COLUMNS: Column[] = [
  { key: 'area', label: 'Area', kind: 'text' },
  { key: 'subject', label: 'Subject', kind: 'text' },
  { key: 'action', label: 'Recommendation', kind: 'text' },
  { key: 'because', label: 'Because', kind: 'text' },
];

export function buildRecommendationsSection(input: ReportInput, sections: SectionsForRules): ReportSection {
  const currency = input.currency;
  const recommendations = [
    ...raiseMinimums(sections.inventory),
    ...reduceOverstock(sections.inventory, currency),
    ...useExpiringLots(sections.inventory, currency),
    ...reviewFallingProducts(sections.sales, currency),
    ...followUpAttainment(sections.sales, currency),
    ...investigateComplaintRates(sections.afterSales),
    ...restoreSlaCompliance(sections.afterSales),
    ...reviewShareLoss(sections.market),
    ...passDefectReports(sections.market),
  ].sort((a, b) => AREA_ORDER.indexOf(a.area) - AREA_ORDER.indexOf(b.area) || b.weight - a.weight || compare(a.subject, b.subject) || compare(a.action, b.action));
  const count = (area: Recommendation['area']) => recommendations.filter((recommendation) => recommendation.area === area).length;
  return {
    section: 'recommendations',
    month: input.month,
    title: 'Recommendations',
    currency,
    figures: [
      { id: 'total', label: 'Recommendations', kind: 'count', value: recommendations.length },
      ...AREA_ORDER.map((area) => ({ id: area, label: `… on ${area}`, kind: 'count' as const, value: count(area) })),
    ],
    tables: [
      {
        id: 'recommendations',
        title: 'What the figures suggest',
        columns: COLUMNS,
        rows: recommendations.map(({ area, subject, action, because }) => ({ area, subject, action, because })),
        note: 'Each line is a fixed rule over this month’s figures (lib/reports/recommendations.ts); the numbers after “because” are the ones it fired on.',
      },
    ],
    notes: [
      `Rules: a stock-out or ${RULES.minimumDaysBelow}+ days below minimum; stock above maximum; lots expiring within 30 days; revenue ${-RULES.revenueDropPercent} % or more below last year; attainment below ${RULES.attainmentBelowPercent} %; a rising complaint rate; SLA compliance below ${RULES.slaCompliancePercent} % (${RULES.slaMinimumCases}+ cases); market share down ${RULES.shareDropPoints}+ point; ${RULES.defectReports}+ defect reports on a product.`,
    ],
  };
}

// ---- inventory -------------------------------------------------------------------------------

/**
 * A level that ran out or sat below minimum while issuing stock: its minimum should cover the
 * demand of its lead time plus the safety stock (average daily issue × lead time + safety,
 * rounded up) — suggested only when that is above today's minimum.
 */
function raiseMinimums(inventory: ReportSection): Recommendation[] {
  return rows(inventory, 'levels').flatMap((row) => {
    const stockOuts = num(row, 'stockOuts') ?? 0;
    const daysBelow = num(row, 'daysBelowMinimum') ?? 0;
    const daily = num(row, 'averageDailyIssue');
    const [minimum, safety, leadTime] = [num(row, 'minimum'), num(row, 'safety'), num(row, 'leadTimeDays')];
    if ((stockOuts === 0 && daysBelow < RULES.minimumDaysBelow) || !daily || minimum === null || safety === null || leadTime === null) return [];
    // In whole tenths: the daily issue carries one decimal, and a float product could round up wrongly.
    const suggested = Math.ceil((Math.round(daily * 10) * leadTime) / 10) + safety;
    if (suggested <= minimum) return [];
    const cover = num(row, 'daysOfCover');
    return [
      {
        area: 'inventory',
        subject: `${text(row, 'sku')} at ${text(row, 'warehouse')}`,
        action: `Raise the minimum from ${minimum} to ${suggested}`,
        because:
          `${stockOuts} stock-out${stockOuts === 1 ? '' : 's'} and ${daysBelow.toFixed(1)} days below minimum; ` +
          `${cover === null ? 'no' : cover.toFixed(1)} days of cover at month end; average daily issue ${daily} × lead time ${leadTime} d + safety ${safety} → ${suggested}`,
        weight: stockOuts * 1000 + daysBelow,
      },
    ];
  });
}

function reduceOverstock(inventory: ReportSection, currency: string): Recommendation[] {
  return rows(inventory, 'overstock').flatMap((row) => {
    const excess = num(row, 'excessUnits') ?? 0;
    if (excess <= 0) return [];
    const value = num(row, 'value');
    return [
      {
        area: 'inventory',
        subject: `${text(row, 'sku')} at ${text(row, 'warehouse')}`,
        action: 'Hold purchases or move the excess to another warehouse',
        because: `${num(row, 'closingOnHand')} on hand at month end, ${excess} above the maximum of ${num(row, 'maximum')}${value === null ? '' : ` (${formatMoney(value, currency)} at standard cost)`}`,
        weight: value ?? excess,
      },
    ];
  });
}

function useExpiringLots(inventory: ReportSection, currency: string): Recommendation[] {
  return rows(inventory, 'expiring-lots').map((row) => {
    const days = num(row, 'daysAfterMonthEnd') ?? 0;
    const value = num(row, 'value');
    return {
      area: 'inventory' as const,
      subject: `${text(row, 'sku')} lot ${text(row, 'lot')} at ${text(row, 'warehouse')}`,
      action: days <= 0 ? 'Write off or return the expired lot' : `Use or sell the lot first, before ${text(row, 'expiresOn')}`,
      because: `${num(row, 'quantity')} units${value === null ? '' : ` (${formatMoney(value, currency)})`} expiring ${days <= 0 ? 'before month end' : `${days} days after month end`}`,
      weight: -days,
    };
  });
}

// ---- sales -----------------------------------------------------------------------------------

function reviewFallingProducts(sales: ReportSection, currency: string): Recommendation[] {
  return rows(sales, 'products').flatMap((row) => {
    const change = num(row, 'revenueChangePercent');
    if (change === null || change > RULES.revenueDropPercent) return [];
    return [
      {
        area: 'sales',
        subject: `${text(row, 'sku')} ${text(row, 'name')}`,
        action: 'Review price, channels and promotion against last year',
        because: `revenue ${formatMoney(num(row, 'revenue') ?? 0, currency)}, ${formatValue(change, 'percent', currency)} against ${formatMoney(num(row, 'revenueLastYear') ?? 0, currency)} in the same month last year`,
        weight: -change,
      },
    ];
  });
}

function followUpAttainment(sales: ReportSection, currency: string): Recommendation[] {
  return (['reps', 'regions'] as const).flatMap((table) =>
    rows(sales, table).flatMap((row) => {
      const attainment = num(row, 'revenueAttainmentPercent');
      if (attainment === null || attainment >= RULES.attainmentBelowPercent) return [];
      const who = table === 'reps' ? `Rep ${text(row, 'name')}` : `Region ${text(row, 'region')}`;
      return [
        {
          area: 'sales' as const,
          subject: who,
          action: 'Agree a recovery plan for the rest of the period',
          because: `revenue attainment ${attainment.toFixed(1)} % of the target for the month (${formatMoney(num(row, 'revenue') ?? 0, currency)} of ${formatMoney(num(row, 'revenueTarget') ?? 0, currency)}; rule: below ${RULES.attainmentBelowPercent} %)`,
          weight: 100 - attainment,
        },
      ];
    }),
  );
}

// ---- after-sales -----------------------------------------------------------------------------

function investigateComplaintRates(afterSales: ReportSection): Recommendation[] {
  return rows(afterSales, 'complaint-rate-rise').flatMap((row) => {
    const rise = num(row, 'rise');
    if (rise === null || rise <= 0) return [];
    return [
      {
        area: 'after-sales',
        subject: `${text(row, 'sku')} ${text(row, 'name')}`,
        action: 'Ask the owner department to investigate the rise in complaints',
        because:
          `${num(row, 'complaints')} complaints over ${num(row, 'unitsSold')} units sold = ${formatRate(num(row, 'rate'))} per 1,000, ` +
          `up ${rise} from ${formatRate(num(row, 'previousRate'))} the month before (${num(row, 'previousComplaints')} over ${num(row, 'previousUnitsSold')})`,
        weight: rise,
      },
    ];
  });
}

function restoreSlaCompliance(afterSales: ReportSection): Recommendation[] {
  return rows(afterSales, 'sla').flatMap((row) => {
    const compliance = num(row, 'compliance');
    const [met, breached] = [num(row, 'met') ?? 0, num(row, 'breached') ?? 0];
    if (compliance === null || compliance >= RULES.slaCompliancePercent || met + breached < RULES.slaMinimumCases) return [];
    return [
      {
        area: 'after-sales',
        subject: `${text(row, 'measure')} SLA`,
        action: 'Review service staffing and the assignment times',
        because: `${compliance.toFixed(1)} % met (${met} met, ${breached} breached; rule: below ${RULES.slaCompliancePercent} %)`,
        weight: 100 - compliance,
      },
    ];
  });
}

// ---- market ----------------------------------------------------------------------------------

function reviewShareLoss(market: ReportSection): Recommendation[] {
  return rows(market, 'market-by-category').flatMap((row) => {
    const [share, previous] = [num(row, 'sharePercent'), num(row, 'previousSharePercent')];
    if (share === null || previous === null) return [];
    const drop = Math.round((previous - share) * 10) / 10;
    if (drop < RULES.shareDropPoints) return [];
    return [
      {
        area: 'market',
        subject: `Category ${text(row, 'category')}`,
        action: 'Review positioning and the competitors’ recent moves in this category',
        because: `our share fell from ${previous.toFixed(1)} % to ${share.toFixed(1)} % (−${drop.toFixed(1)} points)`,
        weight: drop,
      },
    ];
  });
}

function passDefectReports(market: ReportSection): Recommendation[] {
  return rows(market, 'feedback-by-product').flatMap((row) => {
    const defects = num(row, 'defect') ?? 0;
    if (defects < RULES.defectReports) return [];
    return [
      {
        area: 'market',
        subject: `${text(row, 'sku')} ${text(row, 'name')}`,
        action: 'Pass the defect reports to R&D with the complaints of the month',
        because: `${defects} defect reports from customers this month (of ${num(row, 'total')} feedback items)`,
        weight: defects,
      },
    ];
  });
}

// ---- reading rows ----------------------------------------------------------------------------

function rows(section: ReportSection, tableId: string): Row[] {
  const table: ReportTable | undefined = section.tables.find((candidate) => candidate.id === tableId);
  return table?.rows ?? [];
}

function num(row: Row, key: string): number | null {
  const value = row[key];
  return typeof value === 'number' ? value : null;
}

function text(row: Row, key: string): string {
  const value = row[key];
  return value === null || value === undefined ? '' : String(value);
}

function formatRate(rate: number | null): string {
  return rate === null ? '—' : rate.toFixed(1);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
