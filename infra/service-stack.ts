import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { StartingPosition } from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type { Construct } from 'constructs';
import { manifest } from './manifest';
import { toAwsCron } from './manifest/cron';
import type { EventFunctionSpec, FunctionSpec, HttpFunctionSpec, ScheduleFunctionSpec, StreamFunctionSpec } from './manifest/types';
import { SLA_ESCALATION_FUNCTION, SLA_SCHEDULES_FUNCTION } from './manifest/service-sla';
import { AppFunction, constructIdFor } from './constructs/app-function';
import { DeadLetterQueue } from './constructs/dead-letter-queue';
import { acknowledge } from './constructs/nag';
import { SCHEDULE_GROUP_NAME, type StatefulStack } from './stateful-stack';

export interface ServiceSettings {
  companyTimeZone: string;
  mailFrom: string;
  corsOrigins: string[];
  /** Public base URL for links in emails; the HTTP API's own URL when unset. */
  apiBaseUrl?: string;
}

export interface ServiceStackProps extends StackProps {
  stateful: StatefulStack;
  settings: ServiceSettings;
  /** Absolute path of the repository root (function entries are relative to it). */
  repoRoot: string;
  /** Tests only: replaces every function's bundle (see `buildApp`). */
  code?: lambda.Code;
  /** The manifest to build; the real one by default. */
  functions?: readonly FunctionSpec[];
}

const HEADERS_ALLOWED = ['authorization', 'content-type', 'idempotency-key', 'if-match'];
const HEADERS_EXPOSED = ['etag', 'location', 'x-request-id', 'idempotent-replayed'];

/**
 * Everything that can be replaced on redeploy, built only from the manifest: one function per
 * entry and, per kind, its trigger (HTTP routes, the table stream, bus rules, schedules), its
 * dead-letter queue and alarm, and the least privilege it needs.
 */
export class ServiceStack extends Stack {
  readonly httpApi: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;
  readonly functions = new Map<string, AppFunction>();
  readonly deadLetterQueues: DeadLetterQueue[] = [];
  /** Per schedule function: the role EventBridge Scheduler assumes to invoke it, and its DLQ. */
  readonly schedulerTargets = new Map<string, { role: iam.Role; dlq: DeadLetterQueue }>();

  private readonly props: ServiceStackProps;
  private readonly authorizer: HttpJwtAuthorizer;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    this.props = props;
    const { stateful, settings } = props;

