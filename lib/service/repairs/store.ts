import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../../platform/db';
import type { Page } from '../../platform/pagination';
import { attributeFilter, queryPage } from '../../platform/query';
import { transactWrite, type TransactItems } from '../../platform/transact';
import type { Repair, RepairListQuery, Technician, TechnicianListQuery, TechnicianTraining, TechnicianTrainingListQuery } from './schema';

/**
 * Keys of the repairs module's items — the only place that knows them.
 *   technician     pk TECHNICIAN#<id>               sk TECHNICIAN
 *                  gsi1 TECHNICIANS / <region>#<name lower>#<id>   (all; a region by begins_with)
 *   user guard     pk TECHNICIAN_USER#<userId>      sk TECHNICIAN_USER   (one technician per user, same transaction)
 *   training       pk TECHNICIAN#<id>               sk TRAINING#<date>#<trainingId>   (a technician's, by date)
 *   repair         pk REPAIR#<id>                   sk REPAIR
 *                  gsi1 REPAIRS#STATUS#<status> / <id>
 *                  gsi2 REPAIRS#TECHNICIAN#<technicianId> / <id>   (sparse: repairs with a technician)
 * A repair's part lines, stock steps and return visits live on the repair item (bounded in the
 * schema), so every change of a repair is one put conditional on its version.
 */
const technicianKey = (id: string) => ({ pk: `TECHNICIAN#${id}`, sk: 'TECHNICIAN' });
const technicianIndexKeys = (technician: Technician) => ({ gsi1pk: 'TECHNICIANS', gsi1sk: `${technician.region}#${technician.name.toLowerCase()}#${technician.id}` });
const userKey = (userId: string) => ({ pk: `TECHNICIAN_USER#${userId}`, sk: 'TECHNICIAN_USER' });
const trainingKey = (training: TechnicianTraining) => ({ pk: technicianKey(training.technicianId).pk, sk: `TRAINING#${training.date}#${training.id}` });
const repairKey = (id: string) => ({ pk: `REPAIR#${id}`, sk: 'REPAIR' });

