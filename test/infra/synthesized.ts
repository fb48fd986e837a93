import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildApp } from '../../infra/build-app';

/** `cdk.json`'s context (feature flags included), so the tests see what `cdk synth` deploys. */
const cdkJsonContext = (JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> }).context;

/** The context the infra tests deploy with (CORS on, so the preflight is covered too). */
export const TEST_CONTEXT = {
  companyTimeZone: 'Asia/Shanghai',
  mailFrom: 'postlaunch@example.com',
  corsOrigins: 'https://app.example.com, https://admin.example.com',
};

export interface NagFinding {
  rule: string;
  severity: string;
  resources: string[];
  description: string;
}

export interface Synthesized {
  built: ReturnType<typeof buildApp>;
  /** Set when `app.synth()` (which runs cdk-nag as a policy-validation plugin) threw. */
  synthError?: Error;
  assembly?: CloudAssembly;
  stateful: Template;
  service: Template;
  /** cdk-nag AwsSolutions findings per stack, as the synth-time plugin sees them (tokens resolved). */
  nag: { stateful: NagFinding[]; service: NagFinding[] };
  cleanup(): void;
}

let cached: Synthesized | undefined;

/**
 * Builds and synthesizes the app ONCE per test worker (bundling every function with esbuild is the
 * slow part), into a temporary directory so nothing is written to the repository.
 */
export function synthesized(): Synthesized {
  if (cached) return cached;
  const outdir = mkdtempSync(join(tmpdir(), 'postlaunch-cdk-'));
  const built = buildApp({ context: { ...cdkJsonContext, ...TEST_CONTEXT }, outdir });
  let assembly: CloudAssembly | undefined;
  let synthError: Error | undefined;
  try {
    assembly = built.app.synth();
  } catch (error) {
    synthError = error as Error;
  }
  const template = (stackName: string): Template => {
    if (!assembly) throw new Error(`the app did not synthesize: ${synthError?.message}`);
    return Template.fromJSON(assembly.getStackByName(stackName).template as Record<string, unknown>);
  };
  const nag = (scope: Stack): NagFinding[] =>
    new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(scope).violations.map((violation) => ({
      rule: violation.ruleName,
      severity: violation.severity ?? 'error',
      resources: violation.violatingResources.map((resource) => resource.constructPath ?? '?'),
      description: violation.description,
    }));
  let statefulTemplate: Template | undefined;
  let serviceTemplate: Template | undefined;
  cached = {
    built,
    synthError,
    assembly,
    get stateful() {
      return (statefulTemplate ??= template(built.stateful.stackName));
    },
    get service() {
      return (serviceTemplate ??= template(built.service.stackName));
    },
    nag: { stateful: nag(built.stateful), service: nag(built.service) },
    cleanup: () => rmSync(outdir, { recursive: true, force: true }),
  };
  return cached;
}
