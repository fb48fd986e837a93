import { describe, expect, it } from 'vitest';
import { acknowledgeAlert, getAlert, listAlerts, recordAlertEvent } from '../../lib/alerts/service';
import type { AlertListQuery } from '../../lib/alerts/schema';
import { bandOf } from '../../lib/inventory/bands';
import { inventoryChanges } from '../../lib/inventory/events';
import type { Thresholds } from '../../lib/inventory/schema';
import { ConflictError, NotFoundError, ValidationError } from '../../lib/platform/errors';
import type { DomainEvent } from '../../lib/platform/events';
import { newId } from '../../lib/platform/ids';
import { anActor, testContext } from '../support/factories';

const thresholds: Thresholds = { safety: 3, minimum: 10, maximum: 100, reorderQuantity: 50, leadTimeDays: 14 };
const production = anActor(['production'], { email: 'production@example.com' });

/** A stock level under test: each step is one stream record of its item, at a later time. */
function aLevel() {
  const productId = newId();
  const warehouseId = newId();
  let available = 12;
  let second = 0;
  let record = 0;
  const item = (value: number, at: string, changeSeq: number) => ({
    type: 'StockLevel',
    changeSeq,
    productId,
    warehouseId,
    onHand: value,
    reserved: 0,
    available: value,
    thresholds,
    band: bandOf(value, thresholds),
    updatedAt: at,
  });
  return {
    productId,
    warehouseId,
    /** The events of moving available stock to `to` (the stream record is new each time). */
    moveTo(to: number): DomainEvent[] {
      const at = new Date(Date.UTC(2026, 10, 27, 8, 0, ++second)).toISOString();
      const before = item(available, at, record);
      available = to;
      return inventoryChanges({ recordId: `${productId}-${++record}`, kind: 'MODIFY', oldItem: before, newItem: item(to, at, record), committedAt: at });
    },
  };
}

const record = (events: DomainEvent[]) => Promise.all(events.map((event) => recordAlertEvent(testContext(), event)));
const all = async (query: Partial<AlertListQuery>) => (await listAlerts({ status: 'open', limit: 100, ...query })).items;

describe('alerts: recorded from threshold crossings', () => {
  it('opens one alert per crossing and resolves it on recovery; a replay changes nothing', async () => {
    const level = aLevel();
    const crossed = level.moveTo(9);
    expect(await record(crossed)).toEqual(['opened']);
    expect(await record(crossed)).toEqual(['duplicate']);

    const [open] = (await all({ kind: 'stock-below-minimum' })).filter((a) => a.subject.productId === level.productId);
    expect(open).toMatchObject({
      kind: 'stock-below-minimum',
      subject: { productId: level.productId, warehouseId: level.warehouseId },
      status: 'open',
      openedAt: '2026-11-27T08:00:01.000Z',
      resolvedAt: null,
      figures: { onHand: 9, reserved: 0, available: 9, band: 'below-minimum', thresholds },
      acknowledgedAt: null,
      version: 1,
    });

    const recovered = level.moveTo(15);
    expect(await record(recovered)).toEqual(['resolved']);
    // A replayed recovery is no newer than the latch it moved: nothing to do.
    expect(await record(recovered)).toEqual(['stale']);
    expect(await getAlert(open?.id ?? '')).toMatchObject({ status: 'resolved', resolvedAt: '2026-11-27T08:00:02.000Z', version: 2 });

    expect(await record(level.moveTo(9))).toEqual(['opened']);
    const mine = (alerts: Awaited<ReturnType<typeof all>>) => alerts.filter((a) => a.subject.productId === level.productId);
    expect(mine(await all({ status: 'open' }))).toHaveLength(1);
    expect(mine(await all({ status: 'resolved' }))).toHaveLength(1);
  });

  it('keeps one open alert per subject and kind, even for concurrent deliveries of the same event', async () => {
    const level = aLevel();
    const [event] = level.moveTo(9);
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => recordAlertEvent(testContext(), event as DomainEvent)));
    expect(outcomes.filter((o) => o === 'opened')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(4);
    expect((await all({ kind: 'stock-below-minimum' })).filter((a) => a.subject.productId === level.productId)).toHaveLength(1);
  });

  it('opens minimum and safety alerts separately, and resolves each on its own recovery', async () => {
    const level = aLevel();
    expect((await record(level.moveTo(1))).sort()).toEqual(['opened', 'opened']);
    expect(await record(level.moveTo(5))).toEqual(['resolved']);
    const open = (await all({})).filter((a) => a.subject.productId === level.productId);
    expect(open.map((a) => a.kind)).toEqual(['stock-below-minimum']);
    const resolved = (await all({ status: 'resolved', kind: 'stock-below-safety' })).filter((a) => a.subject.productId === level.productId);
    expect(resolved).toHaveLength(1);
  });

  it('survives the bus delivering a recovery after the next crossing, or before its own crossing', async () => {
    const level = aLevel();
    const first = level.moveTo(9);
    const recovery = level.moveTo(15);
    const second = level.moveTo(9);
    await record(first);
    // The second crossing arrives before the recovery that preceded it.
    expect(await record(second)).toEqual(['superseded-and-opened']);
    expect(await record(recovery)).toEqual(['stale']);
    const mine = async (status: 'open' | 'resolved') => (await all({ status })).filter((a) => a.subject.productId === level.productId);
    expect(await mine('open')).toHaveLength(1);
    expect(await mine('resolved')).toHaveLength(1);

    const late = aLevel();
    const crossing = late.moveTo(9);
    const back = late.moveTo(15);
    expect(await record(back)).toEqual(['stale']);
    expect(await record(crossing)).toEqual(['recorded-resolved']);
    const [alert] = (await all({ status: 'resolved' })).filter((a) => a.subject.productId === late.productId);
    expect(alert).toMatchObject({ openedAt: '2026-11-27T08:00:01.000Z', resolvedAt: '2026-11-27T08:00:02.000Z' });
    expect((await all({})).filter((a) => a.subject.productId === late.productId)).toEqual([]);
  });

  it('ignores events it does not keep', async () => {
    const event: DomainEvent = { metadata: { id: 'x', type: 'DepartmentHeadChanged', version: 1, source: 'postlaunch.organization', occurredAt: '2026-11-27T08:00:00Z' }, data: {} };
    expect(await recordAlertEvent(testContext(), event)).toBe('ignored');
  });
});

