import { fileURLToPath } from 'node:url';
import { App, Validations } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ServiceStack, type ServiceSettings } from './service-stack';
import { StatefulStack } from './stateful-stack';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The deploy-time settings, from CDK context (`cdk.json`, `-c key=value`); defaults mirror `cdk.json`. */
export function readSettings(app: App): ServiceSettings {
  const get = (key: string): string | undefined => {
    const value: unknown = app.node.tryGetContext(key);
    return value === undefined || value === null ? undefined : String(value).trim();
  };
  const mailFrom = get('mailFrom') || 'postlaunch@example.com';
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(mailFrom)) throw new Error(`context mailFrom is not an email address: "${mailFrom}"`);
  const apiBaseUrl = get('apiBaseUrl');
  return {
    companyTimeZone: get('companyTimeZone') || 'Asia/Shanghai',
    mailFrom,
    corsOrigins: (get('corsOrigins') ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    ...(apiBaseUrl ? { apiBaseUrl } : {}),
  };
}

export interface BuildAppOptions {
  /** CDK context (the CLI passes `cdk.json`'s through the environment instead). */
  context?: Record<string, unknown>;
  /** Cloud assembly directory; tests use a temporary one. */
  outdir?: string;
  /** Tests only: skip bundling and give every function this code. */
  code?: lambda.Code;
}

/** Both stacks, env-agnostic (no lookups, no credentials needed), checked by cdk-nag's AwsSolutions pack. */
export function buildApp(options: BuildAppOptions = {}) {
  const app = new App({
    ...(options.context ? { context: options.context } : {}),
    ...(options.outdir ? { outdir: options.outdir } : {}),
  });
  const settings = readSettings(app);
  const stateful = new StatefulStack(app, 'PostlaunchStateful', {
    description: 'postlaunch: state that survives redeploys (table, user pool, event bus, cursor key, schedule group)',
  });
  const service = new ServiceStack(app, 'PostlaunchService', {
    description: 'postlaunch: functions, HTTP API, rules, schedules, dead-letter queues and alarms',
    stateful,
    settings,
    repoRoot: REPO_ROOT,
    ...(options.code ? { code: options.code } : {}),
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stateful, service };
}
