/**
 * Why a failed delivery failed:
 * - `http-status`: the receiver answered with a status that is neither 2xx nor 410 (incl. 3xx,
 *   which is never followed);
 * - `timeout`: the whole exchange did not finish within the deadline;
 * - `network`: DNS, connect, reset, TLS and other socket errors;
 * - `ssrf`: the target was refused by the SSRF guard;
 * - `invalid-url`: the URL does not parse or is not http(s);
 * - `invalid-request`: Node refused to build the request (e.g. a header value with a newline).
 */
export type DeliveryFailureReason =
  'http-status' | 'timeout' | 'network' | 'ssrf' | 'invalid-url' | 'invalid-request';

/**
 * An error as plain data. Outcomes end up in job data and attempt logs, where an `Error`
 * instance would serialise to `{}`.
 */
export interface DeliveryError {
  /** A Node-style code: `ETIMEDOUT`, `ECONNREFUSED`, `ESSRF`, `EINVALIDURL`, ... */
  readonly code: string;
  readonly message: string;
}

/** The receiver answered 2xx and its whole (capped) response was read. */
export interface DeliveredOutcome {
  readonly kind: 'delivered';
  readonly statusCode: number;
  /** From just before the request was built until the outcome was known. */
  readonly latencyMs: number;
}

/** The receiver answered 410 Gone: it asks us to stop, so no more retries for this endpoint. */
export interface GoneOutcome {
  readonly kind: 'gone';
  readonly statusCode: 410;
  readonly latencyMs: number;
}

/** The receiver answered, with a status that is neither 2xx nor 410. */
export interface StatusFailedOutcome {
  readonly kind: 'failed';
  readonly reason: 'http-status';
  readonly statusCode: number;
  readonly latencyMs: number;
  /** A status may change on the receiver's side, so it is always worth another try. */
  readonly retryable: true;
  /** From `Retry-After` on a 429 or 503; a floor for the next attempt's delay. */
  readonly retryAfterMs?: number;
}

/** No usable answer: the exchange broke, timed out, or was never started. */
export interface ErrorFailedOutcome {
  readonly kind: 'failed';
  readonly reason: Exclude<DeliveryFailureReason, 'http-status'>;
  readonly error: DeliveryError;
  readonly latencyMs: number;
  /** `false` for `ssrf`, `invalid-url` and `invalid-request`: the same request fails again. */
  readonly retryable: boolean;
  /** Set when the status line arrived before the failure (e.g. the body stalled). */
  readonly statusCode?: number;
}

export type FailedOutcome = StatusFailedOutcome | ErrorFailedOutcome;

/** What one delivery attempt came to; {@link deliverWebhook} never throws instead. */
export type DeliveryOutcome = DeliveredOutcome | GoneOutcome | FailedOutcome;
