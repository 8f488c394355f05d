import { randomBytes } from 'node:crypto';
import { Keys } from '@switchyard/redis-kit';
import { type RedisServer, startRedisServer } from '@switchyard/redis-server';
import { Redis } from 'ioredis';
import { CircuitBreaker, type CircuitPermit } from '../src/circuit/circuit-breaker';

// Time is driven through `now`, never by sleeping; defaults: 5 in a row, 50% of ≥ 20 calls in
// 30 s, open 30 s, probe lease 60 s.
const T0 = 1_700_000_000_000;
const TARGET = 'openai/gpt-4o-mini';
const OTHER = 'anthropic/claude-haiku';
const refusedOpen = (retryInMs: number): CircuitPermit => ({
  allowed: false,
  state: 'open',
  retryInMs,
  probe: false,
});
const refusedHalfOpen = (retryInMs: number): CircuitPermit => ({
  allowed: false,
  state: 'half_open',
  retryInMs,
  probe: false,
});
const granted: CircuitPermit = { allowed: true, state: 'closed', retryInMs: 0, probe: false };
const probe: CircuitPermit = { allowed: true, state: 'half_open', retryInMs: 0, probe: true };

let server: RedisServer;
let redis: Redis;
let other: Redis;
let keys: Keys;
beforeAll(async () => {
  server = await startRedisServer();
  redis = new Redis(server.url);
  other = new Redis(server.url);
});
beforeEach(() => {
  keys = new Keys(`t${randomBytes(4).toString('hex')}`);
});
afterAll(async () => {
  redis.disconnect();
  other.disconnect();
  await server.stop();
});

async function failTimes(breaker: CircuitBreaker, target: string, n: number, now = T0) {
  const states = [];
  for (let i = 0; i < n; i++) states.push(await breaker.record(target, 'failure', now));
  return states;
}

test('opens after consecutiveFailures failures in a row', async () => {
  const breaker = new CircuitBreaker(redis, keys);
  expect(await failTimes(breaker, TARGET, 5)).toEqual([
    'closed',
    'closed',
    'closed',
    'closed',
    'open',
  ]);
  expect(await breaker.acquire(TARGET, T0)).toEqual(refusedOpen(30_000));
});

test('a success in between resets the consecutive count', async () => {
  const breaker = new CircuitBreaker(redis, keys);
  await failTimes(breaker, TARGET, 4);
  expect(await breaker.record(TARGET, 'success', T0)).toBe('closed');
  expect(await failTimes(breaker, TARGET, 4)).toEqual(['closed', 'closed', 'closed', 'closed']);
  expect(await breaker.acquire(TARGET, T0)).toEqual(granted);
  expect(await breaker.record(TARGET, 'failure', T0)).toBe('open');
});

test('opens on the failure rate only once minCalls calls are in the window', async () => {
  const breaker = new CircuitBreaker(redis, keys, { consecutiveFailures: 100 });
  // s f s f … : 19 calls, 9 failed (47%), then 10 of 20 (50%) once the 20th fails.
  for (let i = 0; i < 19; i++) {
    expect(await breaker.record(TARGET, i % 2 === 0 ? 'success' : 'failure', T0 + i)).toBe(
      'closed',
    );
  }
  expect(await breaker.record(TARGET, 'failure', T0 + 19)).toBe('open');

  // A high rate over too few calls does not trip it: 19 of 19 failed.
  expect(await failTimes(breaker, OTHER, 19)).not.toContain('open');
  expect(await breaker.state(OTHER, T0)).toBe('closed');
});

test('calls older than the window no longer count', async () => {
  const breaker = new CircuitBreaker(redis, keys, { consecutiveFailures: 100 });
  await failTimes(breaker, TARGET, 19, T0);
  // One window later the 19 have left it: 1 failed call of 1 is under minCalls.
  expect(await breaker.record(TARGET, 'failure', T0 + 30_000)).toBe('closed');
  expect(await failTimes(breaker, TARGET, 18, T0 + 30_000)).not.toContain('open');
  expect(await breaker.record(TARGET, 'failure', T0 + 30_000)).toBe('open');
});

test('refuses while open with the time left until a probe may go', async () => {
  const breaker = new CircuitBreaker(redis, keys);
  await failTimes(breaker, TARGET, 5);
  expect(await breaker.acquire(TARGET, T0 + 10_000)).toEqual(refusedOpen(20_000));
  expect(await breaker.acquire(TARGET, T0 + 29_999)).toEqual(refusedOpen(1));
  expect(await breaker.state(TARGET, T0 + 29_999)).toBe('open');
  expect(await breaker.state(TARGET, T0 + 30_000)).toBe('half_open');
});

test('outcomes recorded while open are ignored', async () => {
  const breaker = new CircuitBreaker(redis, keys);
  await failTimes(breaker, TARGET, 5);
  // Calls let through before it opened finish late; they neither close nor extend it.
  expect(await breaker.record(TARGET, 'success', T0 + 1_000)).toBe('open');
  expect(await breaker.record(TARGET, 'failure', T0 + 2_000)).toBe('open');
  expect(await breaker.acquire(TARGET, T0 + 2_000)).toEqual(refusedOpen(28_000));
});

test('half-open grants exactly one probe among 10 concurrent acquires', async () => {
  const a = new CircuitBreaker(redis, keys);
  const b = new CircuitBreaker(other, keys);
  await failTimes(a, TARGET, 5);
  const now = T0 + 30_000;
  const permits = await Promise.all(
    Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).acquire(TARGET, now)),
  );
  expect(permits.filter((p) => p.allowed)).toEqual([probe]);
  expect(permits.filter((p) => !p.allowed)).toEqual(Array(9).fill(refusedHalfOpen(60_000)));
});

