/**
 * Errors carry their HTTP status and whether their message is safe to show.
 * `lib/platform/http/problem.ts` is the one place that turns them into problem+json.
 */
export interface FieldError {
  /** JSON path of the offending field, e.g. `$.body.listPrice.amount`. */
  path: string;
  message: string;
}

export abstract class AppError extends Error {
  abstract readonly status: number;
  abstract readonly title: string;
  /** 4xx messages describe the caller's mistake; 5xx messages stay in the logs. */
  get expose(): boolean {
    return this.status < 500;
  }
  readonly extensions: Record<string, unknown>;

  constructor(message: string, extensions: Record<string, unknown> = {}) {
    super(message);
    this.name = new.target.name;
    this.extensions = extensions;
  }

  get type(): string {
    return `https://postlaunch.dev/problems/${this.slug}`;
  }

  protected abstract readonly slug: string;
}

export class ValidationError extends AppError {
  readonly status = 400;
  readonly title = 'Invalid request';
  protected readonly slug = 'invalid-request';
  constructor(
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
  }
}

export class UnauthorizedError extends AppError {
  readonly status = 401;
  readonly title = 'Unauthorized';
  protected readonly slug = 'unauthorized';
}

export class ForbiddenError extends AppError {
  readonly status = 403;
  readonly title = 'Forbidden';
  protected readonly slug = 'forbidden';
}

export class NotFoundError extends AppError {
  readonly status = 404;
  readonly title = 'Not found';
  protected readonly slug = 'not-found';
}

export class ConflictError extends AppError {
  readonly status = 409;
  readonly title = 'Conflict';
  protected readonly slug = 'conflict';
}

export class PreconditionFailedError extends AppError {
  readonly status = 412;
  readonly title = 'Precondition failed';
  protected readonly slug = 'precondition-failed';
}

export class PayloadTooLargeError extends AppError {
  readonly status = 413;
  readonly title = 'Payload too large';
  protected readonly slug = 'payload-too-large';
}

export class UnsupportedMediaTypeError extends AppError {
  readonly status = 415;
  readonly title = 'Unsupported media type';
  protected readonly slug = 'unsupported-media-type';
}

export class IdempotencyKeyReusedError extends AppError {
  readonly status = 422;
  readonly title = 'Idempotency key reused';
  protected readonly slug = 'idempotency-key-reused';
}

export class TooManyRequestsError extends AppError {
  readonly status = 429;
  readonly title = 'Too many requests';
  protected readonly slug = 'too-many-requests';
}

export class DependencyUnavailableError extends AppError {
  readonly status = 503;
  readonly title = 'Service unavailable';
  protected readonly slug = 'service-unavailable';
  override get expose(): boolean {
    // The fact is safe to tell; the dependency's own message is not.
    return false;
  }
}
