import { randomBytes } from 'node:crypto';
import { JobRequest, newJobId } from '@switchyard/core';
import { type RedisServer, startRedisServer } from '@switchyard/redis-server';
import type { Redis } from 'ioredis';
import { createRedis, Keys, whenReady } from '@switchyard/redis-kit';
import { cancelByRequest, type JobRecord, JobStore, JobWatcher, newJobRecord } from '../src';

let server: RedisServer;
let redis: Redis;
let subscriber: Redis;
let keys: Keys;
let store: JobStore;
const RETENTION_MS = 60_000;

beforeAll(async () => {
  server = await startRedisServer();
  redis = createRedis(server.url, 'worker');
  subscriber = createRedis(server.url, 'subscriber');
  await Promise.all([whenReady(redis), whenReady(subscriber)]);
});
beforeEach(() => {
  keys = new Keys(`t${randomBytes(4).toString('hex')}`);
  store = new JobStore(redis, keys, RETENTION_MS);
});
afterAll(async () => {
  redis.disconnect();
  subscriber.disconnect();
  await server.stop();
});

const request = JobRequest.parse({
  model: 'openai/gpt-4o-mini',
  input: { messages: [{ role: 'user', content: 'hi' }] },
});
function record(tenantId: string, now: number, id = newJobId()): JobRecord {
  return newJobRecord({
    id,
    tenantId,
    request,
    chain: ['openai/gpt-4o-mini'],
    now,
    deadlineAt: null,
  });
}

test('create then get returns the record; a second create with the same ID is refused', async () => {
  const job = record('ten_a', 1_000);
  expect(await store.create(job)).toBe('created');
  expect(await store.get(job.id)).toEqual(job);
  expect(await store.create({ ...job, tenant_id: 'ten_b' })).toBe('exists');
  expect((await store.get(job.id))?.tenant_id).toBe('ten_a');
});

test('another tenant cannot read the record', async () => {
  const job = record('ten_a', 1_000);
  await store.create(job);
  expect(await store.getForTenant('ten_b', job.id)).toBeUndefined();
  expect((await store.getForTenant('ten_a', job.id))?.id).toBe(job.id);
});

test('claimRun starts a queued job in one step: status, revision, index and event', async () => {
  const job = record('ten_a', Date.now());
  await store.create(job);
  const watcher = new JobWatcher(subscriber, keys);
  const events: unknown[] = [];
  const unwatch = await watcher.watch(job.id, (event) => events.push(event));
  const started = await store.claimRun(job.id, 5_000);
  expect(started).toEqual({ ...job, status: 'running', rev: 2, started_at: 5_000 });
  expect(await store.get(job.id)).toEqual(started);
  expect(await redis.zrange(keys.tenantJobsByStatus('ten_a', 'queued'), 0, -1)).toEqual([]);
  expect(await redis.zrange(keys.tenantJobsByStatus('ten_a', 'running'), 0, -1)).toEqual([job.id]);
  await store.update(job.id, cancelByRequest(6_000), started);
  await watcher.waitForFinal(job.id, 5_000, async () => events.length === 2);
  unwatch();
  expect(events).toEqual([
    { type: 'status', status: 'running', rev: 2 },
    { type: 'status', status: 'canceled', rev: 3 },
  ]);
});

test('claimRun leaves ended jobs, running jobs and jobs past their deadline as they are', async () => {
  const ended = record('ten_a', Date.now());
  await store.create(ended);
  await store.update(ended.id, cancelByRequest(2_000));
  expect(await store.claimRun(ended.id, 3_000)).toMatchObject({
    status: 'canceled',
    rev: 2,
    started_at: null,
  });

  const twice = record('ten_a', Date.now());
  await store.create(twice);
  await store.claimRun(twice.id, 4_000);
  expect(await store.claimRun(twice.id, 5_000)).toMatchObject({
    status: 'running',
    rev: 2,
    started_at: 4_000,
  });

  const late = { ...record('ten_a', 1_000), deadline_at: 2_000 };
  await store.create(late);
  expect(await store.claimRun(late.id, 2_000)).toMatchObject({ status: 'queued', rev: 1 });
  expect(await store.claimRun('job_missing', 1)).toBeUndefined();
});

test('a mutation that declines leaves the record untouched', async () => {
  const job = record('ten_a', Date.now());
  await store.create(job);
  await store.update(job.id, cancelByRequest(2_000));
  const again = await store.update(job.id, cancelByRequest(3_000));
  expect(again).toMatchObject({ changed: false, record: { status: 'canceled', rev: 2 } });
});

test('a writer holding a stale record is corrected by one re-read, not overwritten', async () => {
  const job = record('ten_a', Date.now());
  await store.create(job);
  const stale = (await store.get(job.id))!;
  await store.update(job.id, cancelByRequest(2_000));
  const result = await store.update(job.id, (current) => ({ ...current, hop: 9 }), stale);
  expect(result).toMatchObject({ changed: true, record: { status: 'canceled', hop: 9, rev: 3 } });
});

test('concurrent writers never lose an update: each mutation sees the other’s result', async () => {
  const job = record('ten_a', Date.now());
  await store.create(job);
  await Promise.all(
    Array.from({ length: 25 }, (_, i) =>
      store.update(job.id, (current) => ({
        ...current,
        hop_calls: current.hop_calls + 1,
        attempts: [
          ...current.attempts,
          {
            provider: String(i),
            model: 'm',
            outcome: 'retryable_error',
            status_code: 500,
            latency_ms: 1,
            started_at: new Date(0).toISOString(),
            error: null,
            retry_after_ms: null,
          },
        ],
      })),
    ),
  );
  const final = await store.get(job.id);
  expect([final?.hop_calls, final?.attempts.length, final?.rev]).toEqual([25, 25, 26]);
});

