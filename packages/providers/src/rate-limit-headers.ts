/**
 * A provider's own account of its limits, read from any response: when a budget is spent
 * (remaining 0), how long until it resets. Calls before then would only earn 429s, so the
 * shared limiter holds the key and model that long for every process.
 *
 * OpenAI: `x-ratelimit-remaining-{requests,tokens}` with `x-ratelimit-reset-{requests,tokens}`
 * as Go durations ("1s", "6m0s", "20ms"). Anthropic: `anthropic-ratelimit-{requests,tokens,
 * input-tokens,output-tokens}-remaining` with `…-reset` as RFC 3339 instants.
 *
 * OpenAI's durations count from when the provider took the request, not from when its answer
 * arrived, which for a completion is seconds later: they are counted from `sentAt` (when the
 * request left). Counted from the answer, every "spent" budget was held a call's latency too
 * long, and a limited key served only 0.57 of its limit at 1 s latency (`npm run bench`).
 */
export function exhaustedForMs(headers: Headers, now: number, sentAt = now): number {
  let wait = 0;
  for (const kind of ['requests', 'tokens']) {
    if (headers.get(`x-ratelimit-remaining-${kind}`) === '0') {
      const resetMs = goDurationMs(headers.get(`x-ratelimit-reset-${kind}`)) ?? 0;
      wait = Math.max(wait, sentAt + resetMs - now);
    }
  }
  for (const kind of ['requests', 'tokens', 'input-tokens', 'output-tokens']) {
    if (headers.get(`anthropic-ratelimit-${kind}-remaining`) === '0') {
      const reset = Date.parse(headers.get(`anthropic-ratelimit-${kind}-reset`) ?? '');
      if (!Number.isNaN(reset)) wait = Math.max(wait, reset - now);
    }
  }
  return Math.max(0, Math.ceil(wait));
}

const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1, us: 0.001 };

/** "1h2m3.5s", "6m0s", "20ms" → milliseconds; undefined when it is not such a duration. */
export function goDurationMs(text: string | null): number | undefined {
  if (!text || !/^(\d+(\.\d+)?(h|ms|us|m|s))+$/.test(text)) return undefined;
  let total = 0;
  for (const [, amount, , unit] of text.matchAll(/(\d+(\.\d+)?)(h|ms|us|m|s)/g)) {
    total += Number(amount) * UNIT_MS[unit!]!;
  }
  return total;
}
