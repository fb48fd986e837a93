import { getProduct, getWarehouse } from '../catalog/service';
import type { DepartmentCode } from '../organization/schema';
import { getSettings, headsAmong, listDepartments } from '../organization/service';
import type { ServiceContext } from '../platform/context';
import { once } from '../platform/dedupe';
import { logger } from '../platform/logger';
import { sendEmail } from '../platform/mail';
import { renderEmail, type EmailTable } from '../platform/mail-template';
import { addDays, localDate } from '../platform/time';
import { suggestedReorderQuantity } from './notifications';
import { levelsNotCountedSince, levelsOutOfBand, lotsExpiringBy, type ExpiringLot, type ProblemLevel, type UncountedLevel } from './sweep-store';

/** Lots expiring within this many days (or already expired) are listed, unless the run says otherwise. */
export const DEFAULT_EXPIRY_WINDOW_DAYS = 30;
export const MAX_EXPIRY_WINDOW_DAYS = 365;
/** Levels not counted for this many days are listed, unless the run says otherwise. */
export const DEFAULT_COUNT_AGE_DAYS = 90;

/** The digest goes to the heads of production (who stock) and procurement (who buy). */
const DIGEST_DEPARTMENTS: readonly DepartmentCode[] = ['production', 'procurement'];

export interface SweepOptions {
  expiringWithinDays?: number;
  notCountedForDays?: number;
}

export interface SweepResult {
  /** The company day swept; the digest is sent at most once per recipient per day. */
  date: string;
  /** Items the index queries returned: the problems found, not the inventory. */
  itemsRead: number;
  /** Product and warehouse look-ups for the digest's names (distinct ids among the problems). */
  lookups: number;
  belowMinimum: number;
  aboveMaximum: number;
  expiringLots: number;
  notCounted: number;
  notified: string[];
}

interface Names {
  product: (id: string) => string;
  warehouse: (id: string) => string;
}

/**
 * The daily stock sweep: re-reads, through the sparse band and expiry indexes only, what is
 * wrong now — levels below minimum (or safety), above maximum, and lots expiring within the
 * window — and sends the production and procurement heads one digest per company day. Nothing
 * wrong, no email. Alerts on the change path fire once per crossing; this is the safety net
 * that does not depend on any single event having been delivered.
 *
 * Levels not counted for N days come from the count-age index (gsi3), which holds only keys
 * and moves only when a level is created or counted.
 */
export async function sweepStock(context: ServiceContext, apiBaseUrl: string, options: SweepOptions = {}): Promise<SweepResult> {
  const now = context.clock.now();
  const window = options.expiringWithinDays ?? DEFAULT_EXPIRY_WINDOW_DAYS;
  const settings = await getSettings();
  const date = localDate(now, settings.timeZone);
  const countAge = options.notCountedForDays ?? DEFAULT_COUNT_AGE_DAYS;
  const cutoff = new Date(now.getTime() - countAge * 86_400_000).toISOString();
  const [{ short, over }, lots, uncounted] = await Promise.all([levelsOutOfBand(), lotsExpiringBy(addDays(date, window)), levelsNotCountedSince(cutoff)]);
  const shortLevels = [...short.items].sort(bySeverity);
  const result: SweepResult = {
    date,
    itemsRead: short.itemsRead + over.itemsRead + lots.itemsRead + uncounted.itemsRead,
    lookups: 0,
    belowMinimum: short.items.length,
    aboveMaximum: over.items.length,
    expiringLots: lots.items.length,
    notCounted: uncounted.items.length,
    notified: [],
  };
  if (result.belowMinimum + result.aboveMaximum + result.expiringLots + result.notCounted === 0) return result;

  const recipients = await digestRecipients();
  if (recipients.length === 0) {
    logger.error('stock problems found, but neither production nor procurement has a head to tell', { ...result });
    return result;
  }
  const { names, lookups } = await loadNames([...shortLevels, ...over.items, ...lots.items, ...uncounted.items]);
  result.lookups = lookups;
  const content = renderEmail({
    title: `Stock digest for ${date}`,
    paragraphs: [
      `${settings.companyName}: what is still wrong with stock this morning. Levels are measured on available stock (on hand − reserved); the suggested reorder refills to maximum and is never less than the reorder quantity.`,
    ],
    facts: [
      ['Below minimum', `${result.belowMinimum} (${short.items.filter((level) => level.band === 'below-safety').length} below safety)`],
      ['Above maximum', String(result.aboveMaximum)],
      [`Lots expiring within ${window} days or expired`, String(result.expiringLots)],
      [`Not counted for ${countAge} days`, String(result.notCounted)],
    ],
    tables: [shortTable(shortLevels, names), overTable(over.items, names), lotsTable(lots.items, date, names), uncountedTable(uncounted.items, names)],
    link: { label: 'Levels below minimum in postlaunch', url: `${apiBaseUrl}/stock?below=minimum` },
    footer: 'You receive this daily digest, when something needs attention, because you head production or procurement in postlaunch.',
  });
  const subject = `[postlaunch] Stock digest ${date}: ${summary(result)}`;
  for (const email of recipients) {
    const sent = await once(`stock-sweep#${date}#${email}`, now, async () => {
      await sendEmail({ to: [email], subject, ...content });
    });
    if (sent) result.notified.push(email);
  }
  return result;
}

