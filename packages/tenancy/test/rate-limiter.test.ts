import { randomBytes } from 'node:crypto';
import { createRedis, Keys, whenReady } from '@switchyard/redis-kit';
import { type RedisServer, startRedisServer } from '@switchyard/redis-server';
import type { Redis } from 'ioredis';
import { rateLimitHeaders, TenantRateLimiter } from '../src';

let server: RedisServer;
let redis: Redis;
let limiter: TenantRateLimiter;

beforeAll(async () => {
  server = await startRedisServer();
  redis = createRedis(server.url, 'worker');
  await whenReady(redis);
});
beforeEach(() => {
  limiter = new TenantRateLimiter(redis, new Keys(`t${randomBytes(4).toString('hex')}`));
});
afterAll(async () => {
  redis.disconnect();
  await server.stop();
});

test('a burst up to the limit passes, counting down; the next is refused with the exact wait', async () => {
  const decisions = [];
  for (let i = 0; i < 4; i++) decisions.push(await limiter.take('ten_a', 3));
  expect(decisions.map((d) => [d.allowed, d.remaining])).toEqual([
    [true, 2],
    [true, 1],
    [true, 0],
    [false, 0],
  ]);
  // One request is earned back every 60 s / 3 = 20 s; a few ms have passed since the burst.
  const refused = decisions[3]!;
  expect(refused.retryAfterMs).toBeGreaterThan(19_000);
  expect(refused.retryAfterMs).toBeLessThanOrEqual(20_000);
});

test('a refused request does not use up allowance', async () => {
  await limiter.take('ten_a', 1);
  const first = await limiter.take('ten_a', 1);
  const second = await limiter.take('ten_a', 1);
  expect(first.allowed || second.allowed).toBe(false);
  expect(second.retryAfterMs).toBeLessThanOrEqual(first.retryAfterMs);
});

test('tenants have separate allowances', async () => {
  await limiter.take('ten_a', 1);
  expect((await limiter.take('ten_b', 1)).allowed).toBe(true);
});

test('headers follow the IETF RateLimit fields, with Retry-After when refused', () => {
  expect(
    rateLimitHeaders({
      allowed: false,
      limit: 3,
      remaining: 0,
      retryAfterMs: 19_001,
      resetMs: 59_500,
      windowSeconds: 60,
    }),
  ).toEqual({
    'RateLimit-Limit': '3',
    'RateLimit-Remaining': '0',
    'RateLimit-Reset': '60',
    'RateLimit-Policy': '3;w=60',
    'Retry-After': '20',
  });
});
