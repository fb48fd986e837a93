import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../platform/db';
import type { Page } from '../platform/pagination';
import { attributeFilter, queryPage } from '../platform/query';
import { transactWrite, type TransactItems } from '../platform/transact';
import type { RepListQuery, SalesRep, SalesTarget, TargetListQuery, TargetScope, Training, TrainingListQuery } from './schema';
import { withoutKeys } from '../platform/items';

/**
 * Keys of the sales team's items — the only place that knows them.
 *   rep            pk SALES_REP#<id>                  sk SALES_REP
 *                  gsi1 SALES_REPS / <region>#<name lower>#<id>     (all reps; a region by begins_with)
 *                  gsi2 SALES_REPS#MANAGER#<managerId> / <name lower>#<id>   (sparse: reps with a manager)
 *   user guard     pk SALES_REP_USER#<userId>         sk SALES_REP_USER   (one rep per user, same transaction)
 *   training       pk SALES_REP#<repId>               sk TRAINING#<date>#<id>   (a rep's, by date)
 *   target         pk SALES_TARGET#<scope>#<subject>  sk TARGET#<period>        (a rep's or region's, by period)
 *                  gsi1 SALES_TARGETS#<period> / <scope>#<subject>            (every target of a period)
 * Periods sort as months then quarters within a year (`2026-12` < `2026-Q1`).
 */
const repKey = (id: string) => ({ pk: `SALES_REP#${id}`, sk: 'SALES_REP' });
const repIndexKeys = (rep: SalesRep) => ({
  gsi1pk: 'SALES_REPS',
  gsi1sk: `${rep.region}#${rep.name.toLowerCase()}#${rep.id}`,
  ...(rep.managerId ? { gsi2pk: `SALES_REPS#MANAGER#${rep.managerId}`, gsi2sk: `${rep.name.toLowerCase()}#${rep.id}` } : {}),
});
const userKey = (userId: string) => ({ pk: `SALES_REP_USER#${userId}`, sk: 'SALES_REP_USER' });
const trainingKey = (training: Training) => ({ pk: `SALES_REP#${training.repId}`, sk: `TRAINING#${training.date}#${training.id}` });
const targetKey = (scope: TargetScope, subjectId: string, period: string) => ({ pk: `SALES_TARGET#${scope}#${subjectId}`, sk: `TARGET#${period}` });
const targetIndexKeys = (target: SalesTarget) => ({ gsi1pk: `SALES_TARGETS#${target.period}`, gsi1sk: `${target.scope}#${target.subjectId}` });

type Item = Record<string, unknown>;

/** The manager must exist and be active when the write commits (reps are never deleted). */
function managerCheck(managerId: string): TransactItems[number] {
  return {
    ConditionCheck: {
      TableName: tableName,
      Key: repKey(managerId),
      ConditionExpression: 'attribute_exists(pk) AND active = :true',
      ExpressionAttributeValues: { ':true': true },
    },
  };
}

export interface RepWriteFailures {
  /** The user already has a rep. */
  duplicateUser: () => Error;
  /** The manager is missing (`old` undefined) or inactive. */
  badManager: (old: Item | undefined) => Error;
  /** The rep changed since it was read (updates only). */
  lostUpdate: () => Error;
}

/** Rep, user guard and the manager check in one transaction: a refused rep writes nothing. */
export async function insertRep(rep: SalesRep, failures: RepWriteFailures): Promise<void> {
  const actions: TransactItems = [
    { Put: { TableName: tableName, Item: { ...repKey(rep.id), ...repIndexKeys(rep), type: 'SalesRep', ...rep }, ConditionExpression: 'attribute_not_exists(pk)' } },
    { Put: { TableName: tableName, Item: { ...userKey(rep.userId), type: 'SalesRepUser', repId: rep.id, userId: rep.userId }, ConditionExpression: 'attribute_not_exists(pk)' } },
  ];
  if (rep.managerId) actions.push(managerCheck(rep.managerId));
  await transactWrite(actions, (index, old) => {
    if (index === 1) return failures.duplicateUser();
    if (index === 2) return failures.badManager(old);
    return new Error(`sales rep id collision ${rep.id}`);
  });
}

/**
 * Replaces the rep if it is still at `current.version`. A new manager is checked in the same
 * transaction; a new user id moves the guard (old one deleted, new one claimed).
 */
export async function replaceRep(next: SalesRep, current: SalesRep, failures: RepWriteFailures): Promise<void> {
  const actions: TransactItems = [
    {
      Put: {
        TableName: tableName,
        Item: { ...repKey(next.id), ...repIndexKeys(next), type: 'SalesRep', ...next },
        ConditionExpression: 'version = :expected',
        ExpressionAttributeValues: { ':expected': current.version },
      },
    },
  ];
  const roles: Array<keyof RepWriteFailures> = ['lostUpdate'];
  if (next.managerId && next.managerId !== current.managerId) {
    actions.push(managerCheck(next.managerId));
    roles.push('badManager');
  }
  if (next.userId !== current.userId) {
    actions.push(
      { Delete: { TableName: tableName, Key: userKey(current.userId), ConditionExpression: 'repId = :id', ExpressionAttributeValues: { ':id': current.id } } },
      { Put: { TableName: tableName, Item: { ...userKey(next.userId), type: 'SalesRepUser', repId: next.id, userId: next.userId }, ConditionExpression: 'attribute_not_exists(pk)' } },
    );
    roles.push('lostUpdate', 'duplicateUser');
  }
  await transactWrite(actions, (index, old) => {
    const role = roles[index] ?? 'lostUpdate';
    return role === 'badManager' ? failures.badManager(old) : failures[role]();
  });
}

