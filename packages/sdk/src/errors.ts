import { type ApiErrorType, type ErrorDetail, ErrorBody } from '@switchyard/core';

/** What every error of the client carries; `status` is 0 when no HTTP answer was read. */
export interface SwitchyardErrorInit {
  status: number;
  type: ApiErrorType | 'network_error' | 'timeout';
  message: string;
  requestId?: string | null;
  details?: ErrorDetail[];
  headers?: Headers;
  cause?: unknown;
}

/** An error answer of the API (or no answer at all), with the contract's fields. */
export class SwitchyardError extends Error {
  readonly status: number;
  readonly type: SwitchyardErrorInit['type'];
  /** The API's `request_id`: quote it when asking for help. */
  readonly requestId: string | null;
  /** Per-field reasons of a 400 schema violation. */
  readonly details: ErrorDetail[] | undefined;
  readonly headers: Headers | undefined;

  constructor(init: SwitchyardErrorInit) {
    super(init.message, { cause: init.cause });
    this.name = new.target.name;
    this.status = init.status;
    this.type = init.type;
    this.requestId = init.requestId ?? null;
    this.details = init.details;
    this.headers = init.headers;
  }
}

/** Malformed JSON or a schema violation; `details` lists each field. */
export class BadRequestError extends SwitchyardError {}
/** No key, or a key that is unknown or revoked. */
export class AuthenticationError extends SwitchyardError {}
/** The key lacks the route's scope. */
export class PermissionDeniedError extends SwitchyardError {}
/** The tenant's monthly budget is spent. */
export class BudgetExceededError extends SwitchyardError {}
/** An unknown ID, or one of another tenant. */
export class NotFoundError extends SwitchyardError {}
/** Cancel of an ended job or batch; an Idempotency-Key whose first request is still in flight. */
export class ConflictError extends SwitchyardError {}
export class PayloadTooLargeError extends SwitchyardError {}
export class UnsupportedMediaTypeError extends SwitchyardError {}
/** An Idempotency-Key reused with another body. */
export class UnprocessableEntityError extends SwitchyardError {}
/** Any other 5xx. */
export class InternalServerError extends SwitchyardError {}

/** The tenant's rate limit. */
export class RateLimitError extends SwitchyardError {
  /** Seconds to wait before trying again, from `Retry-After`; null when the API gave none. */
  readonly retryAfter: number | null;
  constructor(init: SwitchyardErrorInit) {
    super(init);
    this.retryAfter = retryAfterSeconds(init.headers);
  }
}

/** The API cannot reach its store (Redis). */
export class ServiceUnavailableError extends SwitchyardError {
  /** Seconds to wait before trying again, from `Retry-After`; null when the API gave none. */
  readonly retryAfter: number | null;
  constructor(init: SwitchyardErrorInit) {
    super(init);
    this.retryAfter = retryAfterSeconds(init.headers);
  }
}

/** No HTTP answer: refused connection, DNS failure, a connection dropped mid-answer. */
export class ConnectionError extends SwitchyardError {
  constructor(message: string, cause?: unknown) {
    super({ status: 0, type: 'network_error', message, cause });
  }
}

/** `wait` gave up: the job or batch had not ended within `timeoutMs`. */
export class TimeoutError extends SwitchyardError {
  constructor(message: string) {
    super({ status: 0, type: 'timeout', message });
  }
}

type ErrorClass = new (init: SwitchyardErrorInit) => SwitchyardError;

const ERROR_CLASSES = new Map<number, ErrorClass>([
  [400, BadRequestError],
  [401, AuthenticationError],
  [402, BudgetExceededError],
  [403, PermissionDeniedError],
  [404, NotFoundError],
  [409, ConflictError],
  [413, PayloadTooLargeError],
  [415, UnsupportedMediaTypeError],
  [422, UnprocessableEntityError],
  [429, RateLimitError],
  [503, ServiceUnavailableError],
]);

/** The typed error for an HTTP error answer, whether or not its body is the contract's shape. */
export function errorFromAnswer(status: number, text: string, headers: Headers): SwitchyardError {
  const ErrorType =
    ERROR_CLASSES.get(status) ?? (status >= 500 ? InternalServerError : SwitchyardError);
  const body = ErrorBody.safeParse(safeJson(text));
  if (body.success) {
    const { type, message, request_id, details } = body.data.error;
    return new ErrorType({ status, type, message, requestId: request_id, details, headers });
  }
  // A proxy or load balancer answered, not the API: keep the start of what it said.
  const message = `HTTP ${status}: ${text.slice(0, 200)}`;
  return new ErrorType({ status, type: fallbackType(status), message, headers });
}

function fallbackType(status: number): ApiErrorType {
  if (status === 429) return 'rate_limited';
  if (status === 503) return 'service_unavailable';
  return 'internal_error';
}

/**
 * `Retry-After` in seconds: delta-seconds (fractions allowed, the API sends whole seconds) or an
 * HTTP date; null when absent or unreadable.
 */
export function retryAfterSeconds(headers: Headers | undefined): number | null {
  const value = headers?.get('retry-after')?.trim();
  if (!value) return null;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, (date - Date.now()) / 1_000);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
