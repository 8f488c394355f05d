import { type RateLimitWindow, type RateLimits } from './options';

/** One window's usage as seen by a request, for the rate-limit headers. */
export interface WindowUsage {
  windowMs: number;
  requestLimit: number | undefined;
  requestsUsed: number;
  tokenLimit: number | undefined;
  tokensUsed: number;
  /** Time until every entry now in the window has expired (full replenishment). */
  resetMs: number;
}

export type LimitDecision =
  | { ok: true; usage: WindowUsage[] }
  | {
      ok: false;
      usage: WindowUsage[];
      /** The earliest moment this same request would be accepted, if nothing else arrives. */
      retryAfterMs: number;
      limitType: 'requests' | 'tokens';
      windowMs: number;
      limit: number;
      used: number;
      requested: number;
    };

/** rpm/tpm become one 60 s window, first, so it is the one reported when limits tie. */
export function windowsFromLimits(limits: RateLimits | undefined): RateLimitWindow[] {
  if (!limits) return [];
  const windows: RateLimitWindow[] = [];
  if (limits.rpm !== undefined || limits.tpm !== undefined) {
    windows.push({ windowMs: 60_000, requests: limits.rpm, tokens: limits.tpm });
  }
  return windows.concat(limits.windows ?? []);
}

/**
 * Exact sliding-window logs: every accepted request's timestamp and token cost is kept until it
 * leaves the window, so no window edge ever lets more through than the limit. A rejected request
 * is not recorded, so it costs nothing.
 */
export class RateLimiter {
  private readonly keys = new Map<string, KeyLog>();
  private readonly longestMs: number;
  private checksSinceSweep = 0;

  constructor(private readonly windows: readonly RateLimitWindow[]) {
    this.longestMs = Math.max(0, ...windows.map((w) => w.windowMs));
  }

  get active(): boolean {
    return this.windows.length > 0;
  }

  /** `now` must never go backwards between calls (the caller keeps a monotonic clock). */
  check(key: string, cost: number, now: number): LimitDecision {
    this.maybeSweep(now);
    let state = this.keys.get(key);
    if (!state) {
      state = { lastAt: now, logs: this.windows.map(() => new WindowLog()) };
      this.keys.set(key, state);
    }
    let rejection: Extract<LimitDecision, { ok: false }> | undefined;
    this.windows.forEach((window, i) => {
      const log = state.logs[i]!;
      log.evict(now - window.windowMs);
      const verdicts: Array<[number | undefined, 'requests' | 'tokens', number, number]> = [
        [window.requests, 'requests', log.count, 1],
        [window.tokens, 'tokens', log.tokens, cost],
      ];
      for (const [limit, limitType, used, requested] of verdicts) {
        if (limit === undefined || used + requested <= limit) continue;
        const freeAt =
          limitType === 'requests'
            ? log.oldest() + window.windowMs
            : log.expiryForTokens(used + requested - limit, window.windowMs, now);
        const retryAfterMs = Math.max(1, freeAt - now);
        if (!rejection || retryAfterMs > rejection.retryAfterMs) {
          rejection = {
            ok: false,
            usage: [],
            retryAfterMs,
            limitType,
            windowMs: window.windowMs,
            limit,
            used,
            requested,
          };
        }
      }
    });
    if (!rejection) {
      for (const log of state.logs) log.push(now, cost);
      state.lastAt = now;
    }
    const usage = this.windows.map((window, i): WindowUsage => {
      const log = state.logs[i]!;
      return {
        windowMs: window.windowMs,
        requestLimit: window.requests,
        requestsUsed: log.count,
        tokenLimit: window.tokens,
        tokensUsed: log.tokens,
        resetMs: log.count === 0 ? 0 : log.newest() + window.windowMs - now,
      };
    });
    return rejection ? { ...rejection, usage } : { ok: true, usage };
  }

  clear(): void {
    this.keys.clear();
  }

  // Keys idle for longer than the longest window hold nothing; drop them so a load test with
  // many keys or models does not grow memory forever.
  private maybeSweep(now: number): void {
    if (++this.checksSinceSweep < 1024) return;
    this.checksSinceSweep = 0;
    for (const [key, state] of this.keys) {
      if (state.lastAt + this.longestMs <= now) this.keys.delete(key);
    }
  }
}

interface KeyLog {
  lastAt: number;
  logs: WindowLog[];
}

/** A FIFO of (timestamp, tokens) with a running token sum; `head` avoids O(n) shifts. */
class WindowLog {
  private times: number[] = [];
  private costs: number[] = [];
  private head = 0;
  tokens = 0;

  get count(): number {
    return this.times.length - this.head;
  }

  newest(): number {
    return this.times[this.times.length - 1] ?? 0;
  }

  push(at: number, cost: number): void {
    this.times.push(at);
    this.costs.push(cost);
    this.tokens += cost;
  }

  /** Drops entries at or before `cutoff` (an entry lives for exactly windowMs). */
  evict(cutoff: number): void {
    while (this.head < this.times.length && this.times[this.head]! <= cutoff) {
      this.tokens -= this.costs[this.head]!;
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.costs = this.costs.slice(this.head);
      this.head = 0;
    }
  }

  oldest(): number {
    return this.times[this.head] ?? 0;
  }

  /** When enough of the oldest entries have left to free at least `needed` tokens. */
  expiryForTokens(needed: number, windowMs: number, now: number): number {
    let freed = 0;
    for (let i = this.head; i < this.times.length; i++) {
      freed += this.costs[i]!;
      if (freed >= needed) return this.times[i]! + windowMs;
    }
    // Larger than the whole limit: it can never fit; report a full window like a real 429 would.
    return now + windowMs;
  }
}
