import { monotonicFactory } from 'ulid';

export type IdGenerator = () => string;

/** ULIDs: sortable by creation time, so "newest first" is a key order, not a sort. */
export const newId: IdGenerator = monotonicFactory();
