import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { JobRequest, newJobId } from '@switchyard/core';
import { type RedisServer, startRedisServer } from '@switchyard/redis-server';
import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { createRedis, Keys, whenReady } from '@switchyard/redis-kit';
import {
  cancelByRequest,
  ENQUEUE_GRACE_MS,
  EnqueueReconciler,
  JobQueues,
  JobStore,
  newJobRecord,
} from '../src';

let server: RedisServer;
let redis: Redis;
let keys: Keys;
let store: JobStore;
let queues: JobQueues;
let reconciler: EnqueueReconciler;
beforeAll(async () => {
  server = await startRedisServer();
  redis = createRedis(server.url, 'worker');
  await whenReady(redis);
});
beforeEach(() => {
  keys = new Keys(`t${randomBytes(4).toString('hex')}`);
  store = new JobStore(redis, keys, 60_000);
  queues = new JobQueues(redis, keys);
  reconciler = new EnqueueReconciler(redis, keys, store, queues);
});
afterEach(() => queues.close());
afterAll(async () => {
  redis.disconnect();
  await server.stop();
});

const NOW = 1_000_000;
const AFTER_GRACE = NOW + ENQUEUE_GRACE_MS;

function job(now = NOW, id = newJobId()) {
  return newJobRecord({
    id,
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

/** Runs a submit in its own process and SIGKILLs it once the record is written. */
async function submitKilledAfterRecord(jobId: string): Promise<string | null> {
  const child = spawn(
    process.execPath,
    ['--require', require.resolve('tsx/cjs'), join(__dirname, 'fixtures/submit-until-record.ts')],
    {
      env: {
        ...process.env,
        REDIS_URL: server.url,
        NAMESPACE: keys.namespace,
        JOB_ID: jobId,
        NOW: String(NOW),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  for await (const line of createInterface({ input: child.stdout! })) {
    if (line === 'record written') break;
  }
  child.kill('SIGKILL');
  const [, signal] = await exited;
  return signal;
}

const pending = () => redis.zrange(keys.pendingEnqueue, 0, -1);

test('a submit killed between its record and its enqueue: the reconciler queues the job and it runs', async () => {
  const id = newJobId();
  expect(await submitKilledAfterRecord(id)).toBe('SIGKILL');

  // What the crash leaves: a queued record, no work item, and the trace of it.
  expect(await store.get(id)).toMatchObject({ status: 'queued', rev: 1 });
  expect(await queues.interactive.getJob(id)).toBeUndefined();
  expect(await pending()).toEqual([id]);

  expect(await reconciler.reconcile(AFTER_GRACE - 1)).toBe(0); // a live submit may still enqueue it
  expect(await reconciler.reconcile(AFTER_GRACE)).toBe(1);
  expect(await pending()).toEqual([]);
  expect(await queues.interactive.getJobCounts('waiting')).toEqual({ waiting: 1 });

  // A worker takes the item and starts the job as it would any other.
  const worker = new Worker(queues.interactive.name, null, {
    connection: redis,
    prefix: keys.bullPrefix,
  });
  try {
    const item = (await worker.getNextJob(randomUUID()))!;
    expect(item.data).toEqual({ jobId: id, tenantId: 'ten_a' });
    expect(await store.claimRun(id, AFTER_GRACE + 1)).toMatchObject({ status: 'running' });
  } finally {
    await worker.close();
  }
});

test('entries of enqueued, ended and missing jobs go without a second queue item', async () => {
  const enqueued = job();
  await store.create(enqueued);
  await queues.enqueue(enqueued, NOW);
  const canceled = job();
  await store.create(canceled);
  await store.update(canceled.id, cancelByRequest(NOW));
  await redis.zadd(keys.pendingEnqueue, NOW, 'job_gone');

  expect(await reconciler.reconcile(AFTER_GRACE)).toBe(0);
  expect(await pending()).toEqual([]);
  expect(await queues.interactive.getJobCounts('waiting')).toEqual({ waiting: 1 });
});

test('a young entry stays; a claimed job and a rolled-back one leave no entry', async () => {
  const young = job(AFTER_GRACE);
  await store.create(young);
  const claimed = job();
  await store.create(claimed);
  await store.claimRun(claimed.id, NOW + 1);
  const rolledBack = job();
  await store.create(rolledBack);
  await store.remove(rolledBack);

  expect(await pending()).toEqual([young.id]);
  expect(await reconciler.reconcile(AFTER_GRACE)).toBe(0);
  expect(await pending()).toEqual([young.id]);
});
