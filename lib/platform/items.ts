/** Attributes every stored item carries for the table's sake (keys, index keys, entity type). */
const TABLE_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', 'type'] as const;

/**
 * A stored item as the domain sees it: without the table's keys and entity type, and without
 * `extra` attributes a store keeps for itself (e.g. a normalized search key).
 */
export function withoutKeys<T>(item: Record<string, unknown>, extra: readonly string[] = []): T {
  const hidden = new Set<string>([...TABLE_ATTRIBUTES, ...extra]);
  return Object.fromEntries(Object.entries(item).filter(([key]) => !hidden.has(key))) as T;
}
