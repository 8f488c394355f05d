/** Statuses whose `Retry-After` says when to come back (RFC 9110 §10.2.3). */
const RETRY_AFTER_STATUSES: ReadonlySet<number> = new Set([429, 503]);

const DELTA_SECONDS = /^\s*(\d+)\s*$/;

/**
 * Parses a `Retry-After` value: delta-seconds (`120`) or an HTTP-date
 * (`Wed, 21 Oct 2015 07:28:00 GMT`).
 *
 * @param nowMs - The current time, for HTTP-dates; injectable so tests are exact.
 * @returns Milliseconds to wait (0 for a date in the past), or `undefined` when unparseable.
 */
export function parseRetryAfter(value: string, nowMs: number): number | undefined {
  const delta = DELTA_SECONDS.exec(value);
  if (delta !== null) return Number(delta[1]) * 1000;
  // Date.parse also accepts ISO strings and other forms; require something date-like with
  // letters so bare garbage such as "-5" or "1.5" is not read as a year.
  if (!/[a-z]/i.test(value)) return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/**
 * The wait a receiver asked for, honoured only on 429 and 503: elsewhere the header has other
 * meanings (3xx) or none.
 */
export function retryAfterFor(
  statusCode: number,
  header: string | string[] | undefined,
  nowMs: number,
): number | undefined {
  if (!RETRY_AFTER_STATUSES.has(statusCode) || header === undefined) return undefined;
  // A repeated header is malformed; use the first value rather than guessing.
  const value = Array.isArray(header) ? header[0] : header;
  return value === undefined ? undefined : parseRetryAfter(value, nowMs);
}
