import type { ChangeMapper, ItemChange } from './platform/changes';
import type { DomainEvent } from './platform/events';
import { inventoryChanges } from './inventory/events';
import { marketChanges } from './market/events';
import { organizationChanges } from './organization/events';
import { serviceRequestChanges } from './service/events';

/** Every module's change mapper. A new module adds its mapper here. */
const mappers: ChangeMapper[] = [organizationChanges, inventoryChanges, serviceRequestChanges, marketChanges];

export function domainEventsOf(change: ItemChange): DomainEvent[] {
  return mappers.flatMap((mapper) => mapper(change));
}
