import { LANE_QUEUES } from '@switchyard/queue';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { awaitJobEvent, startStack, type Stack } from '../src';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ worker: false });
});
afterAll(() => stack.close());

test('a job whose worker died too often is failed, not left open forever', async () => {
  const tenant = await stack.tenant();
  const { job } = await tenant.client.submit({
    model: 'openai/gpt-4o-mini',
    input: { messages: [{ role: 'user', content: 'doomed' }] },
  });

  // A worker that takes the job and then "dies": it never finishes and never renews its lock.
  // With maxStalledCount 0, BullMQ's stall check gives up on the job the first time.
  const connection = new Redis(stack.redis.url, { maxRetriesPerRequest: null });
  let picked!: () => void;
  const pickedUp = new Promise<void>((resolve) => (picked = resolve));
  const dying = new Worker(
    LANE_QUEUES.interactive,
    () => (picked(), new Promise(() => undefined)),
    {
      connection,
      prefix: `${stack.namespace}:bull`,
      lockDuration: 300,
      stalledInterval: 300,
      maxStalledCount: 0,
      skipLockRenewal: true,
    },
  );
  await pickedUp;
  await new Promise((resolve) => dying.once('stalled', resolve));
  await dying.close(true);
  connection.disconnect();

  const failed = await awaitJobEvent(stack, job.id, (event) => event.status === 'failed');
  await stack.startWorker(); // BullMQ fails the item on its next pickup; our worker records it
  expect(await failed()).toMatchObject({ type: 'status', status: 'failed' });
  const ended = await tenant.client.get(job.id);
  expect(ended.error?.type).toBe('provider_error');
  expect(ended.error?.message).toMatch(/^the job could not be run: .*stalled/);
});
