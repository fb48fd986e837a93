/**
 * The SLA checkpoints of a service request, as pure functions of its `sla` times: each deadline
 * (first response, resolution) has a warning at 80 % of its span and a breach at its due time.
 * No I/O and no config: the change mapper, the schedule sync, the escalate-if-due rule and the
 * sweep all read the same answers from here.
 */
export const SLA_DEADLINES = ['first-response', 'resolution'] as const;
export type SlaDeadline = (typeof SLA_DEADLINES)[number];
export const SLA_LEVELS = ['warning', 'breach'] as const;
export type SlaLevel = (typeof SLA_LEVELS)[number];

/** Share of a deadline's span after which the warning goes out (the 80 %). */
export const WARNING_SHARE = 0.8;

/** The request's `sla` block as helper E stores it (ISO instants). */
export interface SlaTimes {
  firstResponseDueAt: string;
  resolutionDueAt: string;
  firstResponseWarnAt: string;
  resolutionWarnAt: string;
  firstRespondedAt?: string | null;
  resolvedAt?: string | null;
}

/** What the rules need of a request: its state and its SLA times. */
export interface SlaSubject {
  status: string;
  sla: SlaTimes;
}

export interface Checkpoint {
  deadline: SlaDeadline;
  level: SlaLevel;
  /** When the checkpoint is reached (the warn or due instant). */
  at: string;
  /** The deadline's due instant: names the deadline, so a re-armed one (reopen) is a new one. */
  dueAt: string;
}

export function dueAtOf(sla: SlaTimes, deadline: SlaDeadline): string {
  return deadline === 'first-response' ? sla.firstResponseDueAt : sla.resolutionDueAt;
}

export function checkpointAt(sla: SlaTimes, deadline: SlaDeadline, level: SlaLevel): string {
  if (level === 'breach') return dueAtOf(sla, deadline);
  return deadline === 'first-response' ? sla.firstResponseWarnAt : sla.resolutionWarnAt;
}

/**
 * A deadline is met once its clock stopped. A resolved request has answered the customer, so
 * resolving also meets an unanswered first response (nobody is escalated to for a response
 * that the resolution itself gave).
 */
export function isMet(sla: SlaTimes, deadline: SlaDeadline): boolean {
  if (deadline === 'resolution') return Boolean(sla.resolvedAt);
  return Boolean(sla.firstRespondedAt ?? sla.resolvedAt);
}

/** A closed request escalates nothing, whatever its clocks say. */
export function isClosed(subject: SlaSubject): boolean {
  return subject.status === 'closed';
}

/** Every checkpoint still ahead or overdue: unmet deadlines of an open request. */
export function pendingCheckpoints(subject: SlaSubject): Checkpoint[] {
  if (isClosed(subject)) return [];
  return SLA_DEADLINES.filter((deadline) => !isMet(subject.sla, deadline)).flatMap((deadline) =>
    SLA_LEVELS.map((level) => ({ deadline, level, at: checkpointAt(subject.sla, deadline, level), dueAt: dueAtOf(subject.sla, deadline) })),
  );
}

/** The pending checkpoints whose time has come. */
export function dueCheckpoints(subject: SlaSubject, now: Date): Checkpoint[] {
  return pendingCheckpoints(subject).filter((checkpoint) => Date.parse(checkpoint.at) <= now.getTime());
}

export function checkpointKey(checkpoint: Checkpoint): string {
  return `${checkpoint.deadline}#${checkpoint.level}#${checkpoint.dueAt}`;
}

/**
 * Checkpoints to arm and to disarm when a request changes from `before` to `after`: the
 * difference of the two pending sets (a met or re-armed deadline disarms its old checkpoints).
 */
export function checkpointChanges(before: SlaSubject | undefined, after: SlaSubject | undefined): { arm: Checkpoint[]; disarm: Checkpoint[] } {
  const old = before ? pendingCheckpoints(before) : [];
  const next = after ? pendingCheckpoints(after) : [];
  const oldKeys = new Set(old.map(checkpointKey));
  const nextKeys = new Set(next.map(checkpointKey));
  return { arm: next.filter((c) => !oldKeys.has(checkpointKey(c))), disarm: old.filter((c) => !nextKeys.has(checkpointKey(c))) };
}

const SHORT: Record<SlaDeadline, string> = { 'first-response': 'fr', resolution: 'rs' };

/**
 * The one-time schedule's name: deterministic, so creating it twice is a conflict (not a second
 * schedule) and disarming needs no stored record. ≤ 64 chars of [0-9A-Za-z-_.] as Scheduler
 * requires: `sla-<ULID>-fr-w-20261127T080000` (51).
 */
export function scheduleNameOf(requestId: string, checkpoint: Checkpoint): string {
  const due = checkpoint.dueAt.replace(/[-:]/g, '').slice(0, 15);
  return `sla-${requestId}-${SHORT[checkpoint.deadline]}-${checkpoint.level === 'warning' ? 'w' : 'b'}-${due}`;
}

/**
 * How far ahead of its earliest unmet due time a request can need a warning: 20 % of the
 * longest span in the SLA policy (a warning is at 80 % of its span). The sweep reads the
 * SLA_OPEN index up to now + this lead.
 */
export function largestWarningLeadMs(slaHours: Record<string, { firstResponseHours: number; resolutionHours: number }>): number {
  const longest = Math.max(0, ...Object.values(slaHours).flatMap((pair) => [pair.firstResponseHours, pair.resolutionHours]));
  return Math.ceil((1 - WARNING_SHARE) * longest * 3_600_000);
}
