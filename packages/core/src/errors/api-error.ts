import { clip } from '../clip';
import type { ApiErrorType, ErrorDetail } from '../schemas/api-error';

/**
 * An error meant for the API's client. Services throw these; one middleware turns them into the
 * contract's JSON error body with `status` and `headers`. Anything else thrown becomes a 500.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: ApiErrorType,
    message: string,
    readonly details?: ErrorDetail[],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class InvalidRequestError extends ApiError {
  constructor(message: string, details?: ErrorDetail[]) {
    super(400, 'invalid_request', message, details);
  }
}

export class AuthenticationError extends ApiError {
  constructor(message = 'Missing or invalid API key. Send "Authorization: Bearer <key>".') {
    super(401, 'authentication_error', message, undefined, { 'WWW-Authenticate': 'Bearer' });
  }
}

export class BudgetExceededError extends ApiError {
  constructor(message: string) {
    super(402, 'budget_exceeded', message);
  }
}

export class PermissionDeniedError extends ApiError {
  constructor(message: string) {
    super(403, 'permission_denied', message);
  }
}

export class NotFoundError extends ApiError {
  constructor(message: string) {
    super(404, 'not_found', message);
  }
}

export class ConflictError extends ApiError {
  constructor(message: string) {
    super(409, 'conflict', message);
  }
}

export class PayloadTooLargeError extends ApiError {
  constructor(limitBytes: number) {
    super(
      413,
      'payload_too_large',
      `Request body is larger than the limit of ${limitBytes} bytes.`,
    );
  }
}

export class UnsupportedMediaTypeError extends ApiError {
  constructor(got: string | undefined, expected = 'application/json') {
    super(
      415,
      'unsupported_media_type',
      `Request body must be ${expected}${got ? ` (got ${clip(got)})` : ''}.`,
    );
  }
}

export class IdempotencyMismatchError extends ApiError {
  constructor() {
    super(
      422,
      'idempotency_mismatch',
      'This Idempotency-Key was already used with a different request body.',
    );
  }
}

export class RateLimitedError extends ApiError {
  constructor(message: string, headers: Record<string, string>) {
    super(429, 'rate_limited', message, undefined, headers);
  }
}

export class ServiceUnavailableError extends ApiError {
  constructor(message: string, retryAfterSeconds = 1) {
    super(503, 'service_unavailable', message, undefined, {
      'Retry-After': String(retryAfterSeconds),
    });
  }
}
