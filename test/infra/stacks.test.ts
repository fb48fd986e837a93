import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allRoutes, manifest } from '../../infra/manifest';
import { toAwsCron } from '../../infra/manifest/cron';
import type { EventFunctionSpec, FunctionSpec, ScheduleFunctionSpec, StreamFunctionSpec } from '../../infra/manifest/types';
import { ROLES } from '../../lib/platform/roles';
import { type Synthesized, synthesized, TEST_CONTEXT } from './synthesized';

/**
 * The synthesized stacks, asserted against the manifest: every entry becomes exactly the
 * function, triggers, dead-letter queues and grants it should, and cdk-nag finds nothing.
 * One synth (with real esbuild bundling) is shared by every test in this file.
 */

type Resource = { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string };
type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

let synth: Synthesized;
beforeAll(() => {
  synth = synthesized();
}, 180_000);
afterAll(() => synth?.cleanup());

const resources = (template: 'stateful' | 'service', type: string): [string, Resource][] =>
  Object.entries(synth[template].findResources(type) as Record<string, Resource>);

/** The one element a test expects to be there; fails the test with `what` otherwise. */
function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`expected ${what}`);
  return value;
}

const ofKind = <K extends FunctionSpec['kind']>(kind: K) =>
  manifest.filter((spec): spec is Extract<FunctionSpec, { kind: K }> => spec.kind === kind);

/** The Lambda function built for a manifest entry (its description is the entry's). */
function functionFor(spec: FunctionSpec): [string, Resource] {
  const found = resources('service', 'AWS::Lambda::Function').filter(([, fn]) => fn.Properties.Description === spec.description);
  expect(found, `one Lambda function for "${spec.name}"`).toHaveLength(1);
  return must(found[0], `a Lambda function for "${spec.name}"`);
}

/** Every policy statement attached to a function's execution role. */
function statementsOf(spec: FunctionSpec): Statement[] {
  const [, fn] = functionFor(spec);
  const roleId = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  const [, role] = must(resources('service', 'AWS::IAM::Role').find(([id]) => id === roleId), `role ${roleId}`);
  const inline = ((role.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]).flatMap(
    (policy) => policy.PolicyDocument.Statement,
  );
  const attached = resources('service', 'AWS::IAM::Policy')
    .filter(([, policy]) => (policy.Properties.Roles as { Ref: string }[]).some((ref) => ref.Ref === roleId))
    .flatMap(([, policy]) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
  return [...inline, ...attached];
}

const actionsOf = (spec: FunctionSpec): string[] =>
  statementsOf(spec).flatMap((statement) => (Array.isArray(statement.Action) ? statement.Action : [statement.Action]));

const getAttId = (value: unknown): string | undefined => (value as { 'Fn::GetAtt'?: [string, string] })?.['Fn::GetAtt']?.[0];

describe('infra: the app', () => {
  it('synthesizes offline with cdk-nag registered as a policy-validation plugin', () => {
    expect(synth.synthError?.message).toBeUndefined();
  });

  it('reports no CDK error annotations in either stack', () => {
    const errors = must(synth.assembly, 'a cloud assembly').stacks.flatMap((stack) => stack.messages.filter((message) => message.level === 'error'));
    expect(errors).toEqual([]);
  });
});

describe('infra: cdk-nag AwsSolutions', () => {
  it('finds no errors in the stateful stack', () => {
    const errors = synth.nag.stateful.filter((finding) => finding.severity === 'error');
    expect(errors, JSON.stringify(errors, null, 2)).toEqual([]);
  });

  it('finds no errors in the service stack', () => {
    const errors = synth.nag.service.filter((finding) => finding.severity === 'error');
    expect(errors, JSON.stringify(errors, null, 2)).toEqual([]);
  });

  it('finds no warnings either (any finding fails `cdk synth`)', () => {
    const warnings = [...synth.nag.stateful, ...synth.nag.service];
    expect(warnings, JSON.stringify(warnings, null, 2)).toEqual([]);
  });
});

describe('infra: stateful stack', () => {
  it('retains every resource on stack deletion or replacement', () => {
    const notRetained = Object.entries(synth.stateful.toJSON().Resources as Record<string, Resource>)
      .filter(([, resource]) => resource.DeletionPolicy !== 'Retain')
      .map(([id]) => id);
    expect(notRetained).toEqual([]);
  });

  it('deploys the one table as defined: keys, gsi1/gsi2 (ALL), gsi3 (keys only), gsi4 (numeric sort key), stream, TTL, PITR, on-demand, deletion protection', () => {
    const key = (pk: string, sk: string) => [
      { AttributeName: pk, KeyType: 'HASH' },
      { AttributeName: sk, KeyType: 'RANGE' },
    ];
    synth.stateful.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
    synth.stateful.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      Properties: {
        KeySchema: key('pk', 'sk'),
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        GlobalSecondaryIndexes: [
          { IndexName: 'gsi1', KeySchema: key('gsi1pk', 'gsi1sk'), Projection: { ProjectionType: 'ALL' } },
          { IndexName: 'gsi2', KeySchema: key('gsi2pk', 'gsi2sk'), Projection: { ProjectionType: 'ALL' } },
          { IndexName: 'gsi3', KeySchema: key('gsi3pk', 'gsi3sk'), Projection: { ProjectionType: 'KEYS_ONLY' } },
          { IndexName: 'gsi4', KeySchema: key('gsi4pk', 'gsi4sk'), Projection: { ProjectionType: 'ALL' } },
        ],
        Replicas: [
          {
            DeletionProtectionEnabled: true,
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          },
        ],
      },
    });
  });

  it('has a user pool without self sign-up, signing in by email, with a strong password policy and optional TOTP', () => {
    synth.stateful.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      UsernameAttributes: ['email'],
      Policies: {
        PasswordPolicy: { MinimumLength: 12, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true },
      },
      MfaConfiguration: 'OPTIONAL',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
    });
  });

  it('has one user-pool group per role', () => {
    const groups = resources('stateful', 'AWS::Cognito::UserPoolGroup').map(([, group]) => group.Properties.GroupName);
    expect(groups.sort()).toEqual([...ROLES].sort());
  });

  it('has one app client without a secret, using SRP and refresh tokens', () => {
    synth.stateful.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
    synth.stateful.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    });
  });

  it('has the postlaunch event bus, the cursor secret (64 chars) and the postlaunch schedule group', () => {
    synth.stateful.hasResourceProperties('AWS::Events::EventBus', { Name: 'postlaunch' });
    synth.stateful.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true },
    });
    synth.stateful.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: 'postlaunch' });
  });
});

