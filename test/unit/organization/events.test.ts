import { describe, expect, it } from 'vitest';
import { organizationChanges } from '../../../lib/organization/events';
import { departmentHeadChangedEmails } from '../../../lib/organization/notifications';
import type { ItemChange } from '../../../lib/platform/changes';

const department = (head: { name: string; email: string } | null, name = 'Customer service') => ({
  pk: 'DEPARTMENT',
  sk: 'DEPARTMENT#service',
  type: 'Department',
  code: 'service',
  name,
  head,
  version: 2,
  updatedAt: '2026-11-27T08:00:00.000Z',
  updatedBy: 'admin@example.com',
});

const change = (oldItem: Record<string, unknown> | undefined, newItem: Record<string, unknown> | undefined): ItemChange => ({
  recordId: 'record-1',
  kind: oldItem ? 'MODIFY' : 'INSERT',
  oldItem,
  newItem,
  committedAt: '2026-11-27T08:00:01.000Z',
});

const ann = { name: 'Ann', email: 'ann@example.com' };
const bob = { name: 'Bob', email: 'bob@example.com' };

describe('organization events: DepartmentHeadChanged', () => {
  it('is derived when a head is first named', () => {
    const [event] = organizationChanges(change(undefined, department(ann)));
    expect(event?.metadata).toMatchObject({ type: 'DepartmentHeadChanged', source: 'postlaunch.organization', version: 1 });
    expect(event?.data).toMatchObject({ department: 'service', previousHead: null, newHead: ann, changedBy: 'admin@example.com' });
  });

  it('is derived when the head is replaced, with the same id for the same stream record', () => {
    const first = organizationChanges(change(department(ann), department(bob)));
    const again = organizationChanges(change(department(ann), department(bob)));
    expect(first).toHaveLength(1);
    expect(first[0]?.metadata.id).toBe(again[0]?.metadata.id);
  });

  it('is not derived for a rename, a head renamed with the same email, or other items', () => {
    expect(organizationChanges(change(department(ann), department(ann, 'Service')))).toEqual([]);
    expect(organizationChanges(change(department(ann), department({ ...ann, name: 'Ann Li' })))).toEqual([]);
    expect(organizationChanges(change(undefined, { pk: 'PRODUCT#1', sk: 'PRODUCT', type: 'Product' }))).toEqual([]);
  });

  it('emails the new head what they will receive and tells the previous head', () => {
    const [event] = organizationChanges(change(department(ann), department(bob)));
    const emails = departmentHeadChangedEmails(event as never, 'https://api.example.com');
    expect(emails.map((e) => e.to)).toEqual([['bob@example.com'], ['ann@example.com']]);
    expect(emails[0]?.subject).toBe('[postlaunch] You are now head of Customer service');
    expect(emails[0]?.text).toContain('A notice when the head of your department changes.');
    expect(emails[0]?.html).toContain('https://api.example.com/departments');
    expect(emails[1]?.text).toContain('Bob is now head of the Customer service department');
  });

  it('escapes names in the HTML part', () => {
    const [event] = organizationChanges(change(undefined, department({ name: '<script>x</script>', email: 'x@example.com' })));
    const [email] = departmentHeadChangedEmails(event as never, 'https://api.example.com');
    expect(email?.html).not.toContain('<script>');
    expect(email?.html).toContain('&lt;script&gt;');
  });
});