test('a final status sets the retention TTL', async () => {
  const job = record('ten_a', Date.now());
  await store.create(job);
  expect(await redis.pttl(keys.job(job.id))).toBe(-1);
  await store.update(job.id, cancelByRequest(Date.now()));
  const ttl = await redis.pttl(keys.job(job.id));
  expect(ttl).toBeGreaterThan(RETENTION_MS - 5_000);
  expect(ttl).toBeLessThanOrEqual(RETENTION_MS);
});

test('index entries of expired jobs are swept; the jobs still running stay listed', async () => {
  const now = Date.now();
  const [a, b, c] = [record('ten_a', now), record('ten_a', now + 1), record('ten_a', now + 2)];
  for (const job of [a, b, c]) await store.create(job);
  await store.update(a.id, cancelByRequest(now));
  await store.update(b.id, cancelByRequest(now));
  expect(await store.sweepExpired(now)).toBe(0); // their time has not come
  expect(await store.sweepExpired(now + RETENTION_MS + 60_000, 1)).toBe(2); // batches of one
  for (const index of [keys.tenantJobs('ten_a'), keys.tenantJobsByStatus('ten_a', 'canceled')]) {
    expect(await redis.zrange(index, 0, -1)).toEqual(index.endsWith('canceled') ? [] : [c.id]);
  }
  expect(await redis.zcard(keys.expiring)).toBe(0);
});

test('update publishes the change on the job’s channel', async () => {
  const job = record('ten_a', Date.now());
  await store.create(job);
  const watcher = new JobWatcher(subscriber, keys);
  const events: unknown[] = [];
  const unwatch = await watcher.watch(job.id, (event) => events.push(event));
  await store.claimRun(job.id, 1);
  await store.update(job.id, cancelByRequest(2));
  await watcher.waitForFinal(
    job.id,
    5_000,
    async () => (await store.get(job.id))?.status === 'canceled',
  );
  unwatch();
  expect(events).toEqual([
    { type: 'status', status: 'running', rev: 2 },
    { type: 'status', status: 'canceled', rev: 3 },
  ]);
});

describe('list', () => {
  test('newest first, paged by cursor, ties on the same millisecond included exactly once', async () => {
    const now = Date.now();
    const jobs = [0, 1, 1, 1, 2, 3, 3].map((offset) => record('ten_a', now + offset));
    for (const job of jobs) await store.create(job);
    await store.create(record('ten_other', now + 5));

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.list('ten_a', { limit: 2, cursor });
      seen.push(...page.records.map((job) => job.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);

    const expected = [...jobs]
      .sort((a, b) => b.created_at - a.created_at || (a.id < b.id ? 1 : -1))
      .map((job) => job.id);
    expect(seen).toEqual(expected);
  });

  test('filters by status and drops expired members', async () => {
    const a = record('ten_a', Date.now());
    const b = record('ten_a', Date.now() + 1);
    await store.create(a);
    await store.create(b);
    await store.update(a.id, cancelByRequest(Date.now()));
    expect(
      (await store.list('ten_a', { status: 'canceled', limit: 10 })).records.map((j) => j.id),
    ).toEqual([a.id]);
    expect(
      (await store.list('ten_a', { status: 'queued', limit: 10 })).records.map((j) => j.id),
    ).toEqual([b.id]);

    await redis.del(keys.job(b.id)); // as retention expiry does
    expect((await store.list('ten_a', { limit: 10 })).records.map((j) => j.id)).toEqual([a.id]);
    expect(await redis.zscore(keys.tenantJobs('ten_a'), b.id)).toBeNull();
  });

  test('lists a job as it stands now, started by claimRun included', async () => {
    const job = record('ten_a', Date.now());
    await store.create(job);
    await store.claimRun(job.id, 7_000);
    expect((await store.list('ten_a', { status: 'running', limit: 10 })).records).toEqual([
      { ...job, status: 'running', rev: 2, started_at: 7_000 },
    ]);
  });

  test('the last page has no cursor', async () => {
    await store.create(record('ten_a', Date.now()));
    expect(await store.list('ten_a', { limit: 1 })).toMatchObject({ nextCursor: null });
  });
});

test('remove undoes a create even when Redis is full (a MULTI is refused there, DEL included)', async () => {
  const job = record('ten_full', Date.now());
  expect(await store.create(job)).toBe('created');
  await redis.config('SET', 'maxmemory', '1');
  try {
    // Full: a new write is refused, so this is the state a failed enqueue leaves.
    await expect(redis.set(`${keys.job('')}probe`, '1')).rejects.toThrow(/OOM/);
    await store.remove(job);
  } finally {
    await redis.config('SET', 'maxmemory', '0');
  }
  expect(await store.get(job.id)).toBeUndefined();
  expect(await redis.exists(keys.jobStream(job.id))).toBe(0);
  expect(await redis.zscore(keys.pendingEnqueue, job.id)).toBeNull();
  expect(await redis.zscore(keys.tenantJobs('ten_full'), job.id)).toBeNull();
});
