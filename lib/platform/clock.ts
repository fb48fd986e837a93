import { AsyncLocalStorage } from 'node:async_hooks';

export interface Clock {
  now(): Date;
}

/**
 * A pinned instant for the code running inside `runAtInstant`. Only the local HTTP server sets
 * it (the `x-postlaunch-clock` header, so `npm run demo` can load history); nothing in Lambda
 * does, so in AWS the system clock is always the real one.
 */
const pinnedInstant = new AsyncLocalStorage<number>();

export function runAtInstant<T>(instant: Date, run: () => T): T {
  return pinnedInstant.run(instant.getTime(), run);
}

export const systemClock: Clock = {
  now: () => {
    const pinned = pinnedInstant.getStore();
    return pinned === undefined ? new Date() : new Date(pinned);
  },
};
