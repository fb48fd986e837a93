import * as z from 'zod';

/**
 * The only reader of the environment. Parsed once; a missing or malformed value fails the
 * function at start-up (module init) instead of in the middle of a request.
 */
const csv = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  );

const configSchema = z.object({
  TABLE_NAME: z.string().min(1),
  EVENT_BUS_NAME: z.string().min(1),
  MAIL_FROM: z.email(),
  CORS_ORIGINS: csv,
  COMPANY_TIME_ZONE: z.string().default('Asia/Shanghai'),
  /** Public base URL of the API, used for links in emails. */
  API_BASE_URL: z.url().default('http://localhost:3000'),
  /** Local stack only: the HMAC key for list cursors. In AWS the key comes from Secrets Manager. */
  CURSOR_SECRET: z.string().min(32).optional(),
  CURSOR_SECRET_ARN: z.string().min(1).optional(),
  SCHEDULER_GROUP: z.string().default('default'),
  /** The SLA's one-time schedules: the escalation function they invoke, the role Scheduler assumes, its DLQ. */
  SLA_ESCALATION_FUNCTION_ARN: z.string().min(1).optional(),
  SLA_SCHEDULER_ROLE_ARN: z.string().min(1).optional(),
  SLA_SCHEDULE_DLQ_ARN: z.string().min(1).optional(),
  /** Endpoints of the local stack; unset in AWS. */
  DYNAMODB_ENDPOINT: z.url().optional(),
  EVENTBRIDGE_ENDPOINT: z.url().optional(),
  SES_ENDPOINT: z.url().optional(),
  SCHEDULER_ENDPOINT: z.url().optional(),
  SECRETS_ENDPOINT: z.url().optional(),
  AWS_REGION: z.string().default('us-east-1'),
  POWERTOOLS_SERVICE_NAME: z.string().default('postlaunch'),
}).refine((value) => value.CURSOR_SECRET ?? value.CURSOR_SECRET_ARN, {
  message: 'CURSOR_SECRET (local) or CURSOR_SECRET_ARN (AWS) is required',
  path: ['CURSOR_SECRET_ARN'],
});

export type Config = z.infer<typeof configSchema>;

let cached: Config | undefined;

export function getConfig(): Config {
  if (!cached) {
    const parsed = configSchema.safeParse(process.env);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
      throw new Error(`Invalid configuration: ${problems}`);
    }
    cached = parsed.data;
  }
  return cached;
}

/** Local-stack credentials: DynamoDB Local and the other twins accept any, but the SDK needs some. */
export function localCredentials(endpoint: string | undefined) {
  return endpoint ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {};
}
