import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { manifest } from '../infra/manifest';

export interface BundleFigure {
  name: string;
  kind: string;
  bytes: number;
  initMs: number;
}

const ROOT = resolve(import.meta.dirname, '..');
const REFERENCE = "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nexport const client = new DynamoDBClient({});\n";

/** The same esbuild options the service stack uses for every function (ESM, minified, node22). */
async function bundle(entry: string, outfile: string): Promise<number> {
  const result = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    minify: true,
    sourcemap: false,
    metafile: true,
    mainFields: ['module', 'main'],
    banner: { js: "import { createRequire } from 'module';const require = createRequire(import.meta.url);" },
    logLevel: 'error',
  });
  const output = Object.values(result.metafile.outputs)[0];
  return output?.bytes ?? statSync(outfile).size;
}

/** Median wall time to import the bundle in a fresh node process (module init, no handler call). */
function initTime(file: string, runs = 5): number {
  const script = `const t=performance.now();await import(${JSON.stringify(file)});console.log(performance.now()-t)`;
  const env = {
    ...process.env,
    TABLE_NAME: 'bench',
    EVENT_BUS_NAME: 'bench',
    MAIL_FROM: 'bench@example.com',
    CURSOR_SECRET: 'bench-cursor-secret-0123456789abcdef0123',
    AWS_REGION: 'us-east-1',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  const times = Array.from({ length: runs }, () => Number(execFileSync(process.execPath, ['--input-type=module', '-e', script], { env }).toString().trim()));
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}

export async function measureBundles(): Promise<{ reference: BundleFigure; functions: BundleFigure[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'postlaunch-bundles-'));
  try {
    const referenceEntry = join(ROOT, 'bench', '.reference-entry.mjs');
    writeFileSync(referenceEntry, REFERENCE);
    const referenceOut = join(dir, 'reference.mjs');
    let referenceBytes: number;
    try {
      referenceBytes = await bundle(referenceEntry, referenceOut);
    } finally {
      rmSync(referenceEntry, { force: true });
    }
    const reference = { name: 'reference (bare DynamoDBClient)', kind: 'reference', bytes: referenceBytes, initMs: initTime(referenceOut) };
    const functions: BundleFigure[] = [];
    for (const spec of manifest) {
      const out = join(dir, `${spec.name}.mjs`);
      const bytes = await bundle(join(ROOT, spec.entry), out);
      functions.push({ name: spec.name, kind: spec.kind, bytes, initMs: initTime(out) });
    }
    return { reference, functions };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
