import { FinishReason } from '@switchyard/core';
import type { Keys } from '@switchyard/redis-kit';
import type { Redis } from 'ioredis';
import type { ProviderResponse } from '../types';

/** How long a cached answer lives when no `ttlMs` is given: one day. */
export const RESPONSE_CACHE_TTL_MS = 24 * 3_600_000;

export interface ResponseCacheOptions {
  /**
   * How long an entry lives, in milliseconds (Redis PX), so the cache cannot grow without bound.
   * @defaultValue 86_400_000 (24 hours)
   */
  ttlMs?: number;
}

/** A response as stored in Redis and published to dedup followers: its JSON text. */
export function encodeResponse(response: ProviderResponse): string {
  // Only the known fields, so an adapter's extra properties never end up stored.
  const { text, finishReason, inputTokens, outputTokens, statusCode } = response;
  return JSON.stringify({ text, finishReason, inputTokens, outputTokens, statusCode });
}

/**
 * Reads back what `encodeResponse` wrote; undefined for anything else, so an entry written by
 * another version or damaged by hand is a miss rather than a wrong answer.
 */
export function decodeResponse(stored: string): ProviderResponse | undefined {
  let value: unknown;
  try {
    value = JSON.parse(stored);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  const fields = value as Record<string, unknown>;
  const finishReason = FinishReason.safeParse(fields.finishReason);
  const { text, inputTokens, outputTokens, statusCode } = fields;
  if (
    typeof text !== 'string' ||
    !finishReason.success ||
    typeof inputTokens !== 'number' ||
    typeof outputTokens !== 'number' ||
    typeof statusCode !== 'number'
  ) {
    return undefined;
  }
  // A stored answer says nothing about the provider's budget now.
  return {
    text,
    finishReason: finishReason.data,
    inputTokens,
    outputTokens,
    statusCode,
    exhaustedForMs: 0,
  };
}

/**
 * Exact-match cache of provider answers in Redis, keyed by `cacheKey()`. It stores whatever it
 * is given: only successful responses may be passed to `set` (the caller decides what success
 * is), or a failure would be replayed to every identical request until the entry expires.
 */
export class ResponseCache {
  readonly ttlMs: number;

  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
    options: ResponseCacheOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? RESPONSE_CACHE_TTL_MS;
  }

  /** The cached response for `key` (a `cacheKey()` hash), or undefined on a miss. */
  async get(key: string): Promise<ProviderResponse | undefined> {
    const stored = await this.redis.get(this.keys.responseCache(key));
    return stored === null ? undefined : decodeResponse(stored);
  }

  /** Stores a successful response under `key` for `ttlMs`, replacing any earlier entry. */
  async set(key: string, response: ProviderResponse): Promise<void> {
    await this.redis.set(this.keys.responseCache(key), encodeResponse(response), 'PX', this.ttlMs);
  }
}
