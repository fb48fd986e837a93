/**
 * The local stack's own console lines (not the functions' JSON logs): short, prefixed by the
 * component, so a developer can tell the bus from the poller at a glance.
 */
export interface LocalLog {
  info(message: string): void;
  warn(message: string, error?: unknown): void;
  error(message: string, error?: unknown): void;
}

let quiet = false;

/** Tests silence the stack so their output stays readable. */
export function setQuiet(value: boolean): void {
  quiet = value;
}

export function localLog(component: string): LocalLog {
  const prefix = `[${component}]`;
  return {
    info: (message) => {
      if (!quiet) console.log(`${prefix} ${message}`);
    },
    warn: (message, error) => {
      if (!quiet) console.warn(`${prefix} ${message}${describe(error)}`);
    },
    error: (message, error) => {
      if (!quiet) console.error(`${prefix} ${message}${describe(error)}`);
    },
  };
}

function describe(error: unknown): string {
  if (error === undefined) return '';
  if (error instanceof Error) return `: ${error.stack ?? error.message}`;
  return `: ${String(error)}`;
}
