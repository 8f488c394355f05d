import { randomBytes } from 'node:crypto';
import { JobRequest, newJobId } from '@switchyard/core';
import { type RedisServer, startRedisServer } from '@switchyard/redis-server';
import type { Redis } from 'ioredis';
import { createRedis, Keys, whenReady } from '@switchyard/redis-kit';
import {
  appendDelta,
  cancelByRequest,
  compareEventIds,
  isEventId,
  type JobMutation,
  type JobRecord,
  JobStore,
  newJobRecord,
  readJobStream,
  STREAM_START,
} from '../src';

// A job's event stream as the store's scripts and the worker's deltas write it (job-stream.ts).

let server: RedisServer;
let redis: Redis;
let keys: Keys;
let store: JobStore;
const RETENTION_MS = 60_000;
/** A small cap, so trimming can be seen (MAXLEN ~ trims whole nodes of 100 entries). */
const MAX_LEN = 100;

beforeAll(async () => {
  server = await startRedisServer();
  redis = createRedis(server.url, 'worker');
  await whenReady(redis);
});
beforeEach(() => {
  keys = new Keys(`t${randomBytes(4).toString('hex')}`);
  store = new JobStore(redis, keys, RETENTION_MS, MAX_LEN);
});
afterAll(async () => {
  redis.disconnect();
  await server.stop();
});

function record(now: number): JobRecord {
  return newJobRecord({
    id: newJobId(),
    tenantId: 'ten_a',
    request: JobRequest.parse({
      model: 'openai/gpt-4o-mini',
      input: { messages: [{ role: 'user', content: 'hi' }] },
    }),
    chain: ['openai/gpt-4o-mini'],
    now,
    deadlineAt: null,
  });
}

const succeed =
  (text: string, now: number): JobMutation =>
  (current) => ({
    ...current,
    status: 'succeeded',
    output: { text, finish_reason: 'stop' },
    completed_at: now,
  });

const read = (jobId: string, after = STREAM_START) =>
  readJobStream(redis, keys, jobId, after, 1_000);
/** The entries without their IDs. */
const shapes = async (jobId: string) => (await read(jobId)).map(({ id: _, ...rest }) => rest);

test('create, claim and the final write add queued, running and done, each in its own step', async () => {
  const job = record(1_000);
  await store.create(job);
  expect(await shapes(job.id)).toEqual([{ type: 'status', status: 'queued', at: 1_000 }]);
  await store.claimRun(job.id, 2_000);
  await store.update(job.id, succeed('Hello', 3_000));
  expect(await shapes(job.id)).toEqual([
    { type: 'status', status: 'queued', at: 1_000 },
    { type: 'status', status: 'running', at: 2_000 },
    { type: 'done' },
  ]);
});

test('a write that keeps the status adds nothing; a new status that is not final adds one', async () => {
  const job = record(1_000);
  await store.create(job);
  await store.claimRun(job.id, 2_000);
  await store.update(job.id, (current) => ({ ...current, hop_calls: 1 }));
  await store.update(job.id, (current) => ({ ...current, status: 'queued' }));
  const types = (await shapes(job.id)).map((entry) =>
    'status' in entry ? entry.status : entry.type,
  );
  expect(types).toEqual(['queued', 'running', 'queued']);
});

test('the stream expires with the record once the job is final, not before', async () => {
  const job = record(Date.now());
  await store.create(job);
  expect(await redis.pttl(keys.jobStream(job.id))).toBe(-1);
  await store.update(job.id, cancelByRequest(Date.now()));
  const [recordTtl, streamTtl] = await Promise.all([
    redis.pttl(keys.job(job.id)),
    redis.pttl(keys.jobStream(job.id)),
  ]);
  expect(streamTtl).toBeGreaterThan(RETENTION_MS - 5_000);
  expect(Math.abs(streamTtl - recordTtl)).toBeLessThan(1_000);
});

test('deltas go in only while the job runs, numbered from 0 across calls', async () => {
  const job = record(1_000);
  await store.create(job);
  expect(await appendDelta(redis, keys, job.id, 'early', MAX_LEN)).toBe(-1);
  await store.claimRun(job.id, 2_000);
  expect(await appendDelta(redis, keys, job.id, 'Hel', MAX_LEN)).toBe(0);
  expect(await appendDelta(redis, keys, job.id, 'lo', MAX_LEN)).toBe(1);
  await store.update(job.id, succeed('Hello', 3_000));
  expect(await appendDelta(redis, keys, job.id, 'late', MAX_LEN)).toBe(-1);
  expect(await shapes(job.id)).toEqual([
    { type: 'status', status: 'queued', at: 1_000 },
    { type: 'status', status: 'running', at: 2_000 },
    { type: 'delta', index: 0, text: 'Hel' },
    { type: 'delta', index: 1, text: 'lo' },
    { type: 'done' },
  ]);
});

test('reading after an ID gives exactly the entries after it', async () => {
  const job = record(1_000);
  await store.create(job);
  await store.claimRun(job.id, 2_000);
  for (const text of ['a', 'b', 'c']) await appendDelta(redis, keys, job.id, text, MAX_LEN);
  const all = await read(job.id);
  for (let i = 0; i < all.length; i++) {
    expect(await read(job.id, all[i]!.id)).toEqual(all.slice(i + 1));
  }
  const ids = all.map((entry) => entry.id);
  expect(ids.every(isEventId)).toBe(true);
  expect([...ids].sort(compareEventIds)).toEqual(ids);
});

test('a job listened to: the call note says so, and text that never streamed comes as one delta', async () => {
  const job = record(1_000);
  await store.create(job);
  await store.claimRun(job.id, 2_000);
  expect(await store.noteCall(job.id, '{}')).toEqual({ listened: false });
  await store.markListened(job.id);
  expect(await store.noteCall(job.id, '{}')).toEqual({ listened: true });
  await store.update(job.id, succeed('All at once', 3_000));
  expect((await shapes(job.id)).slice(2)).toEqual([
    { type: 'delta', index: 0, text: 'All at once' },
    { type: 'done' },
  ]);
});

test('a job listened to whose call streamed gets no second copy of its text', async () => {
  const job = record(1_000);
  await store.create(job);
  await store.markListened(job.id);
  await store.claimRun(job.id, 2_000);
  await appendDelta(redis, keys, job.id, 'Streamed', MAX_LEN);
  await store.update(job.id, succeed('Streamed', 3_000));
  expect((await shapes(job.id)).slice(2)).toEqual([
    { type: 'delta', index: 0, text: 'Streamed' },
    { type: 'done' },
  ]);
});

test('marking a job that is gone recreates nothing', async () => {
  const id = newJobId();
  await store.markListened(id);
  expect(await redis.exists(keys.job(id))).toBe(0);
});

test('a runaway output is trimmed near the cap, the newest kept', async () => {
  const job = record(1_000);
  await store.create(job);
  await store.claimRun(job.id, 2_000);
  for (let i = 0; i < 5 * MAX_LEN; i++) await appendDelta(redis, keys, job.id, `t${i} `, MAX_LEN);
  const length = await redis.xlen(keys.jobStream(job.id));
  expect(length).toBeGreaterThanOrEqual(MAX_LEN);
  expect(length).toBeLessThan(3 * MAX_LEN);
  const last = (await read(job.id)).at(-1)!;
  expect(last).toMatchObject({ type: 'delta', index: 5 * MAX_LEN - 1 });
});

test('a rolled-back submit removes the stream with the record', async () => {
  const job = record(1_000);
  await store.create(job);
  await store.remove(job);
  expect(await redis.exists(keys.jobStream(job.id))).toBe(0);
});
