import { getSettings } from '../organization/service';
import { createdStamp, updatedStamp } from '../platform/audit';
import type { Actor } from '../platform/auth';
import type { ServiceContext } from '../platform/context';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, type FieldError } from '../platform/errors';
import type { Page } from '../platform/pagination';
import { cursorScope } from '../platform/query';
import type { Role } from '../platform/roles';
import { localDate, localMonth } from '../platform/time';
import { assertIfMatch, lostUpdateError } from '../platform/versioning';
import { salesTotal } from '../sales/aggregates';
import { periodMonths, type Period } from '../sales/period';
import type {
  RepCreate,
  RepListQuery,
  RepPatch,
  SalesRep,
  SalesTarget,
  Scorecard,
  TargetInput,
  TargetListQuery,
  TargetParams,
  TargetScope,
  Training,
  TrainingCreate,
  TrainingListQuery,
} from './schema';
import {
  getRepIdOfUser,
  getRepRecord,
  getTargetRecord,
  insertRep,
  insertTraining,
  queryReps,
  queryTargets,
  queryTrainings,
  replaceRep,
  saveTarget,
  targetsOfYear,
  type RepWriteFailures,
} from './store';
import { compare, periodDeadline, resolveTarget } from './targets';

// ---- reps ----------------------------------------------------------------------------------

/** A management chain longer than this is refused rather than walked forever. */
const MAX_CHAIN = 50;

function repFailures(input: { userId?: string; managerId?: string | null }, ifMatch?: number): RepWriteFailures {
  return {
    duplicateUser: () => new ConflictError(`User ${input.userId} already has a sales rep record.`, { field: 'userId' }),
    badManager: (old) =>
      new ValidationError(old ? `Sales rep ${input.managerId} is inactive and cannot manage anyone.` : `No sales rep ${input.managerId}.`, [
        { path: '$.body.managerId', message: old ? 'the manager is inactive' : 'no such sales rep' },
      ]),
    lostUpdate: () => lostUpdateError(ifMatch),
  };
}

export async function createRep(context: ServiceContext, actor: Actor, input: RepCreate): Promise<SalesRep> {
  const rep: SalesRep = { id: context.newId(), ...input, ...createdStamp(context, actor) };
  await insertRep(rep, repFailures(input));
  return rep;
}

export async function getRep(id: string): Promise<SalesRep> {
  const rep = await getRepRecord(id);
  if (!rep) throw new NotFoundError(`No sales rep ${id}.`);
  return rep;
}

/** The rep record of a user (the Cognito `sub`), if they have one. */
export async function getRepByUserId(userId: string): Promise<SalesRep | undefined> {
  const id = await getRepIdOfUser(userId);
  return id ? getRepRecord(id) : undefined;
}

export async function listReps(query: RepListQuery): Promise<Page<SalesRep>> {
  if (query.userId !== undefined) {
    const rep = await getRepByUserId(query.userId);
    const matches =
      rep !== undefined &&
      (query.region === undefined || rep.region === query.region) &&
      (query.managerId === undefined || rep.managerId === query.managerId) &&
      (query.active === undefined || rep.active === (query.active === 'true'));
    return { items: matches ? [rep] : [], nextCursor: null };
  }
  return queryReps(query, cursorScope('sales-reps', query));
}

export async function updateRep(context: ServiceContext, actor: Actor, id: string, patch: RepPatch, ifMatch: number | undefined): Promise<SalesRep> {
  const current = await getRep(id);
  assertIfMatch(ifMatch, current.version);
  const { email, managerId, ...rest } = patch;
  if (managerId === id) throw new ValidationError('A rep cannot manage themselves.', [{ path: '$.body.managerId', message: 'must be another rep' }]);
  if (managerId && managerId !== current.managerId) await assertNoLoop(id, managerId);
  const next: SalesRep = { ...current, ...rest, ...updatedStamp(context, actor, current) };
  if (email === null) delete next.email;
  else if (email !== undefined) next.email = email;
  if (managerId === null) delete next.managerId;
  else if (managerId !== undefined) next.managerId = managerId;
  await replaceRep(next, current, repFailures({ userId: next.userId, managerId }, ifMatch));
  return next;
}

/** Walks up from the new manager: if the chain reaches the rep, the change would make a loop. */
async function assertNoLoop(repId: string, managerId: string): Promise<void> {
  const chain: string[] = [];
  let next: string | undefined = managerId;
  while (next !== undefined && chain.length < MAX_CHAIN) {
    if (next === repId) {
      throw new ConflictError(`That would make a management loop: ${[repId, ...chain].join(' → ')} → ${repId}.`, { chain: [...chain, repId] });
    }
    chain.push(next);
    // A missing manager is reported by the write's own check (400 on managerId).
    next = (await getRepRecord(next))?.managerId;
  }
  if (next !== undefined) throw new ConflictError(`The management chain above ${managerId} is longer than ${MAX_CHAIN} reps.`);
}

