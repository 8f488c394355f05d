import { randomBytes } from 'node:crypto';
import { sha256Hex } from '@switchyard/core';
import { type RedisServer, startRedisServer } from '@switchyard/redis-server';
import type { Redis } from 'ioredis';
import { createRedis, Keys, whenReady } from '@switchyard/redis-kit';
import { IDEMPOTENCY_LEASE_MS, IDEMPOTENCY_TTL_MS, IdempotencyStore } from '../src';

let server: RedisServer;
let redis: Redis;
let store: IdempotencyStore;
let keys: Keys;
/** The job records that exist, as the job store would answer. */
const existing = new Set<string>();
const jobExists = async (jobId: string) => existing.has(jobId);

beforeAll(async () => {
  server = await startRedisServer();
  redis = createRedis(server.url, 'worker');
  await whenReady(redis);
});
beforeEach(() => {
  keys = new Keys(`t${randomBytes(4).toString('hex')}`);
  store = new IdempotencyStore(redis, keys);
  existing.clear();
});
afterAll(async () => {
  redis.disconnect();
  await server.stop();
});

const ttlOf = (idempotencyKey: string) =>
  redis.pttl(keys.idempotency('ten_a', sha256Hex(idempotencyKey)));

test('of many concurrent claims exactly one wins; the rest see it in flight', async () => {
  const claims = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      store.claim('ten_a', 'key-1', 'hash-1', `job_${i}`, jobExists),
    ),
  );
  expect(claims.filter((c) => c.kind === 'claimed')).toHaveLength(1);
  expect(claims.filter((c) => c.kind === 'in_flight')).toHaveLength(19);
});

test('an unfinished claim is a short lease; commit makes it last 24 hours', async () => {
  const first = await store.claim('ten_a', 'key-1', 'hash-1', 'job_first', jobExists);
  if (first.kind !== 'claimed') throw new Error('expected a claim');
  expect(await ttlOf('key-1')).toBeLessThanOrEqual(IDEMPOTENCY_LEASE_MS);
  await first.commit();
  expect(await ttlOf('key-1')).toBeGreaterThan(IDEMPOTENCY_TTL_MS - 10_000);
});

test('after commit the same key and body replay the first job; another body is a mismatch', async () => {
  const first = await store.claim('ten_a', 'key-1', 'hash-1', 'job_first', jobExists);
  if (first.kind !== 'claimed') throw new Error('expected a claim');
  await first.commit();
  expect(await store.claim('ten_a', 'key-1', 'hash-1', 'job_second', jobExists)).toEqual({
    kind: 'replay',
    jobId: 'job_first',
  });
  expect(await store.claim('ten_a', 'key-1', 'hash-2', 'job_third', jobExists)).toEqual({
    kind: 'mismatch',
  });
});

test('a claimant that created its job but never committed is replayed, and its claim finished', async () => {
  await store.claim('ten_a', 'key-1', 'hash-1', 'job_first', jobExists); // ... then the API died
  expect(await store.claim('ten_a', 'key-1', 'hash-1', 'job_second', jobExists)).toEqual({
    kind: 'in_flight',
  });
  existing.add('job_first'); // it had got as far as creating the job
  expect(await store.claim('ten_a', 'key-1', 'hash-1', 'job_third', jobExists)).toEqual({
    kind: 'replay',
    jobId: 'job_first',
  });
  expect(await ttlOf('key-1')).toBeGreaterThan(IDEMPOTENCY_TTL_MS - 10_000);
});

test('a released claim can be claimed again', async () => {
  const first = await store.claim('ten_a', 'key-1', 'hash-1', 'job_first', jobExists);
  if (first.kind !== 'claimed') throw new Error('expected a claim');
  await first.release();
  expect((await store.claim('ten_a', 'key-1', 'hash-1', 'job_second', jobExists)).kind).toBe(
    'claimed',
  );
});

test('keys are per tenant', async () => {
  const a = await store.claim('ten_a', 'key-1', 'hash-1', 'job_a', jobExists);
  const b = await store.claim('ten_b', 'key-1', 'hash-other', 'job_b', jobExists);
  expect([a.kind, b.kind]).toEqual(['claimed', 'claimed']);
});
