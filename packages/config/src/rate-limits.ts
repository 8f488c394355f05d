import { parseDuration } from '@switchyard/core';
import { z } from 'zod';

/** One extra sliding window, e.g. a provider's per-second sub-limit `{ window: 1s, requests: 10 }`. */
const LimitWindow = z
  .strictObject({
    /** Window length: a duration like "1s" or milliseconds. */
    window: z.union([z.number().int().min(1), z.string()]).transform((value, ctx) => {
      const ms = typeof value === 'number' ? value : parseDuration(value);
      if (ms === undefined || ms < 1) {
        ctx.addIssue({ code: 'custom', message: `${JSON.stringify(value)} is not a duration` });
        return z.NEVER;
      }
      return ms;
    }),
    /** Calls allowed in any span of `window`. */
    requests: z.number().int().min(1).optional(),
    /** Tokens (prompt estimate + max_tokens, then real usage) allowed in any span of `window`. */
    tokens: z.number().int().min(1).optional(),
  })
  .refine((w) => w.requests !== undefined || w.tokens !== undefined, {
    message: 'a window needs requests, tokens or both',
  });

/** Limits of one provider API key (`providers.<p>.limits`) or of one model on each key. */
export const RateLimitsConfig = z.strictObject({
  /** Requests per minute. */
  rpm: z.number().int().min(1).optional(),
  /** Tokens per minute. */
  tpm: z.number().int().min(1).optional(),
  /** Calls running at once. */
  max_in_flight: z.number().int().min(1).optional(),
  /** More windows of any length (a provider's per-second or per-day limits). */
  windows: z.array(LimitWindow).optional(),
});
export type RateLimitsConfig = z.infer<typeof RateLimitsConfig>;

/** A sliding-window limit as the limiter applies it. */
export interface WindowLimit {
  windowMs: number;
  requests: number | undefined;
  tokens: number | undefined;
}

/** Limits resolved for the limiter; empty `windows` and no `maxInFlight` mean "unlimited". */
export interface RateLimits {
  windows: WindowLimit[];
  maxInFlight: number | undefined;
}

export function resolveRateLimits(config: RateLimitsConfig | undefined): RateLimits {
  const windows: WindowLimit[] = [];
  if (config?.rpm !== undefined || config?.tpm !== undefined) {
    windows.push({ windowMs: 60_000, requests: config.rpm, tokens: config.tpm });
  }
  for (const w of config?.windows ?? []) {
    windows.push({ windowMs: w.window, requests: w.requests, tokens: w.tokens });
  }
  return { windows, maxInFlight: config?.max_in_flight };
}

export function hasLimits(limits: RateLimits): boolean {
  return limits.windows.length > 0 || limits.maxInFlight !== undefined;
}
