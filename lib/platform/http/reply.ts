import type { Reply } from './types';

/** A versioned item: the body, with its version sent back as the ETag. */
export function versioned<T extends { version: number }>(item: T): Reply {
  return { body: item, version: item.version };
}

/** A created item: versioned, with a Location header naming it. */
export function created<T extends { id: string; version: number }>(collection: string, item: T): Reply {
  return { ...versioned(item), headers: { location: `/${collection}/${item.id}` } };
}
