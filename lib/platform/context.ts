import { systemClock, type Clock } from './clock';
import { newId, type IdGenerator } from './ids';

/** What every service receives instead of reaching for globals, so tests can pin time and ids. */
export interface ServiceContext {
  clock: Clock;
  newId: IdGenerator;
}

export const defaultContext: ServiceContext = { clock: systemClock, newId };
