/** Longest wait we accept from a provider; a longer one is capped at this. */
const MAX_RETRY_AFTER_MS = 24 * 3_600_000;

/**
 * The wait a response asks for: OpenAI's `retry-after-ms` (exact) first, then `retry-after` in
 * seconds or as an HTTP date. Null when there is none or it is unreadable.
 */
export function parseRetryAfter(headers: Headers | undefined, now = Date.now()): number | null {
  if (!headers) return null;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && /^\d+(\.\d+)?$/.test(ms.trim())) return clamp(Number(ms));
  const value = headers.get('retry-after');
  if (value === null) return null;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return clamp(Number(value) * 1_000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : clamp(date - now);
}

function clamp(ms: number): number {
  return Math.min(Math.max(0, Math.ceil(ms)), MAX_RETRY_AFTER_MS);
}