    this.httpApi = new apigwv2.HttpApi(this, 'HttpApi', {
      apiName: 'postlaunch',
      description: 'postlaunch HTTP API',
      createDefaultStage: false,
      ...(settings.corsOrigins.length > 0
        ? {
            corsPreflight: {
              allowOrigins: settings.corsOrigins,
              allowMethods: [apigwv2.CorsHttpMethod.ANY],
              allowHeaders: HEADERS_ALLOWED,
              exposeHeaders: HEADERS_EXPOSED,
              maxAge: Duration.days(1),
            },
          }
        : {}),
    });
    this.stage = new apigwv2.HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { burstLimit: 200, rateLimit: 100 },
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(
          new logs.LogGroup(this, 'AccessLogs', { retention: logs.RetentionDays.THREE_MONTHS, removalPolicy: RemovalPolicy.DESTROY }),
        ),
        format: apigw.AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            protocol: '$context.protocol',
            responseLength: '$context.responseLength',
            latency: '$context.responseLatency',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
            userAgent: '$context.identity.userAgent',
          }),
        ),
      },
    });
    this.authorizer = new HttpJwtAuthorizer('CognitoJwt', stateful.userPool.userPoolProviderUrl, {
      authorizerName: 'cognito',
      jwtAudience: [stateful.userPoolClient.userPoolClientId],
    });

    const environment: Record<string, string> = {
      TABLE_NAME: stateful.table.tableName,
      EVENT_BUS_NAME: stateful.eventBus.eventBusName,
      MAIL_FROM: settings.mailFrom,
      CORS_ORIGINS: settings.corsOrigins.join(','),
      COMPANY_TIME_ZONE: settings.companyTimeZone,
      API_BASE_URL: settings.apiBaseUrl || this.httpApi.apiEndpoint,
      CURSOR_SECRET_ARN: stateful.cursorSecret.secretArn,
      SCHEDULER_GROUP: stateful.scheduleGroup.ref,
    };

    for (const spec of props.functions ?? manifest) {
      const fn = new AppFunction(this, constructIdFor(spec.name), { spec, repoRoot: props.repoRoot, environment, code: props.code });
      this.functions.set(spec.name, fn);
      switch (spec.kind) {
        case 'http':
          this.addHttpFunction(fn, spec);
          break;
        case 'stream':
          this.addStreamFunction(fn, spec);
          break;
        case 'event':
          this.addEventFunction(fn, spec);
          break;
        case 'schedule':
          this.addScheduleFunction(fn, spec);
          break;
      }
    }
    this.wireSlaSchedules();

    new cloudwatch.Alarm(this, 'HttpApi5xx', {
      alarmDescription: 'The HTTP API answered with 5xx.',
      metric: this.httpApi.metricServerError({ statistic: 'Sum', period: Duration.minutes(5) }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.httpApi.apiEndpoint });
    new CfnOutput(this, 'UserPoolId', { value: stateful.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: stateful.userPoolClient.userPoolClientId });
    new CfnOutput(this, 'TableName', { value: stateful.table.tableName });
    new CfnOutput(this, 'EventBusName', { value: stateful.eventBus.eventBusName });
  }

  /** Routes: JWT authorizer on every route except the `public` ones. Reads and writes table data, reads the cursor key. */
  private addHttpFunction(fn: AppFunction, spec: HttpFunctionSpec): void {
    fn.bindTableData(this.props.stateful.table).bindSecret(this.props.stateful.cursorSecret);
    const integration = new HttpLambdaIntegration(`${constructIdFor(spec.name)}Integration`, fn.fn);
    for (const route of Object.values(spec.routes)) {
      const isPublic = route.roles === 'public';
      const [created] = this.httpApi.addRoutes({
        path: route.path,
        methods: [apigwv2.HttpMethod[route.method]],
        integration,
        authorizer: isPublic ? new apigwv2.HttpNoneAuthorizer() : this.authorizer,
      });
      if (isPublic && created) {
        acknowledge(
          created,
          'AwsSolutions-APIG4',
          `${route.method} ${route.path} is public by design (manifest roles: 'public'): health checks and the API description must be readable without a token.`,
        );
      }
    }
  }

  /** Stream → domain events: reads the stream, publishes to the bus; failed batches go to a DLQ. */
  private addStreamFunction(fn: AppFunction, spec: StreamFunctionSpec): void {
    const dlq = this.deadLetterQueue(spec.name, `stream batches the ${spec.name} function gave up on`);
    fn.fn.addEventSource(
      new DynamoEventSource(this.props.stateful.table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: spec.batchSize,
        bisectBatchOnError: true,
        retryAttempts: spec.maxRetries,
        onFailure: new SqsDlq(dlq.queue),
        reportBatchItemFailures: false,
      }),
    );
    fn.bindEventBus(this.props.stateful.eventBus);
  }

  /** Bus rules → function (async): rule DLQ for delivery failures, on-failure destination for handler failures. */
  private addEventFunction(fn: AppFunction, spec: EventFunctionSpec): void {
    const dlq = this.deadLetterQueue(spec.name, `events the ${spec.name} function could not handle`);
    fn.bindTableData(this.props.stateful.table).bindMail({ fromAddress: this.props.settings.mailFrom }).bindAsyncFailures(dlq.queue);
    for (const rule of spec.rules) {
      new events.Rule(this, `${constructIdFor(spec.name)}Rule${constructIdFor(rule.name)}`, {
        description: `${rule.name} → ${spec.name}`,
        eventBus: this.props.stateful.eventBus,
        eventPattern: { source: [...rule.source], detailType: [...rule.detailType] },
        targets: [new targets.LambdaFunction(fn.fn, { deadLetterQueue: dlq.queue, retryAttempts: 4, maxEventAge: Duration.hours(2) })],
      });
    }
  }

  /** Scheduler → function (async), in the company time zone unless the schedule says otherwise. */
  private addScheduleFunction(fn: AppFunction, spec: ScheduleFunctionSpec): void {
    const dlq = this.deadLetterQueue(spec.name, `scheduled runs of ${spec.name} that failed`);
    fn.bindTableData(this.props.stateful.table).bindMail({ fromAddress: this.props.settings.mailFrom }).bindAsyncFailures(dlq.queue);

    const id = constructIdFor(spec.name);
    const invoker = new iam.Role(this, `${id}SchedulerRole`, {
      description: `EventBridge Scheduler invokes the ${spec.name} function`,
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    });
    invoker.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [fn.fn.functionArn] }));
    dlq.queue.grantSendMessages(invoker);
    this.schedulerTargets.set(spec.name, { role: invoker, dlq });

    for (const schedule of spec.schedules) {
      new scheduler.CfnSchedule(this, `${id}Schedule${constructIdFor(schedule.name)}`, {
        name: schedule.name,
        groupName: this.props.stateful.scheduleGroup.ref,
        description: schedule.description,
        scheduleExpression: toAwsCron(schedule.cron),
        scheduleExpressionTimezone: schedule.timeZone === 'company' ? this.props.settings.companyTimeZone : schedule.timeZone,
        flexibleTimeWindow: { mode: 'OFF' },
        state: 'ENABLED',
        target: {
          arn: fn.fn.functionArn,
          roleArn: invoker.roleArn,
          input: JSON.stringify({ schedule: schedule.name }),
          retryPolicy: { maximumRetryAttempts: 4, maximumEventAgeInSeconds: 2 * 60 * 60 },
          deadLetterConfig: { arn: dlq.queue.queueArn },
        },
      });
    }
  }

  /**
   * The SLA's one-time schedules, created at run time by `sla-schedules` in the stack's schedule
   * group, invoke `sla-escalation` through the same scheduler role (and DLQ) as its hourly sweep.
   * So `sla-schedules` may create/delete/read schedules named `sla-*` in that group, and pass that
   * one role to Scheduler only; it learns the three ARNs from its environment.
   */
  private wireSlaSchedules(): void {
    const creator = this.functions.get(SLA_SCHEDULES_FUNCTION);
    const escalation = this.functions.get(SLA_ESCALATION_FUNCTION);
    const target = this.schedulerTargets.get(SLA_ESCALATION_FUNCTION);
    if (!creator || !escalation || !target) return;
    creator.fn.addEnvironment('SLA_ESCALATION_FUNCTION_ARN', escalation.fn.functionArn);
    creator.fn.addEnvironment('SLA_SCHEDULER_ROLE_ARN', target.role.roleArn);
    creator.fn.addEnvironment('SLA_SCHEDULE_DLQ_ARN', target.dlq.queue.queueArn);
    // The group's name, not its (cross-stack) ref: the grant and its acknowledgement read the same.
    const schedules = `${SCHEDULE_GROUP_NAME}/sla-*`;
    creator.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule', 'scheduler:GetSchedule'],
        resources: [this.formatArn({ service: 'scheduler', resource: 'schedule', resourceName: schedules })],
      }),
    );
    acknowledge(
      creator.role,
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/${schedules}]`,
      'One-time schedules are created per service-request checkpoint at run time, so their names are not known at deploy time; the grant is limited to the sla- prefix in the postlaunch group.',
    );
    creator.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [target.role.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
  }

  private deadLetterQueue(name: string, purpose: string): DeadLetterQueue {
    const dlq = new DeadLetterQueue(this, `${constructIdFor(name)}DeadLetters`, { purpose });
    this.deadLetterQueues.push(dlq);
    return dlq;
  }
}
