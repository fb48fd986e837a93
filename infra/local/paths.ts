import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repository root: manifest entries (`functions/…`) are relative to it. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where `npm start` keeps its state unless DATA_DIR points elsewhere (tests use a temp dir). */
export function defaultDataDir(): string {
  return process.env.DATA_DIR ? resolve(process.env.DATA_DIR) : join(repoRoot, '.data');
}

/** `import()` wants a URL, not a path, for absolute files on every platform. */
export function entryUrl(entry: string): string {
  return pathToFileURL(join(repoRoot, entry)).href;
}

/** True when `moduleUrl` is the script node was asked to run (so a CLI module can also be imported). */
export function isMain(moduleUrl: string): boolean {
  const script = process.argv[1];
  if (!script) return false;
  const target = pathToFileURL(resolve(script)).href;
  return moduleUrl === target || moduleUrl === target.replace(/\.ts$/, '') || `${moduleUrl}.ts` === target;
}
