import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../infra/local/dynamodb';
import { loadOrCreateSigningKey, mintToken } from '../../infra/local/token';
import { repoRoot } from '../../infra/local/paths';
import type { LocalStackState } from '../../infra/local/state-file';

/**
 * `npm start` as a developer runs it: a child process on free ports with a temp data dir. Each
 * case checks that stopping it — Ctrl-C, SIGTERM, even SIGKILL — leaves no process behind.
 */
interface Running {
  child: ChildProcess;
  dataDir: string;
  apiUrl: string;
  output: () => string;
  exited: Promise<number | null>;
}

const started: Running[] = [];

afterEach(async () => {
  // Whatever a failed case left: kill the whole tree it started, then forget the temp dir.
  for (const run of started.splice(0)) {
    for (const pid of [run.child.pid, ...descendants(run.child.pid ?? -1)]) if (pid) kill(pid, 'SIGKILL');
    rmSync(run.dataDir, { recursive: true, force: true });
  }
});

async function startStack(): Promise<Running> {
  const dataDir = mkdtempSync(join(tmpdir(), 'postlaunch-start-'));
  const port = await freePort();
  const child = spawn(join(repoRoot, 'node_modules', '.bin', 'tsx'), ['infra/local/start.ts'], {
    cwd: repoRoot,
    // A clean environment: the stack must set everything the functions need by itself.
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir, PORT: String(port), DYNAMODB_PORT: '0', SES_PORT: '0', EVENT_BUS_PORT: '0', POWERTOOLS_LOG_LEVEL: 'SILENT' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const run: Running = { child, dataDir, apiUrl: `http://127.0.0.1:${port}`, output: () => output, exited };
  started.push(run);

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`npm start exited early:\n${output}`);
    try {
      if ((await fetch(`${run.apiUrl}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`/health did not answer within 30 s:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  // The state file is written right after the API is up.
  for (let tries = 0; tries < 40 && !stateOf(run); tries += 1) await new Promise((resolve) => setTimeout(resolve, 100));
  return run;
}

function stateOf(run: Running): LocalStackState | undefined {
  try {
    return JSON.parse(readFileSync(join(run.dataDir, 'local-stack.json'), 'utf8')) as LocalStackState;
  } catch {
    return undefined;
  }
}

/** Every process below `root`, from `ps` (pgrep -P is one level only). */
function descendants(root: number): number[] {
  const table = execFileSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number) as [number, number]);
  const found: number[] = [];
  const queue = [root];
  while (queue.length) {
    const parent = queue.shift() as number;
    for (const [pid, ppid] of table) {
      if (ppid === parent) {
        found.push(pid);
        queue.push(pid);
      }
    }
  }
  return found;
}

/** Gone, or a zombie nobody has reaped yet (it holds no resources and runs no code). */
function isGone(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state === 'Z' || state === 'X';
  } catch {
    try {
      process.kill(pid, 0);
      return false;
    } catch {
      return true;
    }
  }
}

async function waitUntilGone(pids: number[], ms: number): Promise<number[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const alive = pids.filter((pid) => !isGone(pid));
    if (alive.length === 0 || Date.now() > deadline) return alive;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function kill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

describe('npm start', () => {
  it('serves /health, accepts a minted token, refuses none, and Ctrl-C (SIGINT) leaves no process behind', { timeout: 90_000 }, async () => {
    const run = await startStack();
    const state = stateOf(run);
    expect(state?.javaPid).toBeGreaterThan(0);
    const pids = [run.child.pid as number, ...descendants(run.child.pid as number)];
    expect(pids).toContain(state?.javaPid);

    expect((await fetch(`${run.apiUrl}/departments`)).status).toBe(401);
    const token = await mintToken({ key: await loadOrCreateSigningKey(run.dataDir), roles: ['sales'] });
    expect((await fetch(`${run.apiUrl}/departments`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);

    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
    expect(await waitUntilGone(pids, 10_000)).toEqual([]);
    expect(stateOf(run)).toBeUndefined();
  });

  it('runs a scheduled job now with npm run job, and stops everything on SIGTERM', { timeout: 90_000 }, async () => {
    const run = await startStack();
    const job = spawnSync(join(repoRoot, 'node_modules', '.bin', 'tsx'), ['infra/local/job.ts', 'department-heads-check'], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: run.dataDir, POWERTOOLS_LOG_LEVEL: 'SILENT' },
      encoding: 'utf8',
    });
    expect(job.stderr).toContain(`against ${run.apiUrl}`);
    expect(job.status).toBe(0);

    const pids = [run.child.pid as number, ...descendants(run.child.pid as number)];
    run.child.kill('SIGTERM');
    await run.exited;
    expect(await waitUntilGone(pids, 10_000)).toEqual([]);
  });

  it('does not orphan DynamoDB Local when the stack is SIGKILLed', { timeout: 90_000 }, async () => {
    const run = await startStack();
    const state = stateOf(run);
    if (!state?.javaPid) throw new Error(`no java pid in the state file:\n${run.output()}`);
    const pids = [run.child.pid as number, ...descendants(run.child.pid as number)];
    // SIGKILL the stack's own node process: no handler runs, only the watchdog can clean up.
    process.kill(state.pid, 'SIGKILL');
    expect(await waitUntilGone([state.javaPid, ...pids.filter((pid) => pid !== run.child.pid)], 15_000)).toEqual([]);
  });
});

describe('npm run job without a running stack', () => {
  it('says plainly that the stack is not running and exits 1', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'postlaunch-job-'));
    try {
      execFileSync(join(repoRoot, 'node_modules', '.bin', 'tsx'), ['infra/local/job.ts', 'department-heads-check'], {
        cwd: repoRoot,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      expect.unreachable('the job should have failed');
    } catch (error) {
      const failure = error as { status: number; stderr: Buffer };
      expect(failure.status).toBe(1);
      expect(failure.stderr.toString()).toContain('the local stack is not running');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 30_000);
});
