import { auditName, type Actor } from '../platform/auth';
import type { ServiceContext } from '../platform/context';
import { ROLES } from '../platform/roles';
import { assertIfMatch, lostUpdateError } from '../platform/versioning';
import { DEFAULT_SETTINGS, DEPARTMENT_NAMES } from './defaults';
import type { Department, DepartmentCode, DepartmentUpdate, Settings, SettingsInput } from './schema';
import { getDepartmentRecord, getSettingsRecord, listDepartmentRecords, saveDepartmentRecord, saveSettingsRecord, type DepartmentRecord } from './store';

/** Every department, stored or not yet edited, in the fixed order of the roles. */
export async function listDepartments(): Promise<Department[]> {
  const stored = new Map((await listDepartmentRecords()).map((record) => [record.code, record]));
  return ROLES.map((code) => toDepartment(code, stored.get(code)));
}

/**
 * The heads of `codes`, one entry per person (emails compared case-insensitively); a
 * department without a head is skipped (the daily heads check warns about those).
 */
export function headsAmong(departments: Department[], codes: readonly DepartmentCode[]): Array<{ name: string; email: string }> {
  const seen = new Set<string>();
  return departments
    .filter((department) => codes.includes(department.code))
    .flatMap((department) => (department.head ? [department.head] : []))
    .filter((head) => !seen.has(head.email.toLowerCase()) && seen.add(head.email.toLowerCase()));
}

export async function updateDepartment(
  context: ServiceContext,
  actor: Actor,
  code: DepartmentCode,
  update: DepartmentUpdate,
  ifMatch: number | undefined,
): Promise<Department> {
  const current = await getDepartmentRecord(code);
  const currentVersion = current?.version ?? 0;
  assertIfMatch(ifMatch, currentVersion);
  const now = context.clock.now().toISOString();
  const by = auditName(actor);
  const next: DepartmentRecord = {
    code,
    name: update.name ?? current?.name ?? DEPARTMENT_NAMES[code],
    head: update.head,
    version: currentVersion + 1,
    createdAt: current?.createdAt ?? now,
    createdBy: current?.createdBy ?? by,
    updatedAt: now,
    updatedBy: by,
  };
  if (!(await saveDepartmentRecord(next, currentVersion))) throw lostUpdateError(ifMatch);
  return toDepartment(code, next);
}

export async function getSettings(): Promise<Settings> {
  const stored = await getSettingsRecord();
  return stored ?? { ...DEFAULT_SETTINGS, version: 0, updatedAt: null, updatedBy: null };
}

let cachedZone: { zone: string; until: number } | undefined;

/**
 * The company time zone, which decides day and month boundaries on every write that books by
 * date. Settings change rarely, so a container keeps it for a minute.
 */
export async function companyTimeZone(): Promise<string> {
  if (cachedZone && cachedZone.until > Date.now()) return cachedZone.zone;
  const zone = (await getSettings()).timeZone;
  cachedZone = { zone, until: Date.now() + 60_000 };
  return zone;
}

export async function updateSettings(context: ServiceContext, actor: Actor, input: SettingsInput, ifMatch: number | undefined): Promise<Settings> {
  const currentVersion = (await getSettingsRecord())?.version ?? 0;
  assertIfMatch(ifMatch, currentVersion);
  const next = { ...input, version: currentVersion + 1, updatedAt: context.clock.now().toISOString(), updatedBy: auditName(actor) };
  if (!(await saveSettingsRecord(next, currentVersion))) throw lostUpdateError(ifMatch);
  return next;
}

function toDepartment(code: DepartmentCode, record: DepartmentRecord | undefined): Department {
  return {
    code,
    name: record?.name ?? DEPARTMENT_NAMES[code],
    head: record?.head ?? null,
    version: record?.version ?? 0,
    updatedAt: record?.updatedAt ?? null,
    updatedBy: record?.updatedBy ?? null,
  };
}
