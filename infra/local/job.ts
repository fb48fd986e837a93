import type { ScheduleFunctionSpec } from '../manifest/types';
import { invoke } from './lambda';
import { defaultDataDir, isMain } from './paths';
import { scheduleFunctions, type ScheduledJobEvent } from './scheduler';
import { findRunningStack, type LocalStackState } from './state-file';

/**
 * `npm run job -- <name> [--key value …]`: runs one scheduled job now, in this process, against
 * the running `npm start` (its DynamoDB, bus and SES, read from `.data/local-stack.json`).
 * Extra flags go into the event: `--month 2026-10` → `{ month: '2026-10' }`.
 */
export function parseJobArgs(argv: readonly string[]): { name: string | undefined; extra: Record<string, string | boolean> } {
  const [name, ...rest] = argv;
  const extra: Record<string, string | boolean> = {};
  for (let index = 0; index < rest.length; index += 1) {
    const flag = rest[index] ?? '';
    if (!flag.startsWith('--')) throw new Error(`expected --key value, got "${flag}"`);
    const [key, inline] = flag.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (!key) throw new Error('empty flag name');
    const next = rest[index + 1];
    if (inline !== undefined) extra[key] = inline;
    else if (next !== undefined && !next.startsWith('--')) {
      extra[key] = next;
      index += 1;
    } else extra[key] = true;
  }
  return { name: name?.startsWith('--') ? undefined : name, extra };
}

/** A job is named by its function (`department-heads-check`) or by one of its schedules. */
export function findJob(name: string): { spec: ScheduleFunctionSpec; scheduleName?: string } | undefined {
  for (const spec of scheduleFunctions()) {
    if (spec.name === name) return { spec, scheduleName: spec.schedules[0]?.name };
    const schedule = spec.schedules.find((candidate) => candidate.name === name);
    if (schedule) return { spec, scheduleName: schedule.name };
  }
  return undefined;
}

/**
 * Runs a job in this process against a running stack, as its schedule would (also used by
 * `npm run demo`). The functions read config once, at import: the stack's environment is set first.
 */
export async function runJobOn(state: LocalStackState, job: { spec: ScheduleFunctionSpec; scheduleName?: string }, extra: Record<string, string | boolean>): Promise<unknown> {
  Object.assign(process.env, state.env);
  delete process.env.CURSOR_SECRET_ARN;
  const event: ScheduledJobEvent = { ...extra, source: 'manual', scheduleName: job.scheduleName, time: new Date().toISOString() };
  return invoke<ScheduledJobEvent, unknown>(job.spec, event, state.env.AWS_REGION ?? 'us-east-1');
}

async function main(): Promise<number> {
  const { name, extra } = parseJobArgs(process.argv.slice(2));
  const names = scheduleFunctions().map((spec) => spec.name);
  if (!name) {
    console.error(`usage: npm run job -- <name> [--key value …]\njobs: ${names.join(', ')}`);
    return 1;
  }
  const job = findJob(name);
  if (!job) {
    console.error(`no job "${name}"; the jobs are: ${names.join(', ')}`);
    return 1;
  }
  const running = await findRunningStack(defaultDataDir());
  if ('problem' in running) {
    console.error(`npm run job: ${running.problem}`);
    return 1;
  }
  console.error(`running ${job.spec.name} against ${running.state.apiUrl} with ${JSON.stringify(extra)}`);
  const result = await runJobOn(running.state, job, extra);
  if (result !== undefined) console.log(JSON.stringify(result, null, 2));
  console.error(`${job.spec.name} done.`);
  return 0;
}

if (isMain(import.meta.url)) {
  main()
    .then((code) => process.exit(code))
    .catch((error: unknown) => {
      console.error(`npm run job: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      process.exit(1);
    });
}