export async function getRepRecord(id: string): Promise<SalesRep | undefined> {
  const result = await db.send(new GetCommand({ TableName: tableName, Key: repKey(id) }));
  return result.Item ? withoutKeys<SalesRep>(result.Item) : undefined;
}

export async function getRepIdOfUser(userId: string): Promise<string | undefined> {
  const result = await db.send(new GetCommand({ TableName: tableName, Key: userKey(userId) }));
  return typeof result.Item?.repId === 'string' ? result.Item.repId : undefined;
}

/**
 * By manager through gsi2 (region a filter on top), otherwise the SALES_REPS partition of
 * gsi1, narrowed to a region by `begins_with`. `active` is a filter: most reps are active.
 */
export async function queryReps(query: RepListQuery, scope: string): Promise<Page<SalesRep>> {
  const byManager = query.managerId !== undefined;
  const where = attributeFilter([
    { attribute: 'active', value: query.active === undefined ? undefined : query.active === 'true' },
    { attribute: 'region', value: byManager ? query.region : undefined },
  ]);
  const byRegion = !byManager && query.region !== undefined;
  return queryPage(
    {
      index: byManager ? 'gsi2' : 'gsi1',
      keyCondition: byManager ? 'gsi2pk = :pk' : byRegion ? 'gsi1pk = :pk AND begins_with(gsi1sk, :region)' : 'gsi1pk = :pk',
      values: { ...where.values, ':pk': byManager ? `SALES_REPS#MANAGER#${query.managerId}` : 'SALES_REPS', ...(byRegion ? { ':region': `${query.region}#` } : {}) },
      names: where.names,
      filter: where.filter,
      limit: query.limit,
      cursor: query.cursor,
      scope,
    },
    (item) => withoutKeys<SalesRep>(item),
  );
}

/** The training record, conditional on its rep existing: a record never outlives a typo. */
export async function insertTraining(training: Training, onRepMissing: () => Error): Promise<void> {
  await transactWrite(
    [
      { Put: { TableName: tableName, Item: { ...trainingKey(training), type: 'SalesTraining', ...training }, ConditionExpression: 'attribute_not_exists(pk)' } },
      { ConditionCheck: { TableName: tableName, Key: repKey(training.repId), ConditionExpression: 'attribute_exists(pk)' } },
    ],
    (index) => (index === 1 ? onRepMissing() : new Error(`training id collision ${training.id}`)),
  );
}

/** A rep's training records, latest date first; topic is a filter (a rep has dozens, not thousands). */
export async function queryTrainings(repId: string, query: TrainingListQuery, scope: string): Promise<Page<Training>> {
  return queryPage(
    {
      keyCondition: 'pk = :pk AND begins_with(sk, :prefix)',
      values: { ':pk': repKey(repId).pk, ':prefix': 'TRAINING#', ...(query.topic ? { ':topic': query.topic } : {}) },
      filter: query.topic ? 'topic = :topic' : undefined,
      newestFirst: true,
      limit: query.limit,
      cursor: query.cursor,
      scope,
    },
    (item) => withoutKeys<Training>(item),
  );
}

export async function getTargetRecord(scope: TargetScope, subjectId: string, period: string): Promise<SalesTarget | undefined> {
  const result = await db.send(new GetCommand({ TableName: tableName, Key: targetKey(scope, subjectId, period), ConsistentRead: true }));
  return result.Item ? withoutKeys<SalesTarget>(result.Item) : undefined;
}

/** Writes a target that must not exist yet (`expectedVersion` undefined) or must still be at that version. */
export async function saveTarget(target: SalesTarget, expectedVersion: number | undefined, onLostUpdate: () => Error): Promise<void> {
  await transactWrite(
    [
      {
        Put: {
          TableName: tableName,
          Item: { ...targetKey(target.scope, target.subjectId, target.period), ...targetIndexKeys(target), type: 'SalesTarget', ...target },
          ...(expectedVersion === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': expectedVersion } }),
        },
      },
    ],
    onLostUpdate,
  );
}

/**
 * One rep's or region's targets (latest period first, or one period), or every target of a
 * period through gsi1 (one scope by `begins_with`).
 */
export async function queryTargets(query: TargetListQuery, scope: string): Promise<Page<SalesTarget>> {
  const toView = (item: Item) => withoutKeys<SalesTarget>(item);
  const page = { limit: query.limit, cursor: query.cursor, scope };
  if (query.scope !== undefined && query.id !== undefined) {
    const key = targetKey(query.scope, query.id, query.period ?? '');
    return queryPage(
      { keyCondition: 'pk = :pk AND begins_with(sk, :sk)', values: { ':pk': key.pk, ':sk': query.period ? key.sk : 'TARGET#' }, newestFirst: true, ...page },
      toView,
    );
  }
  return queryPage(
    {
      index: 'gsi1',
      keyCondition: query.scope ? 'gsi1pk = :pk AND begins_with(gsi1sk, :scope)' : 'gsi1pk = :pk',
      values: { ':pk': `SALES_TARGETS#${query.period ?? ''}`, ...(query.scope ? { ':scope': `${query.scope}#` } : {}) },
      ...page,
    },
    toView,
  );
}

/** Every target of a rep or region in one year: at most 12 months and 4 quarters, one query. */
export async function targetsOfYear(scope: TargetScope, subjectId: string, year: string): Promise<SalesTarget[]> {
  const key = targetKey(scope, subjectId, `${year}-`);
  const result = await db.send(
    new QueryCommand({ TableName: tableName, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)', ExpressionAttributeValues: { ':pk': key.pk, ':sk': key.sk } }),
  );
  return (result.Items ?? []).map((item) => withoutKeys<SalesTarget>(item));
}
