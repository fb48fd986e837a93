import type { LotRecord } from './store';

/** Where a quantity taken from a level comes from: named lots, or the level's unlotted stock. */
export interface Take {
  lotNumber: string | null;
  quantity: number;
  expiresOn: string | null;
}

/**
 * First-expiring-first-out: lots with an expiry date, earliest first; then lots without one,
 * oldest receipt first; stock received without a lot last. `remaining` holds what earlier
 * lines of the same movement already took, so one movement never takes a unit twice.
 */
export function allocateFefo(quantity: number, lots: LotRecord[], unlotted: number, remaining: Map<string, number>): Take[] | undefined {
  const ordered = [...lots].sort((a, b) => {
    if (a.expiresOn !== b.expiresOn) return a.expiresOn === null ? 1 : b.expiresOn === null ? -1 : a.expiresOn.localeCompare(b.expiresOn);
    return a.receivedAt.localeCompare(b.receivedAt);
  });
  const takes: Take[] = [];
  let left = quantity;
  for (const lot of ordered) {
    if (left === 0) break;
    const have = remaining.get(lot.number) ?? lot.quantity;
    const take = Math.min(have, left);
    if (take <= 0) continue;
    takes.push({ lotNumber: lot.number, quantity: take, expiresOn: lot.expiresOn });
    remaining.set(lot.number, have - take);
    left -= take;
  }
  if (left > 0) {
    const have = remaining.get('') ?? unlotted;
    const take = Math.min(have, left);
    if (take > 0) {
      takes.push({ lotNumber: null, quantity: take, expiresOn: null });
      remaining.set('', have - take);
      left -= take;
    }
  }
  return left === 0 ? takes : undefined;
}
