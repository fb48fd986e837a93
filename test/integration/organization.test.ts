import { describe, expect, it } from 'vitest';
import { checkDepartmentHeads } from '../../lib/organization/heads-check';
import { getSettings, listDepartments, updateDepartment, updateSettings } from '../../lib/organization/service';
import { DEFAULT_SETTINGS } from '../../lib/organization/defaults';
import { ConflictError, PreconditionFailedError } from '../../lib/platform/errors';
import { ROLES } from '../../lib/platform/roles';
import { anActor, fixedClock, testContext } from '../support/factories';
import { emailsTo, uniqueEmail } from '../support/mail';

const admin = anActor(['admin'], { email: 'admin@example.com' });

describe('organization: departments', () => {
  it('lists all eight departments, without heads until an admin names them', async () => {
    const departments = await listDepartments();
    expect(departments.map((d) => d.code)).toEqual([...ROLES]);
    expect(departments.every((d) => d.head === null && d.version === 0)).toBe(true);
  });

  it('names a head, versioned, and refuses a stale If-Match', async () => {
    const head = { name: 'Li Wei', email: uniqueEmail('li') };
    const saved = await updateDepartment(testContext(), admin, 'service', { head }, 0);
    expect(saved).toMatchObject({ code: 'service', name: 'Customer service', head, version: 1, updatedBy: 'admin@example.com' });
    await expect(updateDepartment(testContext(), admin, 'service', { head: null }, 0)).rejects.toThrow(PreconditionFailedError);
    expect((await listDepartments()).find((d) => d.code === 'service')?.head).toEqual(head);
  });

  it('lets one of two concurrent first edits win and tells the other it lost', async () => {
    const results = await Promise.allSettled([
      updateDepartment(testContext(), admin, 'market', { head: { name: 'A', email: uniqueEmail('a') } }, undefined),
      updateDepartment(testContext(), admin, 'market', { head: { name: 'B', email: uniqueEmail('b') } }, undefined),
    ]);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected.length).toBeLessThanOrEqual(1);
    for (const r of rejected) expect(r.reason).toBeInstanceOf(ConflictError);
    const market = (await listDepartments()).find((d) => d.code === 'market');
    expect(market?.version).toBe(2 - rejected.length);
  });
});

describe('organization: settings', () => {
  it('returns the defaults (Asia/Shanghai, CNY) until an admin saves settings', async () => {
    expect(await getSettings()).toEqual({ ...DEFAULT_SETTINGS, version: 0, updatedAt: null, updatedBy: null });
  });

  it('saves settings with a version and refuses a stale If-Match', async () => {
    const input = { ...DEFAULT_SETTINGS, companyName: 'Acme Devices', timeZone: 'Europe/Berlin', currency: 'EUR' };
    const saved = await updateSettings(testContext(fixedClock('2026-11-27T09:00:00Z')), admin, input, undefined);
    expect(saved).toMatchObject({ companyName: 'Acme Devices', version: 1, updatedAt: '2026-11-27T09:00:00.000Z' });
    await expect(updateSettings(testContext(), admin, { ...input, companyName: 'Stale' }, 0)).rejects.toThrow(PreconditionFailedError);
    expect((await getSettings()).companyName).toBe('Acme Devices');
  });
});

describe('organization: daily department-heads check', () => {
  it('emails admin and management heads the departments without a head, once per company day', async () => {
    const adminHead = uniqueEmail('admin-head');
    const managementHead = uniqueEmail('boss');
    for (const code of ROLES) {
      const email = code === 'admin' ? adminHead : code === 'management' ? managementHead : uniqueEmail(code);
      if (code !== 'rnd' && code !== 'procurement') await updateDepartment(testContext(), admin, code, { head: { name: code, email } }, undefined);
    }
    const clock = fixedClock('2026-11-27T00:30:00Z');
    const first = await checkDepartmentHeads(testContext(clock), 'http://localhost:3000');
    expect(first.headless.sort()).toEqual(['procurement', 'rnd']);
    expect(first.notified.sort()).toEqual([adminHead, managementHead].sort());

    const [mail] = await emailsTo(adminHead);
    expect(mail?.subject).toContain('2 department(s) without a head');
    expect(mail?.body.text).toContain('R&D (rnd)');
    expect(mail?.body.html).toContain('Procurement (procurement)');

    const again = await checkDepartmentHeads(testContext(clock), 'http://localhost:3000');
    expect(again.notified).toEqual([]);
    expect(await emailsTo(adminHead)).toHaveLength(1);

    clock.set('2026-11-28T00:30:00Z');
    const nextDay = await checkDepartmentHeads(testContext(clock), 'http://localhost:3000');
    expect(nextDay.notified).toHaveLength(2);
  });
});
