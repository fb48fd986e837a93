import { Logger } from '@aws-lambda-powertools/logger';

/** One structured JSON logger; the request id is appended per invocation by the HTTP chain. */
export const logger = new Logger({ serviceName: 'postlaunch' });
