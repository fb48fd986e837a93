import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { AppError, DependencyUnavailableError, ValidationError } from '../errors';
import { logger } from '../logger';

const THROTTLING = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'ServiceUnavailable',
  'InternalServerError',
]);

/**
 * The one place that turns an error into RFC 9457 problem+json. Only errors that say they
 * are safe to expose reach the client with their message; everything else is a generic 5xx,
 * logged in full with the request id the client also receives.
 */
export function toProblemResponse(error: unknown, requestId: string): APIGatewayProxyStructuredResultV2 {
  const known = classify(error);
  // Extensions first: RFC 9457's own members (and our request id) always win over a
  // module's extra fields, so an extension can never change the status or the type.
  const body: Record<string, unknown> = {
    ...(known?.expose ? known.extensions : {}),
    type: known?.type ?? 'about:blank',
    title: known?.title ?? 'Internal server error',
    status: known?.status ?? 500,
    detail: known?.expose ? known.message : genericDetail(known),
    requestId,
  };
  if (known instanceof ValidationError) body.errors = known.errors;

  const status = body.status as number;
  if (status >= 500) logger.error('request failed', { requestId, error: error instanceof Error ? error : String(error) });
  else logger.info('request refused', { requestId, status, detail: body.detail });

  const headers: Record<string, string> = { 'content-type': 'application/problem+json', 'x-request-id': requestId };
  if (status === 503 || status === 429) headers['retry-after'] = '1';
  return { statusCode: status, headers, body: JSON.stringify(body) };
}

function classify(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  if (error instanceof Error && THROTTLING.has(error.name)) return new DependencyUnavailableError(error.message);
  return undefined;
}

function genericDetail(known: AppError | undefined): string {
  return known instanceof DependencyUnavailableError
    ? 'A service postlaunch depends on is busy or unavailable; retry shortly.'
    : 'Something went wrong on our side. Quote the request id when you report it.';
}
