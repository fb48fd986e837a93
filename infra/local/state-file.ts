import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `.data/local-stack.json`: what a running `npm start` tells other commands (`npm run job`,
 * `npm run bench`, the demo) — its endpoints, its processes and the functions' environment.
 */
export interface LocalStackState {
  pid: number;
  startedAt: string;
  apiUrl: string;
  docsUrl: string;
  openapiUrl: string;
  mailUrl: string;
  dynamoEndpoint: string;
  sesEndpoint: string;
  eventBusEndpoint: string;
  tableName: string;
  javaPid?: number;
  watchdogPid?: number;
  env: Record<string, string>;
}

export function stateFile(dataDir: string): string {
  return join(dataDir, 'local-stack.json');
}

export function writeState(dataDir: string, state: LocalStackState): void {
  writeFileSync(stateFile(dataDir), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}

export function readState(dataDir: string): LocalStackState | undefined {
  try {
    return JSON.parse(readFileSync(stateFile(dataDir), 'utf8')) as LocalStackState;
  } catch {
    return undefined;
  }
}

/** Removes the file only if it is ours (a second `npm start` may have replaced it). */
export function clearState(dataDir: string, pid: number): void {
  if (readState(dataDir)?.pid === pid) rmSync(stateFile(dataDir), { force: true });
}

/** The running stack, or a plain reason why there is none. */
export async function findRunningStack(dataDir: string): Promise<{ state: LocalStackState } | { problem: string }> {
  const state = readState(dataDir);
  if (!state) return { problem: `the local stack is not running (no ${stateFile(dataDir)}); start it with: npm start` };
  if (!isAlive(state.pid)) return { problem: `the local stack is not running (process ${state.pid} is gone); start it with: npm start` };
  try {
    const response = await fetch(`${state.apiUrl}/health`, { signal: AbortSignal.timeout(3_000) });
    if (!response.ok) return { problem: `the local stack at ${state.apiUrl} answers /health with ${response.status}` };
  } catch (error) {
    return { problem: `the local stack at ${state.apiUrl} does not answer (${error instanceof Error ? error.message : String(error)}); is npm start still starting?` };
  }
  return { state };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
