import * as path from 'node:path';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import { NodejsFunction, LogLevel, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge } from './nag';
import { tableDefinition } from '../../lib/platform/table-definition';
import type { FunctionSpec } from '../manifest/types';

export interface AppFunctionProps {
  spec: FunctionSpec;
  /** Absolute path of the repository root: `spec.entry` is relative to it. */
  repoRoot: string;
  environment: Record<string, string>;
  /** Tests only: skip esbuild and deploy this code instead. */
  code?: lambda.Code;
}

export interface MailGrant {
  /** The one address the function may send from (`ses:FromAddress`). */
  fromAddress: string;
}

/** `department-heads-check` → `DepartmentHeadsCheck`: the construct id of a manifest entry. */
export function constructIdFor(name: string): string {
  return name
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** Item-level data actions: everything a request, an event handler or a job does to the table. */
export const TABLE_ITEM_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
] as const;

const BUNDLING_BANNER = "import { createRequire } from 'module';const require = createRequire(import.meta.url);";

/**
 * One manifest entry as a Lambda function with the house defaults: Node.js 22 on arm64, ESM
 * bundle built by the local esbuild (no Docker), its own log group and role (no managed
 * policies), active tracing. The `bind…` helpers grant exactly what a kind of function needs.
 */
export class AppFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  readonly spec: FunctionSpec;

  constructor(scope: Construct, id: string, props: AppFunctionProps) {
    super(scope, id);
    const { spec, repoRoot } = props;
    this.spec = spec;

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of the ${spec.name} function`,
    });
    this.logGroup.grantWrite(this.role);

    this.fn = new NodejsFunction(this, 'Function', {
      description: spec.description,
      entry: path.resolve(repoRoot, spec.entry),
      projectRoot: repoRoot,
      depsLockFilePath: path.join(repoRoot, 'package-lock.json'),
      ...(props.code ? { code: props.code, handler: 'index.handler' } : { handler: 'handler' }),
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: spec.memoryMb ?? 512,
      timeout: Duration.seconds(spec.timeoutSeconds ?? (spec.kind === 'http' ? 10 : 60)),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      tracing: lambda.Tracing.ACTIVE,
      environment: { ...props.environment, POWERTOOLS_SERVICE_NAME: 'postlaunch', NODE_OPTIONS: '--enable-source-maps' },
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        minify: true,
        sourceMap: true,
        target: 'node22',
        mainFields: ['module', 'main'],
        // Bundle the SDK instead of using the runtime's copy: the version we test is the version
        // that runs (see docs/decisions.md), and `npm run bench` measures exactly these bundles.
        externalModules: [],
        logLevel: LogLevel.WARNING,
        banner: BUNDLING_BANNER,
      },
    });

    acknowledge(
      this.role,
      'AwsSolutions-IAM5[Resource::*]',
      'X-Ray PutTraceSegments/PutTelemetryRecords (active tracing) and, for the stream function, dynamodb:ListStreams do not support resource-level permissions.',
    );
    acknowledge(
      this.fn,
      'AwsSolutions-L1',
      'Node.js 22 is pinned on purpose: it is the bundling target and the runtime the code is tested on; moving to a newer major is a deliberate upgrade.',
    );
  }

  /**
   * Read and write items in the table, query its indexes. Data plane only, and no `Scan`: every
   * access pattern is a key lookup or a query (docs/access-patterns.md). Indexes are named one by
   * one rather than `index/*`. Transactions are authorised per item action (Put/Update/Delete/ConditionCheck).
   */
  bindTableData(table: dynamodb.ITable): this {
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: [...TABLE_ITEM_ACTIONS], resources: [table.tableArn] }),
    );
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: tableDefinition.globalSecondaryIndexes.map((index) => `${table.tableArn}/index/${index.indexName}`),
      }),
    );
    return this;
  }

  /** Read the cursor HMAC key. */
  bindSecret(secret: secretsmanager.ISecret): this {
    secret.grantRead(this.role);
    return this;
  }

  /** Publish domain events to the bus. */
  bindEventBus(bus: events.IEventBus): this {
    bus.grantPutEventsTo(this.role);
    return this;
  }

  /** Send email through SES from one verified identity (the address and its domain), and only from that address. */
  bindMail({ fromAddress }: MailGrant): this {
    const domain = fromAddress.slice(fromAddress.lastIndexOf('@') + 1);
    const stack = Stack.of(this);
    const identity = (name: string) => stack.formatArn({ service: 'ses', resource: 'identity', resourceName: name });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['ses:SendEmail', 'ses:SendRawEmail'],
        resources: [identity(domain), identity(fromAddress)],
        conditions: { StringEquals: { 'ses:FromAddress': fromAddress } },
      }),
    );
    return this;
  }

  /**
   * Asynchronous invocations (EventBridge rules, Scheduler) that still fail after Lambda's own
   * retries go to this queue instead of being dropped.
   */
  bindAsyncFailures(queue: sqs.IQueue, retryAttempts = 2): this {
    this.fn.configureAsyncInvoke({
      onFailure: new destinations.SqsDestination(queue),
      retryAttempts,
      maxEventAge: Duration.hours(6),
    });
    return this;
  }
}
