import { LuaScript, type Keys } from '@switchyard/redis-kit';
import type { Redis } from 'ioredis';

/**
 * GCRA (the generic cell rate algorithm): one stored timestamp per tenant, exact at any instant
 * (no fixed-window burst at window edges), with a burst allowance of `limit`. The clock is
 * Redis's own TIME, so every API replica agrees.
 * Returns {allowed (0/1), remaining, retry after ms, reset ms}.
 */
const gcraScript = new LuaScript({
  keys: ['state'],
  args: ['limit', 'period_ms'],
  source: `
local limit = tonumber(ARG.limit)
local period = tonumber(ARG.period_ms)
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = period / limit
local tat = tonumber(redis.call('GET', KEY.state) or now)
if tat < now then tat = now end
local next_tat = tat + interval
local allow_at = next_tat - period
if now < allow_at then
  return {0, 0, math.ceil(allow_at - now), math.ceil(tat - now)}
end
redis.call('SET', KEY.state, tostring(next_tat), 'PX', math.ceil(next_tat - now))
return {1, math.floor((now - allow_at) / interval), 0, math.ceil(next_tat - now)}
`,
});

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Milliseconds until one more request would be allowed (0 when allowed). */
  retryAfterMs: number;
  /** Milliseconds until the full burst is available again. */
  resetMs: number;
  /** Window of the policy in seconds (for `RateLimit-Policy`). */
  windowSeconds: number;
}

/** Per-tenant request rate limiting, shared by every API replica through Redis. */
export class TenantRateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
  ) {}

  /** Takes one request from the tenant's allowance of `perMinute`. */
  async take(tenantId: string, perMinute: number): Promise<RateLimitDecision> {
    const [allowed, remaining, retryAfterMs, resetMs] = (await gcraScript.run(
      this.redis,
      { state: this.keys.rateLimit(tenantId) },
      { limit: perMinute, period_ms: 60_000 },
    )) as [number, number, number, number];
    return {
      allowed: allowed === 1,
      limit: perMinute,
      remaining,
      retryAfterMs,
      resetMs,
      windowSeconds: 60,
    };
  }
}

/** The IETF `RateLimit-*` headers (draft-ietf-httpapi-ratelimit-headers) of a decision. */
export function rateLimitHeaders(decision: RateLimitDecision): Record<string, string> {
  const headers: Record<string, string> = {
    'RateLimit-Limit': String(decision.limit),
    'RateLimit-Remaining': String(decision.remaining),
    'RateLimit-Reset': String(Math.ceil(decision.resetMs / 1_000)),
    'RateLimit-Policy': `${decision.limit};w=${decision.windowSeconds}`,
  };
  if (!decision.allowed) headers['Retry-After'] = String(Math.ceil(decision.retryAfterMs / 1_000));
  return headers;
}
