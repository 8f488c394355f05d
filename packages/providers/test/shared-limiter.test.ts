import { Keys } from '@switchyard/redis-kit';
import { type RedisServer, startRedisServer } from '@switchyard/redis-server';
import { Redis } from 'ioredis';
import { type LimitGroup, limitRules, SharedLimiter } from '../src';

let server: RedisServer;
let redis: Redis;
let other: Redis;
beforeAll(async () => {
  server = await startRedisServer();
  redis = new Redis(server.url);
  other = new Redis(server.url);
});
afterAll(async () => {
  redis.disconnect();
  other.disconnect();
  await server.stop();
});

const none = { windows: [], maxInFlight: undefined };
let run = 0;
/** A fresh namespace per test, one group per key id. */
function groups(
  providerLimits: Parameters<typeof limitRules>[2],
  modelLimits: Parameters<typeof limitRules>[3] = none,
  keyIds = ['k1'],
): LimitGroup[] {
  const keys = new Keys(`lim${++run}`);
  return keyIds.map((keyId, keyIndex) => ({
    keyIndex,
    rules: limitRules(keys, { provider: 'openai', model: 'm', keyId }, providerLimits, modelLimits),
  }));
}
const perSecond = (requests: number) => ({
  windows: [{ windowMs: 1_000, requests, tokens: undefined }],
  maxInFlight: undefined,
});

test('two processes sharing a 10-per-second limit admit exactly 10 in a second, then say when', async () => {
  const group = groups(perSecond(10));
  const limiters = [
    new SharedLimiter(redis, { marginMs: 0 }),
    new SharedLimiter(other, { marginMs: 0 }),
  ];
  const t0 = 1_000_000;
  const results = [];
  // One call every 60 ms: further apart than the smoothing (50 ms), faster than the limit.
  for (let i = 0; i < 14; i++) {
    results.push(await limiters[i % 2]!.acquire(group, 1, `call-${i}`, t0 + i * 60));
  }
  expect(results.map((r) => r.admitted)).toEqual([
    ...Array(10).fill(true),
    ...Array(4).fill(false),
  ]);
  // The first admission (at t0) leaves the window at t0 + 1000; the 11th asks at t0 + 600.
  expect(results[10]).toEqual({ admitted: false, waitMs: 401 });
  expect((await limiters[0]!.acquire(group, 1, 'late', t0 + 1_001)).admitted).toBe(true);
});

test('a burst is smoothed: calls start at least half of window/limit apart', async () => {
  const group = groups(perSecond(10));
  const limiter = new SharedLimiter(redis, { marginMs: 0 });
  expect((await limiter.acquire(group, 1, 'a', 0)).admitted).toBe(true);
  expect(await limiter.acquire(group, 1, 'b', 10)).toEqual({ admitted: false, waitMs: 40 });
  expect((await limiter.acquire(group, 1, 'b', 50)).admitted).toBe(true);
});

test('a call dated later (a cold first call) holds the window longer', async () => {
  const group = groups(perSecond(1));
  const limiter = new SharedLimiter(redis, { marginMs: 0 });
  expect((await limiter.acquire(group, 1, 'a', 0, 100)).admitted).toBe(true);
  expect(await limiter.acquire(group, 1, 'b', 1_000)).toEqual({ admitted: false, waitMs: 101 });
});

test('the margin widens every window', async () => {
  const group = groups(perSecond(1));
  const limiter = new SharedLimiter(redis, { marginMs: 15 });
  expect((await limiter.acquire(group, 1, 'a', 0)).admitted).toBe(true);
  expect(await limiter.acquire(group, 1, 'b', 1_000)).toEqual({ admitted: false, waitMs: 16 });
  expect((await limiter.acquire(group, 1, 'c', 1_016)).admitted).toBe(true);
});

test('tokens: the estimate is charged, then real usage replaces it', async () => {
  const limits = {
    windows: [{ windowMs: 60_000, requests: undefined, tokens: 1_000 }],
    maxInFlight: undefined,
  };
  const group = groups(limits);
  const limiter = new SharedLimiter(redis, { marginMs: 0 });
  const first = await limiter.acquire(group, 800, 'a', 10_000);
  expect(first.admitted).toBe(true);
  expect((await limiter.acquire(group, 300, 'b', 10_001)).admitted).toBe(false);
  // The call used 200 tokens, not 800: 600 come back.
  await limiter.settle(group[0]!, 10_000, 'a', 200 - 800);
  expect((await limiter.acquire(group, 300, 'b', 10_002)).admitted).toBe(true);
});