const INTERNAL = new Set(['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'type']);

function strip<T>(item: Record<string, unknown>): T {
  return Object.fromEntries(Object.entries(item).filter(([key]) => !INTERNAL.has(key))) as T;
}

// ---- technicians ---------------------------------------------------------------------------

/** Technician and user guard in one transaction: a second record for a user writes nothing. */
export async function insertTechnician(technician: Technician, onDuplicateUser: () => Error): Promise<void> {
  await transactWrite(
    [
      { Put: { TableName: tableName, Item: { ...technicianKey(technician.id), ...technicianIndexKeys(technician), type: 'Technician', ...technician }, ConditionExpression: 'attribute_not_exists(pk)' } },
      { Put: { TableName: tableName, Item: { ...userKey(technician.userId), type: 'TechnicianUser', technicianId: technician.id, userId: technician.userId }, ConditionExpression: 'attribute_not_exists(pk)' } },
    ],
    (index) => (index === 1 ? onDuplicateUser() : new Error(`technician id collision ${technician.id}`)),
  );
}

export async function replaceTechnician(next: Technician, expectedVersion: number, onLostUpdate: () => Error): Promise<void> {
  await transactWrite(
    [
      {
        Put: {
          TableName: tableName,
          Item: { ...technicianKey(next.id), ...technicianIndexKeys(next), type: 'Technician', ...next },
          ConditionExpression: 'version = :expected',
          ExpressionAttributeValues: { ':expected': expectedVersion },
        },
      },
    ],
    onLostUpdate,
  );
}

export async function getTechnicianRecord(id: string): Promise<Technician | undefined> {
  const result = await db.send(new GetCommand({ TableName: tableName, Key: technicianKey(id) }));
  return result.Item ? strip<Technician>(result.Item) : undefined;
}

/** The TECHNICIANS partition (a service team is tens of people), a region by prefix; skill and active filter on top. */
export function queryTechnicians(query: TechnicianListQuery, scope: string): Promise<Page<Technician>> {
  const where = attributeFilter([
    { attribute: 'active', value: query.active === undefined ? undefined : query.active === 'true' },
    { attribute: 'skills', value: query.skill, test: 'contains' },
  ]);
  const values = { ...where.values, ':pk': 'TECHNICIANS', ...(query.region !== undefined ? { ':region': `${query.region}#` } : {}) };
  return queryPage(
    {
      index: 'gsi1',
      keyCondition: query.region !== undefined ? 'gsi1pk = :pk AND begins_with(gsi1sk, :region)' : 'gsi1pk = :pk',
      values,
      names: where.names,
      filter: where.filter,
      limit: query.limit,
      cursor: query.cursor,
      scope,
    },
    (item) => strip<Technician>(item),
  );
}

/** The training record, conditional on its technician existing. */
export async function insertTechnicianTraining(training: TechnicianTraining, onTechnicianMissing: () => Error): Promise<void> {
  await transactWrite(
    [
      { Put: { TableName: tableName, Item: { ...trainingKey(training), type: 'TechnicianTraining', ...training }, ConditionExpression: 'attribute_not_exists(pk)' } },
      { ConditionCheck: { TableName: tableName, Key: technicianKey(training.technicianId), ConditionExpression: 'attribute_exists(pk)' } },
    ],
    (index) => (index === 1 ? onTechnicianMissing() : new Error(`training id collision ${training.id}`)),
  );
}

/** A technician's training records, latest date first. */
export function queryTechnicianTrainings(technicianId: string, query: TechnicianTrainingListQuery, scope: string): Promise<Page<TechnicianTraining>> {
  return queryPage(
    {
      keyCondition: 'pk = :pk AND begins_with(sk, :prefix)',
      values: { ':pk': technicianKey(technicianId).pk, ':prefix': 'TRAINING#' },
      newestFirst: true,
      limit: query.limit,
      cursor: query.cursor,
      scope,
    },
    (item) => strip<TechnicianTraining>(item),
  );
}

// ---- repairs -------------------------------------------------------------------------------

function repairItem(repair: Repair): Record<string, unknown> {
  return {
    ...repairKey(repair.id),
    gsi1pk: `REPAIRS#STATUS#${repair.status}`,
    gsi1sk: repair.id,
    ...(repair.technician ? { gsi2pk: `REPAIRS#TECHNICIAN#${repair.technician.id}`, gsi2sk: repair.id } : {}),
    type: 'Repair',
    ...repair,
  };
}

/** Writes the repair as `next`, only if it is still at `expectedVersion` (absent for a new repair). */
export function repairPutAction(next: Repair, expectedVersion: number | undefined): TransactItems[number] {
  return {
    Put: {
      TableName: tableName,
      Item: repairItem(next),
      ConditionExpression: expectedVersion === undefined ? 'attribute_not_exists(pk)' : 'version = :expected',
      ...(expectedVersion === undefined ? {} : { ExpressionAttributeValues: { ':expected': expectedVersion } }),
    },
  };
}

export async function getRepairRecord(id: string): Promise<Repair | undefined> {
  const result = await db.send(new GetCommand({ TableName: tableName, Key: repairKey(id), ConsistentRead: true }));
  return result.Item ? strip<Repair>(result.Item) : undefined;
}

/** By technician (status a filter on top), else by status (default scheduled); newest first. */
export function queryRepairs(query: RepairListQuery, scope: string): Promise<Page<Repair>> {
  const byTechnician = query.technicianId !== undefined;
  const filterStatus = byTechnician && query.status !== undefined;
  return queryPage(
    {
      index: byTechnician ? 'gsi2' : 'gsi1',
      keyCondition: byTechnician ? 'gsi2pk = :pk' : 'gsi1pk = :pk',
      values: { ':pk': byTechnician ? `REPAIRS#TECHNICIAN#${query.technicianId}` : `REPAIRS#STATUS#${query.status ?? 'scheduled'}`, ...(filterStatus ? { ':status': query.status } : {}) },
      names: filterStatus ? { '#status': 'status' } : undefined,
      filter: filterStatus ? '#status = :status' : undefined,
      newestFirst: true,
      limit: query.limit,
      cursor: query.cursor,
      scope,
    },
    (item) => strip<Repair>(item),
  );
}
