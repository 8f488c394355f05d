import { formatGoDuration } from './duration';
import { type WindowUsage } from './rate-limiter';

interface Binding {
  limit: number;
  remaining: number;
  resetMs: number;
}

// Providers report one limit per dimension; with several windows the one with the least room
// left is the one a client must respect (ties go to the earlier window: rpm/tpm first).
function binding(
  usage: readonly WindowUsage[],
  dimension: 'requests' | 'tokens',
): Binding | undefined {
  let best: Binding | undefined;
  for (const w of usage) {
    const limit = dimension === 'requests' ? w.requestLimit : w.tokenLimit;
    if (limit === undefined) continue;
    const used = dimension === 'requests' ? w.requestsUsed : w.tokensUsed;
    const remaining = Math.max(0, limit - used);
    if (!best || remaining < best.remaining) best = { limit, remaining, resetMs: w.resetMs };
  }
  return best;
}

/** OpenAI's `x-ratelimit-*` headers; resets are Go-style durations. */
export function openaiRateLimitHeaders(usage: readonly WindowUsage[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const dimension of ['requests', 'tokens'] as const) {
    const b = binding(usage, dimension);
    if (!b) continue;
    headers[`x-ratelimit-limit-${dimension}`] = String(b.limit);
    headers[`x-ratelimit-remaining-${dimension}`] = String(b.remaining);
    headers[`x-ratelimit-reset-${dimension}`] = formatGoDuration(b.resetMs);
  }
  return headers;
}

/**
 * Anthropic's `anthropic-ratelimit-*` headers; resets are RFC 3339 times. The simulator keeps one
 * combined token budget, so the input- and output-token families mirror the tokens family.
 */
export function anthropicRateLimitHeaders(
  usage: readonly WindowUsage[],
  now: number,
): Record<string, string> {
  const headers: Record<string, string> = {};
  const families = [
    ['requests', 'requests'],
    ['tokens', 'tokens'],
    ['input-tokens', 'tokens'],
    ['output-tokens', 'tokens'],
  ] as const;
  for (const [family, dimension] of families) {
    const b = binding(usage, dimension);
    if (!b) continue;
    headers[`anthropic-ratelimit-${family}-limit`] = String(b.limit);
    headers[`anthropic-ratelimit-${family}-remaining`] = String(b.remaining);
    headers[`anthropic-ratelimit-${family}-reset`] = new Date(now + b.resetMs).toISOString();
  }
  return headers;
}

/** Both families plus Retry-After, for a 429 the limiter produced. */
export function rateLimitedHeaders(
  usage: readonly WindowUsage[],
  now: number,
  retryAfterMs: number,
): Record<string, string> {
  return {
    ...retryAfterHeaders(retryAfterMs),
    ...openaiRateLimitHeaders(usage),
    ...anthropicRateLimitHeaders(usage, now),
  };
}

/** `retry-after` in whole seconds rounded up, `retry-after-ms` exact. */
export function retryAfterHeaders(retryAfterMs: number): Record<string, string> {
  return {
    'retry-after': String(Math.ceil(retryAfterMs / 1000)),
    'retry-after-ms': String(retryAfterMs),
  };
}
