import { auditName, type Actor } from './auth';
import type { ServiceContext } from './context';

/** Audit fields of a new item: version 1, created and updated now by the actor. */
export function createdStamp(context: ServiceContext, actor: Actor) {
  const now = context.clock.now().toISOString();
  const by = auditName(actor);
  return { version: 1, createdAt: now, createdBy: by, updatedAt: now, updatedBy: by };
}

/** Audit fields of a change: the next version, updated now by the actor. */
export function updatedStamp(context: ServiceContext, actor: Actor, current: { version: number }) {
  return { version: current.version + 1, updatedAt: context.clock.now().toISOString(), updatedBy: auditName(actor) };
}