test('model limits count on top of the key limits', async () => {
  const group = groups(perSecond(100), perSecond(2));
  const limiter = new SharedLimiter(redis, { marginMs: 0 });
  const admitted = [];
  for (let i = 0; i < 3; i++)
    admitted.push((await limiter.acquire(group, 1, `c${i}`, 5_000 + i * 300)).admitted);
  expect(admitted).toEqual([true, true, false]);
});

test('max in flight: a settled call frees its slot', async () => {
  const group = groups({ windows: [], maxInFlight: 2 });
  const limiter = new SharedLimiter(redis, { leaseMs: 60_000 });
  expect((await limiter.acquire(group, 1, 'a', 1)).admitted).toBe(true);
  expect((await limiter.acquire(group, 1, 'b', 2)).admitted).toBe(true);
  expect((await limiter.acquire(group, 1, 'c', 3)).admitted).toBe(false);
  await limiter.settle(group[0]!, 1, 'a', 0);
  expect((await limiter.acquire(group, 1, 'c', 4)).admitted).toBe(true);
  // A lease whose worker never settles lapses by itself.
  expect((await limiter.acquire(group, 1, 'd', 60_003)).admitted).toBe(true);
});

test('a hold (after a 429) stops every call on that key until it ends', async () => {
  const group = groups(perSecond(100));
  const limiter = new SharedLimiter(redis, { marginMs: 0 });
  await limiter.hold(group[0]!, 7_500, 5_000);
  expect(await limiter.acquire(group, 1, 'a', 5_000)).toEqual({ admitted: false, waitMs: 2_500 });
  await limiter.hold(group[0]!, 6_000, 5_000); // an earlier end never shortens a hold
  expect(await limiter.acquire(group, 1, 'a', 7_000)).toEqual({ admitted: false, waitMs: 500 });
  expect((await limiter.acquire(group, 1, 'a', 7_500)).admitted).toBe(true);
});

test('a spent budget our own log already counts holds nothing; one it does not count holds', async () => {
  const group = groups(perSecond(2));
  const limiter = new SharedLimiter(redis, { marginMs: 0 });
  expect((await limiter.acquire(group, 1, 'a', 1_000)).admitted).toBe(true);
  // The provider says its budget is spent while our log holds 1 of 2: it knows better, we hold.
  expect(await limiter.hold(group[0]!, 1_900, 1_100, 'spent')).toBe(true);
  expect(await limiter.acquire(group, 1, 'b', 1_200)).toEqual({ admitted: false, waitMs: 700 });
  expect((await limiter.acquire(group, 1, 'b', 1_900)).admitted).toBe(true);
  // Now our log is full (a at 1,000 and b at 1,900): the limiter already waits for its own slot
  // (a has left at 2,000, and calls go half a fair share apart: 2,150), where the header's
  // reset is when the whole window is free (2,900).
  expect(await limiter.hold(group[0]!, 2_900, 1_950, 'spent')).toBe(false);
  expect(await limiter.acquire(group, 1, 'c', 1_950)).toEqual({ admitted: false, waitMs: 200 });
  expect((await limiter.acquire(group, 1, 'c', 2_150)).admitted).toBe(true);
  // A 429 holds whatever our log says.
  expect(await limiter.hold(group[0]!, 4_000, 2_150, 'refused')).toBe(true);
  expect(await limiter.acquire(group, 1, 'd', 3_500)).toEqual({ admitted: false, waitMs: 500 });
});

test('with several keys a call goes to the first key with room', async () => {
  const group = groups(perSecond(1), none, ['k1', 'k2']);
  const limiter = new SharedLimiter(redis, { marginMs: 0 });
  const picks = [];
  for (let i = 0; i < 3; i++) {
    const result = await limiter.acquire(group, 1, `c${i}`, 100 + i);
    picks.push(result.admitted ? result.group.keyIndex : 'wait');
  }
  expect(picks).toEqual([0, 1, 'wait']);
});

test('50 concurrent admissions from two connections at one instant: exactly one goes', async () => {
  const group = groups(perSecond(10));
  const limiters = [new SharedLimiter(redis), new SharedLimiter(other)];
  const results = await Promise.all(
    Array.from({ length: 50 }, (_, i) => limiters[i % 2]!.acquire(group, 1, `c${i}`, 42_000)),
  );
  expect(results.filter((r) => r.admitted)).toHaveLength(1);
});

test('a call is dated from when its request left, never earlier', async () => {
  const group = groups(perSecond(1));
  const limiter = new SharedLimiter(redis, { marginMs: 0 });
  expect((await limiter.acquire(group, 1, 'a', 0)).admitted).toBe(true);
  await limiter.sent(group[0]!, 'a', 40);
  await limiter.sent(group[0]!, 'a', 10);
  expect(await limiter.acquire(group, 1, 'b', 1_000)).toEqual({ admitted: false, waitMs: 41 });
});
