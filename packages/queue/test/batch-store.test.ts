import { randomBytes } from 'node:crypto';
import { type Attempt, JobRequest, newBatchId, newJobId } from '@switchyard/core';
import { type RedisServer, startRedisServer } from '@switchyard/redis-server';
import { createRedis, Keys, whenReady } from '@switchyard/redis-kit';
import type { Redis } from 'ioredis';
import {
  appendAttempt,
  type BatchRecord,
  BatchStore,
  cancelByRequest,
  EnqueueReconciler,
  fail,
  type JobRecord,
  JobQueues,
  JobStore,
  newJobRecord,
  succeed,
} from '../src';

let server: RedisServer;
let redis: Redis;
let keys: Keys;
let store: JobStore;
let batches: BatchStore;
const RETENTION_MS = 60_000;

beforeAll(async () => {
  server = await startRedisServer();
  redis = createRedis(server.url, 'worker');
  await whenReady(redis);
});
beforeEach(async () => {
  keys = new Keys(`t${randomBytes(4).toString('hex')}`);
  store = new JobStore(redis, keys, RETENTION_MS);
  batches = new BatchStore(redis, keys);
  await batches.prepare();
});
afterAll(async () => {
  redis.disconnect();
  await server.stop();
});

const request = JobRequest.parse({
  model: 'openai/gpt-4o-mini',
  input: { messages: [{ role: 'user', content: 'hi' }] },
  priority: 'batch',
});

function batchOf(size: number, webhook: string | null = null, now = 1_000) {
  const id = newBatchId();
  const batch: BatchRecord = {
    id,
    tenant_id: 'ten_a',
    status: 'in_progress',
    counts: { total: size, completed: 0, failed: 0, canceled: 0 },
    created_at: now,
    completed_at: null,
    canceled_at: null,
    metadata: { k: 'v' },
    webhook,
  };
  const records: JobRecord[] = Array.from({ length: size }, (_, i) =>
    newJobRecord({
      id: newJobId(),
      tenantId: 'ten_a',
      request,
      chain: ['openai/gpt-4o-mini'],
      now,
      deadlineAt: null,
      batch: { id, custom_id: `c${i}` },
    }),
  );
  return { batch, records };
}

const attempt: Attempt = {
  provider: 'openai',
  model: 'gpt-4o-mini',
  outcome: 'succeeded',
  status_code: 200,
  latency_ms: 1,
  started_at: new Date(2_000).toISOString(),
  error: null,
  retry_after_ms: null,
};

/** Ends job `i` one of three ways: succeeded (after a start), failed, canceled. */
async function end(record: JobRecord, i: number): Promise<void> {
  if (i % 3 === 0) {
    const running = await store.claimRun(record.id, 2_000);
    await store.update(
      record.id,
      succeed(3_000, {
        servedBy: { provider: 'openai', model: 'gpt-4o-mini' },
        output: { text: 'ok', finish_reason: 'stop' },
        usage: { input_tokens: 1, output_tokens: 1, cost_usd: 0 },
        attempt,
      }),
      running,
    );
  } else if (i % 3 === 1) {
    await store.update(record.id, fail(3_000, { type: 'provider_error', message: 'no' }));
  } else {
    await store.update(record.id, cancelByRequest(3_000));
  }
}

test('create stores the batch, its jobs in order, each pending enqueue, all in one step', async () => {
  const { batch, records } = batchOf(1_200);
  await batches.create(batch, records);
  expect(await batches.get(batch.id)).toEqual(batch);
  expect(await batches.jobIds(batch.id, 0, -1)).toEqual(records.map((r) => r.id));
  expect(await redis.zcard(keys.pendingEnqueue)).toBe(1_200);
  expect((await store.get(records[7]!.id))?.batch).toEqual({ id: batch.id, custom_id: 'c7' });
  expect(await batches.getForTenant('ten_other', batch.id)).toBeUndefined();
});