test('a probe success closes the circuit and resets its counters', async () => {
  const breaker = new CircuitBreaker(redis, keys);
  await failTimes(breaker, TARGET, 5);
  const now = T0 + 30_000;
  expect(await breaker.acquire(TARGET, now)).toEqual(probe);
  expect(await breaker.record(TARGET, 'success', now + 500)).toBe('closed');
  expect(await redis.exists(breaker.key(TARGET))).toBe(0);
  expect(await breaker.acquire(TARGET, now + 500)).toEqual(granted);
  expect(await failTimes(breaker, TARGET, 4, now + 600)).toEqual([
    'closed',
    'closed',
    'closed',
    'closed',
  ]);
});

test('a probe failure reopens the circuit for another openMs', async () => {
  const breaker = new CircuitBreaker(redis, keys);
  await failTimes(breaker, TARGET, 5);
  const probedAt = T0 + 30_000;
  expect(await breaker.acquire(TARGET, probedAt)).toEqual(probe);
  const failedAt = probedAt + 5_000;
  expect(await breaker.record(TARGET, 'failure', failedAt)).toBe('open');
  expect(await breaker.acquire(TARGET, failedAt)).toEqual(refusedOpen(30_000));
  expect(await breaker.acquire(TARGET, failedAt + 29_999)).toEqual(refusedOpen(1));
  expect(await breaker.acquire(TARGET, failedAt + 30_000)).toEqual(probe);
});

test('an expired probe lease lets another probe go', async () => {
  const breaker = new CircuitBreaker(redis, keys);
  await failTimes(breaker, TARGET, 5);
  const probedAt = T0 + 30_000;
  expect(await breaker.acquire(TARGET, probedAt)).toEqual(probe);
  // The prober crashed and never records.
  expect(await breaker.acquire(TARGET, probedAt + 59_999)).toEqual(refusedHalfOpen(1));
  expect(await breaker.acquire(TARGET, probedAt + 60_000)).toEqual(probe);
  expect(await breaker.acquire(TARGET, probedAt + 60_000)).toEqual(refusedHalfOpen(60_000));
});

test('two breakers on separate connections share the state', async () => {
  const a = new CircuitBreaker(redis, keys);
  const b = new CircuitBreaker(other, keys);
  // Failures from two workers add up to one streak.
  await failTimes(a, TARGET, 2);
  await failTimes(b, TARGET, 2);
  expect(await a.record(TARGET, 'failure', T0)).toBe('open');
  expect(await b.state(TARGET, T0)).toBe('open');
  expect(await b.acquire(TARGET, T0 + 1_000)).toEqual(refusedOpen(29_000));
  expect(await b.acquire(TARGET, T0 + 30_000)).toEqual(probe);
  expect(await a.acquire(TARGET, T0 + 30_000)).toEqual(refusedHalfOpen(60_000));
  expect(await b.record(TARGET, 'success', T0 + 31_000)).toBe('closed');
  expect(await a.state(TARGET, T0 + 31_000)).toBe('closed');
});

test('independent targets do not affect each other', async () => {
  const breaker = new CircuitBreaker(redis, keys);
  // Interleaved failures are two streaks of 4, not one of 8.
  for (let i = 0; i < 4; i++) {
    expect(await breaker.record(TARGET, 'failure', T0)).toBe('closed');
    expect(await breaker.record(OTHER, 'failure', T0)).toBe('closed');
  }
  expect(await breaker.record(TARGET, 'failure', T0)).toBe('open');
  expect(await breaker.state(OTHER, T0)).toBe('closed');
  expect(await breaker.acquire(OTHER, T0)).toEqual(granted);
  // Another namespace is another deployment: it does not see this one's circuits.
  const elsewhere = new CircuitBreaker(redis, new Keys(`${keys.namespace}-other`));
  expect(await elsewhere.acquire(TARGET, T0)).toEqual(granted);
});

test('the circuit key is one bounded hash with a TTL, so idle targets vanish', async () => {
  const breaker = new CircuitBreaker(redis, keys, { windowMs: 10_000, openMs: 5_000 });
  const key = breaker.key(TARGET);
  expect(key).toBe(`${keys.namespace}:circuit:${TARGET}`);
  // One call in each of 100 successive 1 s buckets: the ring keeps 10 slots × 3 fields + consec.
  for (let i = 0; i < 100; i++) await breaker.record(TARGET, 'success', T0 + i * 1_000);
  expect(await redis.hlen(key)).toBe(31);
  const ttl = await redis.pttl(key);
  expect(ttl).toBeGreaterThan(70_000); // windowMs + openMs + probeTimeoutMs, less a moment
  expect(ttl).toBeLessThanOrEqual(75_000);
});

test('refuses nonsensical options', () => {
  expect(() => new CircuitBreaker(redis, keys, { consecutiveFailures: 0 })).toThrow(RangeError);
  expect(() => new CircuitBreaker(redis, keys, { failureRate: 0 })).toThrow(RangeError);
  expect(() => new CircuitBreaker(redis, keys, { failureRate: 1.5 })).toThrow(RangeError);
  expect(() => new CircuitBreaker(redis, keys, { windowMs: 2.5 })).toThrow(RangeError);
});

test('successes recorded as a count weigh like as many calls in the failure rate', async () => {
  const breaker = new CircuitBreaker(redis, keys, { consecutiveFailures: 100 });
  // 12 successes at once, then failures: the rate reaches 50% at 12 failures of 24 calls.
  expect(await breaker.record(TARGET, 'success', T0, 12)).toBe('closed');
  expect(await failTimes(breaker, TARGET, 11)).not.toContain('open');
  expect(await breaker.record(TARGET, 'failure', T0)).toBe('open');
});