// ---- training records ----------------------------------------------------------------------

export async function recordTraining(context: ServiceContext, actor: Actor, repId: string, input: TrainingCreate): Promise<Training> {
  const today = localDate(context.clock.now(), (await getSettings()).timeZone);
  if (input.date > today) throw new ValidationError('A training record is written once the training has happened.', [{ path: '$.body.date', message: `must not be after ${today}` }]);
  const training: Training = { id: context.newId(), repId, ...input, ...createdStamp(context, actor) };
  await insertTraining(training, () => new NotFoundError(`No sales rep ${repId}.`));
  return training;
}

export async function listTrainings(repId: string, query: TrainingListQuery): Promise<Page<Training>> {
  await getRep(repId);
  return queryTrainings(repId, query, cursorScope(`sales-reps/${repId}/trainings`, query));
}

// ---- targets -------------------------------------------------------------------------------

/** Who may set a rep's own targets: not the rep, unless they also act for management or admin. */
const OWN_TARGET_SETTERS: readonly Role[] = ['management', 'admin'];

/**
 * Creates or replaces the target of a rep or region for a month or quarter. Replacing an
 * existing target needs `If-Match` with its version (a PUT carries the whole target, so a
 * blind one would silently overwrite numbers the caller never saw); `If-Match: "0"` means
 * "only if there is none yet".
 */
export async function setTarget(
  context: ServiceContext,
  actor: Actor,
  params: TargetParams,
  input: TargetInput,
  ifMatch: number | undefined,
): Promise<{ target: SalesTarget; created: boolean }> {
  const { currency } = await getSettings();
  const wrongCurrency: FieldError[] = (['revenue', 'grossProfit'] as const)
    .filter((name) => input[name] !== undefined && input[name].currency !== currency)
    .map((name) => ({ path: `$.body.${name}.currency`, message: `must be the company currency ${currency}` }));
  if (wrongCurrency.length) throw new ValidationError(`Targets are set in the company currency, ${currency}.`, wrongCurrency);

  if (params.scope === 'rep') {
    const rep = await getRep(params.id);
    if (rep.userId === actor.userId && !actor.roles.some((role) => OWN_TARGET_SETTERS.includes(role))) {
      throw new ForbiddenError('A rep cannot set their own targets; their manager or management does.');
    }
  }
  const current = await getTargetRecord(params.scope, params.id, params.period);
  assertIfMatch(ifMatch, current?.version ?? 0);
  if (current && ifMatch === undefined) {
    throw new ConflictError(`A target for ${params.scope} ${params.id} in ${params.period} exists (version ${current.version}); send If-Match: "${current.version}" to replace it.`, {
      currentVersion: current.version,
    });
  }
  const stamp = current ? { createdAt: current.createdAt, createdBy: current.createdBy, ...updatedStamp(context, actor, current) } : createdStamp(context, actor);
  const target: SalesTarget = { scope: params.scope, subjectId: params.id, period: params.period, deadline: periodDeadline(params.period), ...input, ...stamp };
  await saveTarget(target, current?.version, () => lostUpdateError(ifMatch));
  return { target, created: current === undefined };
}

export async function getTarget(params: TargetParams): Promise<SalesTarget> {
  const target = await getTargetRecord(params.scope, params.id, params.period);
  if (!target) throw new NotFoundError(`No target for ${params.scope} ${params.id} in ${params.period}.`);
  return target;
}

export async function listTargets(query: TargetListQuery): Promise<Page<SalesTarget>> {
  return queryTargets(query, cursorScope('sales-targets', query));
}

// ---- scorecards ----------------------------------------------------------------------------

/** A rep's actual figures (from the sales aggregates of the orders they sold) against their targets. */
export async function repScorecard(context: ServiceContext, repId: string, period: Period): Promise<Scorecard> {
  const rep = await getRep(repId);
  return { ...(await scorecard(context, 'rep', rep.id, period)), name: rep.name };
}

/** A region's actual figures against the region's own targets (not the sum of its reps'). */
export async function regionScorecard(context: ServiceContext, region: string, period: Period): Promise<Scorecard> {
  return scorecard(context, 'region', region, period);
}

async function scorecard(context: ServiceContext, scope: TargetScope, subjectId: string, period: Period): Promise<Scorecard> {
  const months = periodMonths(period);
  const [settings, figures, targets] = await Promise.all([getSettings(), salesTotal(scope, subjectId, months), targetsOfYear(scope, subjectId, period.slice(0, 4))]);
  const target = resolveTarget(period, targets);
  const currentMonth = localMonth(context.clock.now(), settings.timeZone);
  return {
    scope,
    subjectId,
    period,
    months,
    deadline: periodDeadline(period),
    closed: (months.at(-1) as string) < currentMonth,
    target: { basis: target.basis, periods: target.periods },
    measures: compare(target, figures, settings.currency),
    orders: figures.orders,
  };
}
