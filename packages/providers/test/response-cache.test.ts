import { Keys } from '@switchyard/redis-kit';
import { type RedisServer, startRedisServer } from '@switchyard/redis-server';
import { Redis } from 'ioredis';
import { cacheKey } from '../src/cache/cache-key';
import { RESPONSE_CACHE_TTL_MS, ResponseCache } from '../src/cache/response-cache';
import type { ProviderRequest, ProviderResponse } from '../src/types';

const REQUEST: ProviderRequest = {
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'Hello' }],
  maxTokens: 64,
  temperature: 0.2,
};
const RESPONSE: ProviderResponse = {
  text: 'Hi!',
  finishReason: 'stop',
  inputTokens: 5,
  outputTokens: 2,
  statusCode: 200,
  exhaustedForMs: 0,
};
const base = { target: 'openai/gpt-4o-mini', request: REQUEST, tenantId: 'ten_a' };

describe('cacheKey', () => {
  test('is a sha256 hex digest, the same for the same content in any key order', () => {
    const reordered: ProviderRequest = {
      temperature: 0.2,
      maxTokens: 64,
      messages: [{ content: 'Hello', role: 'user' }],
      model: 'gpt-4o-mini',
    };
    expect(cacheKey(base)).toMatch(/^[0-9a-f]{64}$/);
    expect(cacheKey({ ...base, request: reordered })).toBe(cacheKey(base));
  });

  test('an undefined parameter is the same as an absent one', () => {
    const bare: ProviderRequest = { model: 'm', messages: REQUEST.messages };
    const undefinedParams: ProviderRequest = {
      ...bare,
      temperature: undefined,
      topP: undefined,
      stop: undefined,
      maxTokens: undefined,
    };
    expect(cacheKey({ ...base, request: undefinedParams })).toBe(
      cacheKey({ ...base, request: bare }),
    );
  });

  test('is scoped by tenant unless shared, and shared keys ignore the tenant', () => {
    const other = { ...base, tenantId: 'ten_b' };
    expect(cacheKey(other)).not.toBe(cacheKey(base));
    expect(cacheKey({ ...other, shared: true })).toBe(cacheKey({ ...base, shared: true }));
    expect(cacheKey({ ...base, shared: true })).not.toBe(cacheKey(base));
  });

  test('every parameter, message and the target change the key', () => {
    const variants: Array<Parameters<typeof cacheKey>[0]> = [
      { ...base, target: 'anthropic/gpt-4o-mini' },
      { ...base, request: { ...REQUEST, maxTokens: 65 } },
      { ...base, request: { ...REQUEST, temperature: 0.3 } },
      { ...base, request: { ...REQUEST, topP: 0.9 } },
      { ...base, request: { ...REQUEST, stop: ['\n'] } },
      { ...base, request: { ...REQUEST, messages: [{ role: 'user', content: 'Hello!' }] } },
      { ...base, request: { ...REQUEST, messages: [{ role: 'system', content: 'Hello' }] } },
    ];
    const keys = new Set([cacheKey(base), ...variants.map((variant) => cacheKey(variant))]);
    expect(keys.size).toBe(variants.length + 1);
  });
});

describe('ResponseCache', () => {
  let server: RedisServer;
  let redis: Redis;
  beforeAll(async () => {
    server = await startRedisServer();
    redis = new Redis(server.url);
  });
  afterAll(async () => {
    redis.disconnect();
    await server.stop();
  });

  test('a set response is read back, stored as compact JSON under <ns>:cache:<key>', async () => {
    const cache = new ResponseCache(redis, new Keys('rc-roundtrip'));
    expect(await cache.get('abc')).toBeUndefined();
    await cache.set('abc', RESPONSE);
    expect(await cache.get('abc')).toEqual(RESPONSE);
    expect(await redis.get('rc-roundtrip:cache:abc')).toBe(
      '{"text":"Hi!","finishReason":"stop","inputTokens":5,"outputTokens":2,"statusCode":200}',
    );
  });

  test('entries expire after ttlMs, 24 hours by default', async () => {
    const custom = new ResponseCache(redis, new Keys('rc-ttl'), { ttlMs: 60_000 });
    await custom.set('short', RESPONSE);
    const short = await redis.pttl('rc-ttl:cache:short');
    expect(short).toBeGreaterThan(55_000);
    expect(short).toBeLessThanOrEqual(60_000);
    await new ResponseCache(redis, new Keys('rc-ttl')).set('long', RESPONSE);
    const long = await redis.pttl('rc-ttl:cache:long');
    expect(RESPONSE_CACHE_TTL_MS).toBe(86_400_000);
    expect(long).toBeGreaterThan(RESPONSE_CACHE_TTL_MS - 5_000);
    expect(long).toBeLessThanOrEqual(RESPONSE_CACHE_TTL_MS);
  });

  test('an entry that is not a stored response is a miss', async () => {
    const cache = new ResponseCache(redis, new Keys('rc-bad'));
    await redis.set('rc-bad:cache:garbage', 'not json');
    await redis.set('rc-bad:cache:partial', '{"text":"x","finishReason":"nope"}');
    expect(await cache.get('garbage')).toBeUndefined();
    expect(await cache.get('partial')).toBeUndefined();
  });
});