describe('infra: functions', () => {
  it('builds exactly one Lambda function per manifest entry', () => {
    synth.service.resourceCountIs('AWS::Lambda::Function', manifest.length);
  });

  it.each(manifest.map((spec) => [spec.name, spec] as const))('runs %s on Node.js 22, arm64, traced, with its own log group', (_name, spec) => {
    const [, fn] = functionFor(spec);
    expect(fn.Properties).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: spec.memoryMb ?? 512,
      Timeout: spec.timeoutSeconds ?? (spec.kind === 'http' ? 10 : 60),
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: { LogGroup: { Ref: expect.any(String) } },
    });
  });

  it.each(manifest.map((spec) => [spec.name, spec] as const))('configures %s through the environment config.ts reads', (_name, spec) => {
    const [, fn] = functionFor(spec);
    const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(Object.keys(variables).sort()).toEqual(
      [
        'API_BASE_URL',
        'COMPANY_TIME_ZONE',
        'CORS_ORIGINS',
        'CURSOR_SECRET_ARN',
        'EVENT_BUS_NAME',
        'MAIL_FROM',
        'NODE_OPTIONS',
        'POWERTOOLS_SERVICE_NAME',
        'SCHEDULER_GROUP',
        'TABLE_NAME',
        // What the SLA's one-time schedules need (infra/service-stack.ts wireSlaSchedules).
        ...(spec.name === 'sla-schedules' ? ['SLA_ESCALATION_FUNCTION_ARN', 'SLA_SCHEDULER_ROLE_ARN', 'SLA_SCHEDULE_DLQ_ARN'] : []),
      ].sort(),
    );
    expect(variables).toMatchObject({
      MAIL_FROM: TEST_CONTEXT.mailFrom,
      COMPANY_TIME_ZONE: TEST_CONTEXT.companyTimeZone,
      CORS_ORIGINS: 'https://app.example.com,https://admin.example.com',
      POWERTOOLS_SERVICE_NAME: 'postlaunch',
      NODE_OPTIONS: '--enable-source-maps',
    });
  });

  it('gives no function role an AWS managed policy', () => {
    for (const spec of manifest) {
      const [, fn] = functionFor(spec);
      const [, role] = must(resources('service', 'AWS::IAM::Role').find(([id]) => id === getAttId(fn.Properties.Role)), `${spec.name}'s role`);
      expect(role.Properties.ManagedPolicyArns, spec.name).toBeUndefined();
    }
  });
});

