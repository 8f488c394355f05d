import { createLogger } from '@switchyard/observability';
import { LANE_QUEUES } from '@switchyard/queue';
import { Keys } from '@switchyard/redis-kit';
import { dayOf, SpendLedger } from '@switchyard/tenancy';
import { startWorkerApp } from '@switchyard/worker';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { startStack, startWorkerProcess, type Stack } from '../src';

/**
 * A worker killed (SIGKILL) in the middle of a provider call: the call it made is counted once
 * the job runs again, as a `lost` attempt charged its estimated upper bound, beside the second
 * call that answers. Worker processes run as production runs them, in the production namespace.
 */
let stack: Stack;
let admin: Redis;
let lane: Queue;
/** Worker processes and apps a test started, stopped after it whatever happened. */
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});
beforeAll(async () => {
  stack = await startStack({ worker: false, namespace: 'sy' });
  admin = new Redis(stack.redis.url);
  lane = new Queue(LANE_QUEUES.interactive, { connection: admin, prefix: 'sy:bull' });
});
afterAll(async () => {
  await lane.close();
  admin.disconnect();
  await stack.close();
});

const MAX_TOKENS = 50;
/** gpt-4o-mini's built-in prices, per million input and output tokens. */
const PRICE = { input: 0.15, output: 0.6 };
const nanos = (usd: number) => Math.round(usd * 1e9);

/**
 * A worker process takes a job whose first call hangs and is killed (SIGKILL) in that call; the
 * job is then handed to a worker in this process, as BullMQ's stall check hands it over once the
 * dead worker's lock expires (30 s): the lock and the last check's marker are removed here, as
 * those 30 s would. `beforeHandOver` runs first (a test marks the item as stalled before).
 */
async function killMidCall(content: string, beforeHandOver: (itemKey: string) => Promise<unknown>) {
  const tenant = await stack.tenant({ monthly_budget_usd: 10 });
  const dying = await startWorkerProcess(
    {
      REDIS_URL: stack.redis.url,
      OPENAI_BASE_URL: stack.simulator.openaiBaseUrl,
      OPENAI_API_KEY: 'sk-test',
    },
    {},
    stack.redis.dir,
  );
  cleanups.push(() => dying.stop());
  const arrived = stack.simulator.nextCall();
  const { job } = await tenant.client.submit({
    model: 'openai/gpt-4o-mini',
    cache: false,
    input: { messages: [{ role: 'user', content }], max_tokens: MAX_TOKENS },
  });
  expect((await arrived).status).toBe('hang');
  process.kill(dying.pid, 'SIGKILL');
  expect(await dying.stop()).toBe('SIGKILL');

  await beforeHandOver(lane.toKey(job.id));
  await admin.del(lane.toKey(`${job.id}:lock`), lane.keys['stalled-check']!);
  const next = await startWorkerApp({
    settings: stack.settings,
    redisUrl: stack.redis.url,
    logger: createLogger('test', 'silent'),
    namespace: 'sy',
    metricsPort: 0,
    metricsHost: '127.0.0.1',
    stalledIntervalMs: 100,
  });
  cleanups.push(() => next.close());
  // Prompt tokens as estimated (four characters a token, four more per message), output at its
  // max_tokens, at the model's price, rounded as every cost is.
  const promptTokens = Math.ceil((content.length + 4) / 4);
  const bound =
    Math.round(((promptTokens * PRICE.input + MAX_TOKENS * PRICE.output) / 1e6) * 1e10) / 1e10;
  const lost = {
    provider: 'openai',
    model: 'gpt-4o-mini',
    outcome: 'lost',
    status_code: null,
    latency_ms: expect.any(Number),
    started_at: expect.any(String),
    error: `the worker making this call stopped before its answer was recorded; charged an estimated $${bound}, an upper bound of ${promptTokens} prompt tokens (estimated) and ${MAX_TOKENS} output tokens`,
    retry_after_ms: null,
    estimated_cost_usd: bound,
  };
  return { tenant, job, bound, lost, spend: new SpendLedger(admin, new Keys('sy')) };
}

test('a call whose worker was killed is recorded as lost and charged its bound; the retry answers', async () => {
  stack.simulator.reset();
  // The first identical request hangs (the worker dies in it), the next one answers.
  const { tenant, job, bound, lost, spend } = await killMidCall(
    'count the lost call [[sim: fault=hang times=1]]',
    async () => undefined,
  );
  const done = await tenant.client.waitFor(job.id);
  expect(done.status).toBe('succeeded');
  expect(done.attempts).toEqual([
    lost,
    expect.objectContaining({ outcome: 'succeeded', status_code: 200 }),
  ]);
  expect(stack.simulator.calls().map((call) => call.status)).toEqual(['hang', 200]);

  // The tenant's spend: the lost call's bound and the answered call's cost, each once.
  const charged = nanos(bound) + nanos(done.usage!.cost_usd!);
  expect(nanos(await spend.spentUsd(tenant.id, new Date()))).toBe(charged);
  // Usage reports count one job, with the provider's tokens and both charges.
  expect(await spend.dailyUsage(tenant.id, dayOf(new Date()))).toEqual({
    'openai/gpt-4o-mini': {
      jobs: 1,
      input_tokens: done.usage!.input_tokens,
      output_tokens: done.usage!.output_tokens,
      cost_usd: charged / 1e9,
      cached: 0,
    },
  });
}, 60_000);

test('a job BullMQ gives up on for stalling too often fails with its lost call counted', async () => {
  stack.simulator.reset();
  // Stalled once before: this stall is one too many, and BullMQ fails the item on its next pickup.
  const { tenant, job, bound, lost, spend } = await killMidCall(
    'count the call of a doomed job [[sim: fault=hang times=1]]',
    (itemKey) => admin.hset(itemKey, 'stc', 1),
  );
  const failed = await tenant.client.waitFor(job.id);
  expect(failed.status).toBe('failed');
  expect(failed.error).toEqual({
    type: 'provider_error',
    message: 'the job could not be run: job stalled more than allowable limit',
  });
  expect(failed.attempts).toEqual([lost]);
  expect(stack.simulator.calls().map((call) => call.status)).toEqual(['hang']);
  expect(nanos(await spend.spentUsd(tenant.id, new Date()))).toBe(nanos(bound));
}, 60_000);
