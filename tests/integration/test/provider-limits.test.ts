import type { CallRecord } from '@switchyard/simulator';
import {
  startStack,
  startWorkerProcess,
  type Stack,
  type TenantHandle,
  type WorkerProcess,
} from '../src';

/**
 * The shared limiter across three worker processes, each started as production starts it,
 * against a simulator that enforces the same limit: zero 429s, counted at the simulator.
 */
const PER_SECOND = 4;
let stack: Stack;
let tenant: TenantHandle;
const workers: WorkerProcess[] = [];
beforeAll(async () => {
  stack = await startStack({
    worker: false,
    namespace: 'sy',
    simulator: { limits: { windows: [{ windowMs: 1_000, requests: PER_SECOND }] } },
  });
  const env = {
    REDIS_URL: stack.redis.url,
    OPENAI_BASE_URL: stack.simulator.openaiBaseUrl,
    OPENAI_API_KEY: 'sk-test',
  };
  const config = {
    models: {
      'openai/gpt-4o-mini': {
        input_per_million: 0.15,
        output_per_million: 0.6,
        limits: { windows: [{ window: '1s', requests: PER_SECOND }] },
      },
    },
  };
  workers.push(
    ...(await Promise.all([1, 2, 3].map(() => startWorkerProcess(env, config, stack.redis.dir)))),
  );
  tenant = await stack.tenant();
}, 60_000);
afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.stop()));
  await stack.close();
});

/** The most calls the simulator saw start inside any one-second span. */
function busiestSecond(calls: CallRecord[]): number {
  const times = calls.map((call) => call.at).sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; j < times.length; j++) {
    while (times[j]! - times[i]! >= 1_000) i++;
    most = Math.max(most, j - i + 1);
  }
  return most;
}

test('20 jobs through three worker processes keep to the limit: no 429, no failed attempt, all served', async () => {
  const submitted = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      tenant.client.submit({
        model: 'openai/gpt-4o-mini',
        input: { messages: [{ role: 'user', content: `Paced ${i}` }] },
        cache: false,
      }),
    ),
  );
  const done = await Promise.all(
    submitted.map(({ job }) => tenant.client.waitFor(job.id, { timeoutMs: 25_000 })),
  );
  expect(done.map((job) => job.status)).toEqual(Array(20).fill('succeeded'));
  // Waiting for a slot is not an attempt.
  expect(done.flatMap((job) => job.attempts.map((a) => a.outcome))).toEqual(
    Array(20).fill('succeeded'),
  );
  const calls = stack.simulator.calls();
  expect(calls.map((call) => call.status)).toEqual(Array(20).fill(200));
  expect(busiestSecond(calls)).toBe(PER_SECOND);
}, 30_000);
