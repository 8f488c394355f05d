import { startApiServer } from '@switchyard/api';
import type { Job } from '@switchyard/core';
import { createLogger } from '@switchyard/observability';
import { LANE_QUEUES } from '@switchyard/queue';
import { startDispatcherApp } from '@switchyard/webhook-dispatcher';
import { Job as QueueItem, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import {
  http,
  startStack,
  startWorkerProcess,
  type Stack,
  type TenantHandle,
  WebhookReceiver,
} from '../src';

/**
 * What each process does with the work it holds when it is told to stop (SIGTERM, or close() on
 * the same path): the API answers what it holds, a worker finishes or hands back its jobs, the
 * dispatcher finishes its deliveries. Worker processes run as production runs them, so the stack
 * uses the production namespace.
 */
let stack: Stack;
let tenant: TenantHandle;
let admin: Redis;
let lane: Queue;
beforeAll(async () => {
  stack = await startStack({ worker: false, namespace: 'sy', allowPrivateWebhooks: true });
  tenant = await stack.tenant();
  admin = new Redis(stack.redis.url);
  lane = new Queue(LANE_QUEUES.interactive, { connection: admin, prefix: 'sy:bull' });
});
afterAll(async () => {
  await lane.close();
  admin.disconnect();
  await stack.close();
});
beforeEach(() => {
  stack.simulator.reset();
  stack.simulator.configure({ latency: { kind: 'fixed', ms: 0 } });
});

const workerEnv = () => ({
  REDIS_URL: stack.redis.url,
  OPENAI_BASE_URL: stack.simulator.openaiBaseUrl,
  OPENAI_API_KEY: 'sk-test',
});
const submitMany = (count: number, label: string) =>
  Promise.all(
    Array.from({ length: count }, (_, i) =>
      tenant.client.submit({
        model: 'openai/gpt-4o-mini',
        cache: false,
        input: { messages: [{ role: 'user', content: `${label} ${i}` }] },
      }),
    ),
  );
/** Resolves once `count` calls have reached the simulator. */
const callsArrive = async (count: number) => {
  for (let seen = 0; seen < count; seen++) await stack.simulator.nextCall();
};
const statuses = async (jobs: Array<{ job: Job }>) =>
  Promise.all(jobs.map(({ job }) => tenant.client.get(job.id).then((found) => found.status)));

test('a stopping worker finishes the calls it holds within its grace, takes no new job, exits 0', async () => {
  stack.simulator.configure({ latency: { kind: 'fixed', ms: 1_500 } });
  const worker = await startWorkerProcess(
    workerEnv(),
    { worker: { concurrency: 5, fetchers: 1, shutdown_grace: '20s' } },
    stack.redis.dir,
  );
  const jobs = await submitMany(8, 'finish');
  await callsArrive(5); // five running, three waiting
  expect(await worker.stop()).toBe('0');

  expect((await statuses(jobs)).sort()).toEqual([
    ...Array<string>(3).fill('queued'),
    ...Array<string>(5).fill('succeeded'),
  ]);
  expect(stack.simulator.calls()).toHaveLength(5);
  expect(await lane.getJobCounts('active', 'waiting')).toEqual({ active: 0, waiting: 3 });

  stack.simulator.configure({ latency: { kind: 'fixed', ms: 0 } });
  const next = await startWorkerProcess(workerEnv(), {}, stack.redis.dir);
  try {
    const done = await Promise.all(jobs.map(({ job }) => tenant.client.waitFor(job.id)));
    expect(done.map((job) => [job.status, job.attempts.length])).toEqual(
      Array(8).fill(['succeeded', 1]),
    );
  } finally {
    expect(await next.stop()).toBe('0');
  }
}, 60_000);

test('past its grace, a stopping worker aborts its calls and hands the jobs back, none stalled, none lost', async () => {
  stack.simulator.configure({ latency: { kind: 'fixed', ms: 60_000 } });
  const worker = await startWorkerProcess(
    workerEnv(),
    { worker: { concurrency: 4, fetchers: 1, shutdown_grace: '200ms' } },
    stack.redis.dir,
  );
  const jobs = await submitMany(4, 'hand back');
  await callsArrive(4);
  expect(await worker.stop()).toBe('0');

  // Handed back to the queue, not left active for the stall check to find 30 s later.
  expect(await lane.getJobCounts('active')).toEqual({ active: 0 });
  for (const { job } of jobs) {
    const item = await QueueItem.fromId(lane, job.id);
    expect([await item!.getState(), item!.stalledCounter]).toEqual(['delayed', 0]);
  }

  stack.simulator.configure({ latency: { kind: 'fixed', ms: 0 } });
  const next = await startWorkerProcess(workerEnv(), {}, stack.redis.dir);
  try {
    const done = await Promise.all(jobs.map(({ job }) => tenant.client.waitFor(job.id)));
    for (const job of done) {
      expect(job.status).toBe('succeeded');
      // The aborted call is on record, and the job went on from it.
      expect(job.attempts.map((attempt) => [attempt.outcome, attempt.error])).toEqual([
        ['canceled', 'worker shutting down'],
        ['succeeded', null],
      ]);
    }
  } finally {
    expect(await next.stop()).toBe('0');
  }
}, 60_000);

test('a stopping API answers the long-polls it holds with the job as it stands, then refuses connections', async () => {
  const api = await startApiServer({
    settings: stack.settings,
    redisUrl: stack.redis.url,
    adminToken: stack.adminToken,
    logger: createLogger('test', 'silent'),
    namespace: 'sy',
    port: 0,
    host: '127.0.0.1',
  });
  const [held] = await submitMany(1, 'held');
  const { job } = held!;
  const polling = http(`${api.url}/v1/jobs/${job.id}?wait=60`, { token: tenant.apiKey });
  // Held once its wait has subscribed to the job's channel.
  const channel = `sy:events:${job.id}`;
  for (;;) {
    const [, subscribers] = (await admin.pubsub('NUMSUB', channel)) as [string, number];
    if (subscribers > 0) break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }

  const closing = api.close();
  const answered = await polling;
  expect(answered.status).toBe(200);
  expect(answered.body).toMatchObject({ id: job.id, status: 'queued' });
  expect(answered.headers.get('connection')).toBe('close');
  await closing;
  await expect(fetch(`${api.url}/healthz`)).rejects.toThrow();
});

test('a stopping dispatcher finishes the deliveries in progress before it stops', async () => {
  const receiver = await WebhookReceiver.start();
  // The receiver takes its time, so the delivery is still in progress when the stop comes.
  let answer!: () => void;
  receiver.answer = (res) => (answer = () => res.writeHead(204).end());
  const dispatcher = await startDispatcherApp({
    settings: stack.settings,
    redisUrl: stack.redis.url,
    logger: createLogger('test', 'silent'),
    namespace: 'sy',
    metricsPort: 0,
    metricsHost: '127.0.0.1',
  });
  const worker = await startWorkerProcess(workerEnv(), {}, stack.redis.dir);
  try {
    const { job } = await tenant.client.submit({
      model: 'openai/gpt-4o-mini',
      input: { messages: [{ role: 'user', content: 'tell me' }] },
      webhook: receiver.url,
    });
    await receiver.requests(1);
    let stopped = false;
    const stopping = dispatcher.close().then(() => (stopped = true));
    // Told to stop while the receiver holds the answer: the dispatcher stops reading events
    // (its readiness says so) and must still be waiting for this delivery, long past the half
    // second its outbox read takes to give up.
    for (;;) {
      const { body } = await http(`${dispatcher.ops.url}/readyz`);
      if (body.closing) break;
    }
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(stopped).toBe(false);
    answer();
    await stopping;
    const { body } = await http(`${stack.api.url}/v1/jobs/${job.id}/deliveries`, {
      token: tenant.apiKey,
    });
    expect(
      body.data.map((d: { result: string; status_code: number }) => [d.result, d.status_code]),
    ).toEqual([['delivered', 204]]);
  } finally {
    await worker.stop();
    await receiver.close();
  }
}, 60_000);
