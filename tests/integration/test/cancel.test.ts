import { LANE_QUEUES } from '@switchyard/queue';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { awaitJobEvent, http, startStack, type Stack, type TenantHandle } from '../src';

let stack: Stack;
let tenant: TenantHandle;
beforeAll(async () => {
  stack = await startStack();
  tenant = await stack.tenant();
});
afterAll(() => stack.close());

const ask = (content: string) => ({
  model: 'openai/gpt-4o-mini',
  input: { messages: [{ role: 'user' as const, content }] },
});

test('cancelling a running job aborts its provider call, not only a flag', async () => {
  const { job } = await tenant.client.submit(ask('Take forever [[sim: fault=hang]]'));
  const call = await stack.simulator.nextCall();
  expect(call.status).toBe('hang');
  expect(stack.simulator.stats().inFlight).toBe(1);

  // canceled is rev 3 (queued 1, running 2); the worker's record of the cut call is rev 4.
  const callRecorded = await awaitJobEvent(stack, job.id, (event) => event.rev === 4);
  const response = await http(`${stack.api.url}/v1/jobs/${job.id}/cancel`, {
    method: 'POST',
    token: tenant.apiKey,
  });
  expect(response.status).toBe(200);
  expect(response.body).toMatchObject({
    status: 'canceled',
    error: { type: 'canceled', message: 'canceled by request' },
  });

  await stack.simulator.idle(); // the simulator saw the connection close
  expect(stack.simulator.stats().inFlight).toBe(0);
  expect(await callRecorded()).toEqual({ type: 'status', status: 'canceled', rev: 4 });
  const settled = await tenant.client.get(job.id);
  expect(settled.status).toBe('canceled');
  expect(settled.attempts).toHaveLength(1);
  expect(settled.attempts[0]).toMatchObject({ outcome: 'canceled', status_code: null });
});

test('cancelling a queued job ends it and drops its queue item', async () => {
  const queued = await startStack({ worker: false, redis: stack.redis });
  try {
    const owner = await queued.tenant();
    const { job } = await owner.client.submit(ask('Never run'));
    expect(job.status).toBe('queued');
    const canceled = await owner.client.cancel(job.id);
    expect(canceled.status).toBe('canceled');

    const connection = new Redis(stack.redis.url, { maxRetriesPerRequest: null });
    const queue = new Queue(LANE_QUEUES.interactive, {
      connection,
      prefix: `${queued.namespace}:bull`,
    });
    expect(await queue.getJob(job.id)).toBeUndefined();
    await queue.close();
    connection.disconnect();
  } finally {
    await queued.close();
  }
});

test('cancel_after expires a job that never started', async () => {
  // One slot, held by a call that never answers: the next job waits in the queue past its deadline.
  const narrow = await startStack({ redis: stack.redis, config: { worker: { concurrency: 1 } } });
  try {
    const owner = await narrow.tenant();
    const { job: blocker } = await owner.client.submit(
      ask('Hold the slot [[sim: fault=hang]] narrow'),
    );
    await narrow.simulator.nextCall();
    const { job } = await owner.client.submit({ ...ask('Too late'), cancel_after: '1s' });
    expect(job.deadline_at).toBe(new Date(Date.parse(job.created_at) + 1_000).toISOString());
    const ended = await owner.client.waitFor(job.id, { timeoutMs: 15_000 });
    expect(ended).toMatchObject({
      status: 'expired',
      started_at: null,
      error: { type: 'timeout', message: 'cancel_after (1s) passed before the job started' },
      attempts: [],
    });
    await owner.client.cancel(blocker.id);
  } finally {
    await narrow.close();
  }
});

test('cancel_after cancels a job still running at its deadline and cuts the call', async () => {
  const { job } = await tenant.client.submit({
    ...ask('Slow [[sim: fault=hang]] deadline'),
    cancel_after: '1s',
  });
  const ended = await tenant.client.waitFor(job.id, { timeoutMs: 15_000 });
  expect(ended).toMatchObject({
    status: 'canceled',
    error: { type: 'timeout', message: 'cancel_after (1s) passed while the job was running' },
  });
  await stack.simulator.idle();
  expect(stack.simulator.stats().inFlight).toBe(0);
});
