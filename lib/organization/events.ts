import { eventFromChange, type ChangeMapper } from '../platform/changes';
import type { DomainEvent } from '../platform/events';
import type { DepartmentCode } from './schema';
import { isDepartmentItem } from './store';

export const ORGANIZATION_SOURCE = 'postlaunch.organization';

export interface DepartmentHeadChanged {
  department: DepartmentCode;
  departmentName: string;
  previousHead: { name: string; email: string } | null;
  newHead: { name: string; email: string } | null;
  changedBy: string;
  changedAt: string;
}

/** A head changes when the head's email changes (a renamed head is not a new person). */
export const organizationChanges: ChangeMapper = (change) => {
  const before = isDepartmentItem(change.oldItem) ? change.oldItem : undefined;
  const after = isDepartmentItem(change.newItem) ? change.newItem : undefined;
  if (!after) return [];
  const previousHead = before?.head ?? null;
  const newHead = after.head ?? null;
  if (previousHead?.email.toLowerCase() === newHead?.email.toLowerCase()) return [];
  const data: DepartmentHeadChanged = {
    department: after.code,
    departmentName: after.name,
    previousHead,
    newHead,
    changedBy: after.updatedBy,
    changedAt: after.updatedAt,
  };
  return [eventFromChange(change, ORGANIZATION_SOURCE, 'DepartmentHeadChanged', data)];
};

export function isDepartmentHeadChanged(event: DomainEvent): event is DomainEvent<DepartmentHeadChanged> {
  return event.metadata.type === 'DepartmentHeadChanged' && event.metadata.source === ORGANIZATION_SOURCE;
}