describe('infra: HTTP API', () => {
  const routeKey = (route: { method: string; path: string }) => `${route.method} ${route.path}`;
  const templateRoutes = () =>
    new Map(resources('service', 'AWS::ApiGatewayV2::Route').map(([, route]) => [route.Properties.RouteKey as string, route.Properties]));

  it('has exactly one route per manifest route', () => {
    expect([...templateRoutes().keys()].sort()).toEqual(allRoutes().map(routeKey).sort());
  });

  it('leaves exactly GET /health and GET /openapi.json unauthenticated', () => {
    const open = [...templateRoutes()].filter(([, route]) => route.AuthorizationType === 'NONE').map(([key]) => key);
    expect(open.sort()).toEqual(['GET /health', 'GET /openapi.json']);
  });

  it.each(allRoutes().filter((route) => route.roles !== 'public').map((route) => [routeKey(route)] as const))(
    'protects %s with the Cognito JWT authorizer',
    (key) => {
      const [authorizerId] = must(resources('service', 'AWS::ApiGatewayV2::Authorizer')[0], 'the authorizer');
      expect(templateRoutes().get(key)).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizerId } });
    },
  );

  it('validates JWTs issued by the user pool for the app client', () => {
    synth.service.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
    const [, authorizer] = must(resources('service', 'AWS::ApiGatewayV2::Authorizer')[0], 'the authorizer');
    expect(authorizer.Properties).toMatchObject({
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [{ 'Fn::ImportValue': expect.stringContaining('UserPoolAppClient') }],
        Issuer: { 'Fn::ImportValue': expect.stringContaining('ProviderURL') },
      },
    });
  });

  it.each(allRoutes().map((route) => [routeKey(route), route.functionName] as const))('sends %s to the %s function', (key, functionName) => {
    const target = must(templateRoutes().get(key), `route ${key}`).Target as { 'Fn::Join': [string, [string, { Ref: string }]] };
    const integrationId = target['Fn::Join'][1][1].Ref;
    const [, integration] = must(resources('service', 'AWS::ApiGatewayV2::Integration').find(([id]) => id === integrationId), `integration of ${key}`);
    const [fnId] = functionFor(must(manifest.find((spec) => spec.name === functionName), functionName));
    expect(getAttId(integration.Properties.IntegrationUri)).toBe(fnId);
  });

  it('answers CORS preflights for the configured origins', () => {
    synth.service.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: { AllowOrigins: ['https://app.example.com', 'https://admin.example.com'] },
    });
  });

  it('throttles and access-logs (JSON) the default stage', () => {
    const [, stage] = must(resources('service', 'AWS::ApiGatewayV2::Stage')[0], 'the default stage');
    expect(stage.Properties).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingBurstLimit: 200, ThrottlingRateLimit: 100 },
      AccessLogSettings: { DestinationArn: expect.anything() },
    });
    const format = JSON.parse((stage.Properties.AccessLogSettings as { Format: string }).Format) as Record<string, string>;
    expect(format).toMatchObject({ requestId: '$context.requestId', status: '$context.status' });
  });
});

describe('infra: change path', () => {
  it.each(ofKind('stream').map((spec) => [spec.name, spec] as const))(
    'feeds %s from the table stream, bisecting failed batches and parking them in a DLQ',
    (_name, spec: StreamFunctionSpec) => {
      const [fnId] = functionFor(spec);
      const mappings = resources('service', 'AWS::Lambda::EventSourceMapping').filter(
        ([, mapping]) => (mapping.Properties.FunctionName as { Ref: string }).Ref === fnId,
      );
      expect(mappings).toHaveLength(1);
      const [, { Properties: properties }] = must(mappings[0], 'an event source mapping');
      expect(properties).toMatchObject({
        EventSourceArn: { 'Fn::ImportValue': expect.stringContaining('StreamArn') },
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: spec.batchSize,
        MaximumRetryAttempts: spec.maxRetries,
        BisectBatchOnFunctionError: true,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [expect.any(String), 'Arn'] } } },
      });
      expect(properties.FunctionResponseTypes).toBeUndefined();
    },
  );

  const rules = ofKind('event').flatMap((spec) => spec.rules.map((rule) => [rule.name, spec, rule] as const));

  it('has exactly one bus rule per manifest rule', () => {
    synth.service.resourceCountIs('AWS::Events::Rule', rules.length);
  });

  it.each(rules)('routes %s from the postlaunch bus to its function, with retries and a DLQ', (_name, spec: EventFunctionSpec, rule) => {
    const [fnId] = functionFor(spec);
    synth.service.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { 'Fn::ImportValue': Match.stringLikeRegexp('EventBus') },
      EventPattern: { source: [...rule.source], 'detail-type': [...rule.detailType] },
      Targets: [
        {
          Arn: { 'Fn::GetAtt': [fnId, 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] } },
          RetryPolicy: { MaximumRetryAttempts: 4, MaximumEventAgeInSeconds: 7200 },
        },
      ],
    });
  });

  it.each([...ofKind('event'), ...ofKind('schedule')].map((spec) => [spec.name, spec] as const))(
    'parks failed asynchronous invocations of %s in a DLQ',
    (_name, spec) => {
      const [fnId] = functionFor(spec);
      synth.service.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: fnId },
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] } } },
      });
    },
  );
});