describe('alerts: acknowledge', () => {
  it('records who and when, once; a second acknowledgement is 409 and an unknown alert 404', async () => {
    const level = aLevel();
    await record(level.moveTo(9));
    const [alert] = (await all({})).filter((a) => a.subject.productId === level.productId);
    const acknowledged = await acknowledgeAlert(testContext(), production, alert?.id ?? '');
    expect(acknowledged).toMatchObject({ acknowledgedAt: '2026-11-27T08:00:00.000Z', acknowledgedBy: 'production@example.com', version: 2 });
    await expect(acknowledgeAlert(testContext(), anActor(['management']), alert?.id ?? '')).rejects.toThrow(ConflictError);
    await expect(acknowledgeAlert(testContext(), production, newId())).rejects.toThrow(NotFoundError);
    await expect(getAlert(newId())).rejects.toThrow(NotFoundError);

    // Resolving keeps the acknowledgement.
    await record(level.moveTo(50));
    expect(await getAlert(alert?.id ?? '')).toMatchObject({ status: 'resolved', acknowledgedBy: 'production@example.com', version: 3 });
  });
});

describe('alerts: list', () => {
  it('pages newest first through an index, filtered by status and kind, with a cursor bound to its filters', async () => {
    const levels = Array.from({ length: 5 }, aLevel);
    for (const level of levels) await record(level.moveTo(150));
    const ids = new Set(levels.map((l) => l.productId));
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listAlerts({ status: 'open', kind: 'stock-above-maximum', limit: 2, cursor });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.filter((a) => ids.has(a.subject.productId)).map((a) => a.subject.productId));
      expect(page.items.every((a) => a.kind === 'stock-above-maximum' && a.status === 'open')).toBe(true);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(new Set(seen).size).toBe(5);
    expect(seen).toHaveLength(5);

    const first = await listAlerts({ status: 'open', kind: 'stock-above-maximum', limit: 1, cursor: undefined });
    const openedAt = first.items[0]?.openedAt ?? '';
    const all = await listAlerts({ status: 'open', kind: 'stock-above-maximum', limit: 100, cursor: undefined });
    expect(all.items.every((a) => a.openedAt <= openedAt)).toBe(true);
    await expect(listAlerts({ status: 'resolved', limit: 1, cursor: first.nextCursor ?? undefined })).rejects.toThrow(ValidationError);
  });
});
