import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../platform/db';
import { isConditionFailure } from '../platform/transact';
import { DEFAULT_SETTINGS } from './defaults';
import type { DepartmentCode, SettingsInput } from './schema';

/** Keys of the organization module's items: the only place that knows them. */
const DEPARTMENTS_PK = 'DEPARTMENT';
const departmentKey = (code: DepartmentCode) => ({ pk: DEPARTMENTS_PK, sk: `DEPARTMENT#${code}` });
const SETTINGS_KEY = { pk: 'SETTINGS', sk: 'COMPANY' };

export interface DepartmentRecord {
  code: DepartmentCode;
  name: string;
  head: { name: string; email: string } | null;
  version: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
}

export interface SettingsRecord extends SettingsInput {
  version: number;
  updatedAt: string;
  updatedBy: string;
}

export async function listDepartmentRecords(): Promise<DepartmentRecord[]> {
  const result = await db.send(
    new QueryCommand({ TableName: tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': DEPARTMENTS_PK } }),
  );
  return (result.Items ?? []).map(toDepartmentRecord);
}

export async function getDepartmentRecord(code: DepartmentCode): Promise<DepartmentRecord | undefined> {
  const result = await db.send(new GetCommand({ TableName: tableName, Key: departmentKey(code), ConsistentRead: true }));
  return result.Item ? toDepartmentRecord(result.Item) : undefined;
}

/**
 * Writes a department, conditional on the version the caller read (0 = not stored yet).
 * Returns false when someone else wrote first.
 */
export async function saveDepartmentRecord(record: DepartmentRecord, expectedVersion: number): Promise<boolean> {
  return conditionalPut({ ...departmentKey(record.code), type: 'Department', ...record }, expectedVersion);
}

export async function getSettingsRecord(): Promise<SettingsRecord | undefined> {
  const result = await db.send(new GetCommand({ TableName: tableName, Key: SETTINGS_KEY, ConsistentRead: true }));
  if (!result.Item) return undefined;
  const { companyName, timeZone, currency, slaHours, closeAfterDaysWithoutFeedback, version, updatedAt, updatedBy } = result.Item as SettingsRecord;
  // Settings saved before a field existed read as its default.
  return { companyName, timeZone, currency, slaHours, closeAfterDaysWithoutFeedback: closeAfterDaysWithoutFeedback ?? DEFAULT_SETTINGS.closeAfterDaysWithoutFeedback, version, updatedAt, updatedBy };
}

export async function saveSettingsRecord(record: SettingsRecord, expectedVersion: number): Promise<boolean> {
  return conditionalPut({ ...SETTINGS_KEY, type: 'Settings', ...record }, expectedVersion);
}

async function conditionalPut(item: Record<string, unknown>, expectedVersion: number): Promise<boolean> {
  try {
    await db.send(
      new PutCommand({
        TableName: tableName,
        Item: item,
        ...(expectedVersion === 0
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': expectedVersion } }),
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

function toDepartmentRecord(item: Record<string, unknown>): DepartmentRecord {
  const { code, name, head, version, createdAt, createdBy, updatedAt, updatedBy } = item as unknown as DepartmentRecord;
  return { code, name, head: head ?? null, version, createdAt, createdBy, updatedAt, updatedBy };
}

/** Recognizes a department item in a stream image (for the change path). */
export function isDepartmentItem(item: Record<string, unknown> | undefined): item is Record<string, unknown> & DepartmentRecord {
  return item?.type === 'Department' && item.pk === DEPARTMENTS_PK;
}
