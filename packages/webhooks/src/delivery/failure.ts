import { SSRF_ERROR_CODE } from '../ssrf';
import { type DeliveryError, type ErrorFailedOutcome } from './delivery-outcome';

/** The code of our own deadline error, matching what Node uses for socket timeouts. */
export const TIMEOUT_CODE = 'ETIMEDOUT';
/** The code of a URL that does not parse or is not http(s). */
export const INVALID_URL_CODE = 'EINVALIDURL';

/** Turns anything thrown or emitted into plain data; Node errors carry a string `code`. */
export function toDeliveryError(error: unknown): DeliveryError {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { code: typeof code === 'string' ? code : 'EUNKNOWN', message: error.message };
  }
  return { code: 'EUNKNOWN', message: String(error) };
}

/**
 * The failed outcome for an error that ended an attempt. Only the target itself being refused
 * is final; every network condition may clear up before the next try.
 */
export function failureFromError(
  error: DeliveryError,
  latencyMs: number,
  statusCode: number | undefined,
): ErrorFailedOutcome {
  const reason =
    error.code === SSRF_ERROR_CODE
      ? 'ssrf'
      : error.code === INVALID_URL_CODE
        ? 'invalid-url'
        : error.code === TIMEOUT_CODE
          ? 'timeout'
          : 'network';
  const retryable = reason !== 'ssrf' && reason !== 'invalid-url';
  return {
    kind: 'failed',
    reason,
    error,
    latencyMs,
    retryable,
    ...(statusCode === undefined ? {} : { statusCode }),
  };
}