async function digestRecipients(): Promise<string[]> {
  return headsAmong(await listDepartments(), DIGEST_DEPARTMENTS).map((head) => head.email.toLowerCase());
}

/** Names for the digest: one look-up per distinct product and warehouse among the problems. */
async function loadNames(subjects: Array<{ productId: string; warehouseId: string }>): Promise<{ names: Names; lookups: number }> {
  const productIds = [...new Set(subjects.map((subject) => subject.productId))];
  const warehouseIds = [...new Set(subjects.map((subject) => subject.warehouseId))];
  // A product or warehouse that cannot be read still belongs in the digest, under its id.
  const [products, warehouses] = await Promise.all([
    Promise.all(productIds.map(async (id) => [id, await getProduct(id).then((p) => `${p.name} (${p.sku})`, () => id)] as const)),
    Promise.all(warehouseIds.map(async (id) => [id, await getWarehouse(id).then((w) => w.code, () => id)] as const)),
  ]);
  const productNames = new Map(products);
  const warehouseCodes = new Map(warehouses);
  return {
    names: { product: (id) => productNames.get(id) ?? id, warehouse: (id) => warehouseCodes.get(id) ?? id },
    lookups: productIds.length + warehouseIds.length,
  };
}

const SEVERITY: Record<string, number> = { 'below-safety': 0, 'below-minimum': 1 };

function bySeverity(a: ProblemLevel, b: ProblemLevel): number {
  return (SEVERITY[a.band] ?? 2) - (SEVERITY[b.band] ?? 2) || a.available - b.available;
}

function thresholdsCell(level: ProblemLevel): string {
  const t = level.thresholds;
  return t ? `${t.minimum} / ${t.safety} / ${t.maximum}` : '—';
}

function shortTable(levels: ProblemLevel[], names: Names): EmailTable {
  return {
    caption: 'Below minimum',
    columns: ['Product', 'Warehouse', 'Available', 'Min / safety / max', 'Band', 'Suggested reorder'],
    rows: levels.map((level) => [
      names.product(level.productId),
      names.warehouse(level.warehouseId),
      String(level.available),
      thresholdsCell(level),
      level.band === 'below-safety' ? 'below safety' : 'below minimum',
      level.thresholds ? String(suggestedReorderQuantity(level.available, 0, level.thresholds)) : '—',
    ]),
  };
}

function overTable(levels: ProblemLevel[], names: Names): EmailTable {
  return {
    caption: 'Above maximum',
    columns: ['Product', 'Warehouse', 'Available', 'Min / safety / max', 'Over maximum by'],
    rows: levels.map((level) => [
      names.product(level.productId),
      names.warehouse(level.warehouseId),
      String(level.available),
      thresholdsCell(level),
      level.thresholds ? String(level.available - level.thresholds.maximum) : '—',
    ]),
  };
}

function lotsTable(lots: ExpiringLot[], today: string, names: Names): EmailTable {
  return {
    caption: 'Lots expiring or expired',
    columns: ['Product', 'Warehouse', 'Lot', 'Quantity', 'Expires', 'Days left'],
    rows: lots.map((lot) => {
      const left = daysBetween(today, lot.expiresOn);
      return [
        names.product(lot.productId),
        names.warehouse(lot.warehouseId),
        lot.number,
        String(lot.quantity),
        lot.expiresOn,
        left < 0 ? `expired ${-left} days ago` : left === 0 ? 'expires today' : String(left),
      ];
    }),
  };
}

function uncountedTable(levels: UncountedLevel[], names: Names): EmailTable {
  return {
    caption: 'Not counted recently',
    columns: ['Product', 'Warehouse', 'On hand', 'Last counted'],
    rows: levels.map((level) => [
      names.product(level.productId),
      names.warehouse(level.warehouseId),
      String(level.onHand),
      level.lastCountedAt ? level.lastCountedAt.slice(0, 10) : `never (stocked since ${level.since.slice(0, 10)})`,
    ]),
  };
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

function summary(result: SweepResult): string {
  const parts = [
    result.belowMinimum ? `${result.belowMinimum} below minimum` : '',
    result.aboveMaximum ? `${result.aboveMaximum} above maximum` : '',
    result.expiringLots ? `${result.expiringLots} lot(s) expiring` : '',
    result.notCounted ? `${result.notCounted} not counted` : '',
  ];
  return parts.filter(Boolean).join(', ');
}
