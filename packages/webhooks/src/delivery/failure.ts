import { SSRF_ERROR_CODE } from '../ssrf';
import { type DeliveryError, type ErrorFailedOutcome } from './delivery-outcome';

/** The code of our own deadline error, matching what Node uses for socket timeouts. */
export const TIMEOUT_CODE = 'ETIMEDOUT';
/** The code of a URL that does not parse or is not http(s). */
export const INVALID_URL_CODE = 'EINVALIDURL';

/** Reads a property of an unknown value without trusting its type. */
function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

/**
 * Turns anything thrown or emitted into plain data. Duck-typed, not `instanceof Error`: errors
 * from Node core come from another realm under jest's vm sandbox (and from other contexts in
 * general). Happy-eyeballs connects fail with an `AggregateError` that may carry no `code` of
 * its own; the first inner error's code says what went wrong.
 */
export function toDeliveryError(error: unknown): DeliveryError {
  const inner: unknown = Array.isArray(field(error, 'errors'))
    ? (field(error, 'errors') as unknown[])[0]
    : undefined;
  const code = field(error, 'code') ?? field(inner, 'code');
  const message = field(error, 'message') || field(inner, 'message');
  return {
    code: typeof code === 'string' ? code : 'EUNKNOWN',
    message: typeof message === 'string' && message !== '' ? message : String(error),
  };
}

type ErrorReason = ErrorFailedOutcome['reason'];

/** Reasons that come from the request itself, so retrying the same request cannot help. */
const FINAL_REASONS: ReadonlySet<ErrorReason> = new Set(['ssrf', 'invalid-url', 'invalid-request']);

function reasonFor(code: string): ErrorReason {
  if (code === SSRF_ERROR_CODE) return 'ssrf';
  if (code === INVALID_URL_CODE) return 'invalid-url';
  // Node's own connect timeouts carry the same code; they are the same condition to a caller.
  if (code === TIMEOUT_CODE) return 'timeout';
  return 'network';
}

/**
 * The failed outcome for an error that ended an attempt. Only a refused or unsendable request
 * is final; every network condition may clear up before the next try.
 *
 * @param reason - Overrides the reason derived from `error.code`.
 */
export function failureFromError(
  error: DeliveryError,
  latencyMs: number,
  statusCode: number | undefined,
  reason: ErrorReason = reasonFor(error.code),
): ErrorFailedOutcome {
  const retryable = !FINAL_REASONS.has(reason);
  return {
    kind: 'failed',
    reason,
    error,
    latencyMs,
    retryable,
    ...(statusCode === undefined ? {} : { statusCode }),
  };
}