describe('infra: schedule path', () => {
  const schedules = ofKind('schedule').flatMap((spec) => spec.schedules.map((schedule) => [schedule.name, spec, schedule] as const));

  it('has exactly one Scheduler schedule per manifest schedule', () => {
    synth.service.resourceCountIs('AWS::Scheduler::Schedule', schedules.length);
  });

  it.each(schedules)('runs %s on its AWS cron in its time zone, to the time, with retries and a DLQ', (name, spec: ScheduleFunctionSpec, schedule) => {
    const [fnId] = functionFor(spec);
    synth.service.hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: name,
      GroupName: { 'Fn::ImportValue': Match.stringLikeRegexp('ScheduleGroup') },
      ScheduleExpression: toAwsCron(schedule.cron),
      ScheduleExpressionTimezone: schedule.timeZone === 'company' ? TEST_CONTEXT.companyTimeZone : schedule.timeZone,
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      Target: {
        Arn: { 'Fn::GetAtt': [fnId, 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: Match.anyValue() },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] } },
      },
    });
  });

  it.each(schedules)('lets the scheduler role of %s invoke that one function and nothing else', (name, spec: ScheduleFunctionSpec) => {
    const [fnId] = functionFor(spec);
    const [, schedule] = must(resources('service', 'AWS::Scheduler::Schedule').find(([, s]) => s.Properties.Name === name), `schedule ${name}`);
    const roleId = must(getAttId((schedule.Properties.Target as { RoleArn: unknown }).RoleArn), 'the scheduler role');
    const [, role] = must(resources('service', 'AWS::IAM::Role').find(([id]) => id === roleId), `role ${roleId}`);
    expect(JSON.stringify(role.Properties.AssumeRolePolicyDocument)).toContain('scheduler.amazonaws.com');
    const statements = resources('service', 'AWS::IAM::Policy')
      .filter(([, policy]) => (policy.Properties.Roles as { Ref: string }[]).some((ref) => ref.Ref === roleId))
      .flatMap(([, policy]) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
    const invoke = statements.filter((statement) => [statement.Action].flat().includes('lambda:InvokeFunction'));
    expect(invoke).toEqual([{ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: { 'Fn::GetAtt': [fnId, 'Arn'] } }]);
    const others = statements.flatMap((statement) => [statement.Action].flat()).filter((action) => action !== 'lambda:InvokeFunction');
    expect(others.every((action) => action.startsWith('sqs:'))).toBe(true);
  });
});

describe('infra: dead-letter queues and alarms', () => {
  it('keeps dead letters 14 days, encrypted, TLS only', () => {
    const queues = resources('service', 'AWS::SQS::Queue');
    expect(queues.length).toBeGreaterThan(0);
    for (const [id, queue] of queues) {
      expect(queue.Properties, id).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 60 * 60 });
      synth.service.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: id }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });

  it('has one DLQ per stream, event and schedule function', () => {
    synth.service.resourceCountIs('AWS::SQS::Queue', manifest.filter((spec) => spec.kind !== 'http').length);
  });

  it('alarms as soon as any DLQ holds a message', () => {
    for (const [id] of resources('service', 'AWS::SQS::Queue')) {
      synth.service.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [id, 'QueueName'] } }],
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
      });
    }
  });

  it('alarms on HTTP API 5xx responses', () => {
    const [apiId] = must(resources('service', 'AWS::ApiGatewayV2::Api')[0], 'the HTTP API');
    synth.service.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/ApiGateway',
      MetricName: '5xx',
      Dimensions: [{ Name: 'ApiId', Value: { Ref: apiId } }],
      Statistic: 'Sum',
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
    });
  });
});