test('jobs ending at once are each counted exactly once; the last end completes the batch', async () => {
  const { batch, records } = batchOf(300, 'https://example.com/h');
  await batches.create(batch, records);
  await Promise.all(records.map((record, i) => end(record, i)));
  // Writes to jobs already ended count nothing.
  await Promise.all(records.map((record) => store.update(record.id, appendAttempt(attempt))));
  await store.update(records[0]!.id, cancelByRequest(4_000));

  const done = await batches.get(batch.id);
  expect([done?.status, done?.counts]).toEqual([
    'completed',
    { total: 300, completed: 100, failed: 100, canceled: 100 },
  ]);
  expect(done?.completed_at).toBeGreaterThan(0);
  expect(done?.canceled_at).toBeNull();
  // Retention starts with the end, for the batch and its list, and its index entry is swept then.
  expect(await redis.pttl(keys.batch(batch.id))).toBeGreaterThan(RETENTION_MS - 5_000);
  expect(await redis.pttl(keys.batchJobs(batch.id))).toBeGreaterThan(RETENTION_MS - 5_000);
  expect(await redis.zscore(keys.expiring, `ten_a|batches|${batch.id}`)).not.toBeNull();

  const entries = await redis.xrange(keys.webhookOutbox, '-', '+');
  const batchEntries = entries.filter(([, fields]) => fields.includes('batch'));
  expect(batchEntries).toHaveLength(1);
  const fields = batchEntries[0]![1];
  const event = JSON.parse(fields[fields.indexOf('event') + 1]!) as {
    type: string;
    job_id: string;
  };
  expect([event.type, event.job_id]).toEqual(['batch.completed', batch.id]);
});

test('a batch without a webhook writes no event', async () => {
  const { batch, records } = batchOf(3);
  await batches.create(batch, records);
  await Promise.all(records.map((record, i) => end(record, i)));
  expect((await batches.get(batch.id))?.status).toBe('completed');
  expect(await redis.xlen(keys.webhookOutbox)).toBe(0);
});

test('after markCanceling, the last end closes the batch as canceled; completed refuses it', async () => {
  const { batch, records } = batchOf(4);
  await batches.create(batch, records);
  await end(records[0]!, 0);
  expect(await batches.markCanceling(batch.id)).toBe('in_progress');
  expect(await batches.markCanceling(batch.id)).toBe('canceling');
  await Promise.all(
    records.slice(1).map((record) => store.update(record.id, cancelByRequest(5_000))),
  );
  const canceled = await batches.get(batch.id);
  expect([canceled?.status, canceled?.counts]).toEqual([
    'canceled',
    { total: 4, completed: 1, failed: 0, canceled: 3 },
  ]);
  expect(canceled?.canceled_at).toBeGreaterThan(0);

  const other = batchOf(1);
  await batches.create(other.batch, other.records);
  await end(other.records[0]!, 0);
  expect(await batches.markCanceling(other.batch.id)).toBe('completed');
  expect((await batches.get(other.batch.id))?.status).toBe('completed');
  expect(await batches.markCanceling(newBatchId())).toBeUndefined();
});

test('list is newest first with a cursor; remove takes the batch and its jobs away', async () => {
  const made = [batchOf(1, null, 1_000), batchOf(1, null, 2_000), batchOf(2, null, 3_000)];
  for (const { batch, records } of made) await batches.create(batch, records);
  const first = await batches.list('ten_a', { limit: 2 });
  expect(first.batches.map((b) => b.id)).toEqual([made[2]!.batch.id, made[1]!.batch.id]);
  const rest = await batches.list('ten_a', { limit: 2, cursor: first.nextCursor! });
  expect([rest.batches.map((b) => b.id), rest.nextCursor]).toEqual([[made[0]!.batch.id], null]);

  await batches.remove(made[2]!.batch, made[2]!.records);
  expect(await batches.get(made[2]!.batch.id)).toBeUndefined();
  expect(await store.get(made[2]!.records[1]!.id)).toBeUndefined();
  expect(await redis.zscore(keys.pendingEnqueue, made[2]!.records[1]!.id)).toBeNull();
  expect((await batches.list('ten_a', { limit: 5 })).batches).toHaveLength(2);
});

test('a batch whose API died before enqueueing is queued in full by the reconciler', async () => {
  const { batch, records } = batchOf(1_500);
  // The records are written and the process dies: no queue item was ever added.
  await batches.create(batch, records);
  const queues = new JobQueues(redis, keys);
  try {
    const reconciler = new EnqueueReconciler(redis, keys, store, queues, 0);
    expect(await reconciler.reconcile(Date.now() + 1)).toBe(1_500);
    expect(await queues.batch.getJobCounts('waiting')).toEqual({ waiting: 1_500 });
    expect(await redis.zcard(keys.pendingEnqueue)).toBe(0);
    // The items are the jobs' own: adding them again (a late enqueue) changes nothing.
    await queues.enqueueMany(records, Date.now());
    expect(await queues.batch.getJobCounts('waiting')).toEqual({ waiting: 1_500 });
  } finally {
    await queues.close();
  }
});
