import type { CallRecord } from '@switchyard/simulator';
import { startStack, type Stack, type TenantHandle } from '../src';

/**
 * The shared limiter with three worker processes' worth of workers (each its own connections and
 * waiting lines) against a simulator that enforces the same limits: zero 429s.
 */
const PER_SECOND = 4;
let stack: Stack;
let tenant: TenantHandle;
beforeAll(async () => {
  const limits = { windows: [{ windowMs: 1_000, requests: PER_SECOND }] };
  stack = await startStack({
    simulator: { limits },
    config: {
      models: {
        'openai/gpt-4o-mini': {
          input_per_million: 0.15,
          output_per_million: 0.6,
          limits: { windows: [{ window: 1_000, requests: PER_SECOND }] },
        },
      },
    },
  });
  await stack.startWorker();
  await stack.startWorker();
  tenant = await stack.tenant();
});
afterAll(() => stack.close());

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

test('20 jobs through three workers keep to the limit: no 429, no failed attempt, all served', async () => {
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