describe('infra: least privilege', () => {
  const http = ofKind('http');
  const byName = (name: string) => must(manifest.find((spec) => spec.name === name), `manifest entry ${name}`);

  it('never grants a wildcard action', () => {
    for (const spec of manifest) expect(actionsOf(spec).filter((action) => action.includes('*')), spec.name).toEqual([]);
  });

  it.each(http.map((spec) => [spec.name, spec] as const))('lets the %s HTTP function use table data and the cursor key, but not publish events or send email', (_name, spec) => {
    const actions = actionsOf(spec);
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'secretsmanager:GetSecretValue']));
    expect(actions).not.toContain('events:PutEvents');
    expect(actions.filter((action) => action.startsWith('ses:'))).toEqual([]);
  });

  it('never grants dynamodb:Scan (every access pattern is a key lookup or a query)', () => {
    for (const spec of manifest) expect(actionsOf(spec), spec.name).not.toContain('dynamodb:Scan');
  });

  it('scopes index queries to the named indexes, not index/*', () => {
    const resourcesJson = JSON.stringify(manifest.flatMap((spec) => statementsOf(spec).map((statement) => statement.Resource)));
    expect(resourcesJson).toContain('/index/gsi1');
    expect(resourcesJson).toContain('/index/gsi2');
    expect(resourcesJson).not.toContain('/index/*');
  });

  it('lets the changes function read the stream and publish events, but not send email or write items', () => {
    const actions = actionsOf(byName('changes'));
    expect(actions).toEqual(expect.arrayContaining(['events:PutEvents', 'dynamodb:GetRecords']));
    expect(actions.filter((action) => action.startsWith('ses:'))).toEqual([]);
    expect(actions).not.toContain('dynamodb:PutItem');
  });

  it.each([...ofKind('event'), ...ofKind('schedule')].map((spec) => [spec.name, spec] as const))(
    'lets %s send email only from the configured address, and not publish events',
    (_name, spec) => {
      const mail = statementsOf(spec).filter((statement) => [statement.Action].flat().some((action) => action.startsWith('ses:')));
      expect(mail).toHaveLength(1);
      expect(mail[0]).toMatchObject({
        Action: ['ses:SendEmail', 'ses:SendRawEmail'],
        Condition: { StringEquals: { 'ses:FromAddress': TEST_CONTEXT.mailFrom } },
      });
      expect(JSON.stringify(must(mail[0], 'a mail statement').Resource)).toContain(':identity/example.com');
      expect(actionsOf(spec)).not.toContain('events:PutEvents');
    },
  );
});

describe('infra: SLA one-time schedules', () => {
  const byName = (name: string) => must(manifest.find((spec) => spec.name === name), `manifest entry ${name}`);

  it('lets sla-schedules create, read and delete only sla-* schedules in the postlaunch group, and pass only the escalation scheduler role to Scheduler', () => {
    const creator = byName('sla-schedules');
    const escalation = byName('sla-escalation') as ScheduleFunctionSpec;
    const scheduling = statementsOf(creator).filter((statement) => [statement.Action].flat().some((action) => action.startsWith('scheduler:')));
    expect(scheduling).toHaveLength(1);
    expect([scheduling[0]?.Action].flat().sort()).toEqual(['scheduler:CreateSchedule', 'scheduler:DeleteSchedule', 'scheduler:GetSchedule']);
    expect(JSON.stringify(scheduling[0]?.Resource)).toContain(':schedule/postlaunch/sla-*');

    // The role it passes is the one the hourly sweep's schedule uses to invoke sla-escalation.
    const sweep = must(resources('service', 'AWS::Scheduler::Schedule').find(([, s]) => s.Properties.Name === escalation.schedules[0]?.name), 'the sweep schedule');
    const roleId = getAttId((sweep[1].Properties.Target as { RoleArn: unknown }).RoleArn);
    const pass = statementsOf(creator).filter((statement) => [statement.Action].flat().includes('iam:PassRole'));
    expect(pass).toEqual([
      { Effect: 'Allow', Action: 'iam:PassRole', Resource: { 'Fn::GetAtt': [roleId, 'Arn'] }, Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } } },
    ]);
    for (const spec of manifest.filter((entry) => entry.name !== 'sla-schedules')) {
      expect(actionsOf(spec).filter((action) => action.startsWith('scheduler:') || action === 'iam:PassRole'), spec.name).toEqual([]);
    }
  });

  it('tells sla-schedules the escalation function, that role and the escalation DLQ', () => {
    const [fnId] = functionFor(byName('sla-escalation'));
    const [, creator] = functionFor(byName('sla-schedules'));
    const variables = (creator.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(variables.SLA_ESCALATION_FUNCTION_ARN).toEqual({ 'Fn::GetAtt': [fnId, 'Arn'] });
    expect(getAttId(variables.SLA_SCHEDULER_ROLE_ARN)).toMatch(/SchedulerRole/);
    const dlqId = must(getAttId(variables.SLA_SCHEDULE_DLQ_ARN), 'the DLQ');
    synth.service.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: fnId },
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [dlqId, 'Arn'] } } },
    });
  });
});
