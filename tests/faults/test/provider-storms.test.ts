import type { Job } from '@switchyard/core';
import type { CallRecord } from '@switchyard/simulator';
import { startStack, type Stack, type TenantHandle } from '@switchyard/integration-tests';
import { reportFigures, tally } from '../src';

let stack: Stack;
let tenant: TenantHandle;
beforeAll(async () => {
  stack = await startStack({
    config: {
      // Short backoffs keep the storms short; Retry-After still rules where given. The attempt
      // timeout is long enough that a loaded machine's slow call is not taken for a hang.
      retry: { max_attempts: 4, base_delay: 20, max_delay: 200 },
      providers: { openai: { type: 'openai', timeout: 3_000 } },
      // An open circuit would fail jobs without a call: its own storms are in
      // tests/integration/test/provider-resilience.test.ts.
      circuit: { consecutive_failures: 100_000, min_calls: 100_000 },
    },
  });
  tenant = await stack.tenant({ rpm: 1_000_000 });
}, 60_000);
afterAll(() => stack.close(), 60_000);
beforeEach(() => stack.simulator.reset());

/** Submits `count` jobs whose prompt ends with `directive`, and waits for each to end. */
async function storm(label: string, count: number, directive = ''): Promise<Job[]> {
  const submitted = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      tenant.client.submit({
        model: 'openai/gpt-4o-mini',
        input: {
          messages: [{ role: 'user', content: `${label} ${i} ${Date.now()} ${directive}` }],
        },
      }),
    ),
  );
  return Promise.all(
    submitted.map(({ job }) => tenant.client.waitFor(job.id, { timeoutMs: 90_000 })),
  );
}

/**
 * The smallest margin, in ms, by which a call came after the previous call of the same request
 * plus `retryAfterMs`, when that previous call was a 429 (negative: a call came too early).
 */
function retryMargin(calls: CallRecord[], retryAfterMs: number): number {
  const last = new Map<string, CallRecord>();
  let margin = Infinity;
  for (const call of calls) {
    const previous = last.get(call.requestHash);
    if (previous?.status === 429) margin = Math.min(margin, call.at - previous.at - retryAfterMs);
    last.set(call.requestHash, call);
  }
  return margin;
}

/** `succeeded`, or `failed <error type>`, per job. */
const fates = (jobs: Job[]) =>
  tally(jobs.map((job) => [job.status, job.error?.type].filter(Boolean).join(' ')));
/** Each job's attempt outcomes, e.g. `retryable_error,succeeded`. */
const paths = (jobs: Job[]) =>
  tally(jobs.map((job) => job.attempts.map((a) => a.outcome).join(',')));

test('50% 5xx: every job succeeds or fails provider_error after its 4 calls', async () => {
  stack.simulator.configure({ faults: { '500': 0.25, '503': 0.25 } });
  const jobs = await storm('storm5xx', 200);
  stack.simulator.configure({ faults: null });
  const failed = jobs.filter((job) => job.status === 'failed');
  reportFigures(
    `provider 50% 5xx: 200 jobs, ${JSON.stringify(fates(jobs))}, ` +
      `${stack.simulator.stats().requests} calls (${JSON.stringify(stack.simulator.stats().byStatus)})`,
  );
  for (const job of jobs) {
    const outcomes = job.attempts.map((a) => a.outcome);
    if (job.status === 'succeeded') {
      expect(outcomes.at(-1)).toBe('succeeded');
      expect(outcomes.slice(0, -1).every((o) => o === 'retryable_error')).toBe(true);
    } else {
      expect([job.status, job.error?.type]).toEqual(['failed', 'provider_error']);
      expect(outcomes).toEqual(Array(4).fill('retryable_error'));
    }
  }
  expect(failed.length + jobs.filter((job) => job.status === 'succeeded').length).toBe(200);
  expect(stack.simulator.stats().requests).toBe(
    jobs.reduce((sum, job) => sum + job.attempts.length, 0),
  );
}, 120_000);

test('429s with Retry-After: no call before its Retry-After; a persistent 429 fails rate_limited', async () => {
  const passing = await storm('busy', 100, '[[sim: fault=429 times=2 retry_after=1]]');
  const passingMargin = retryMargin(stack.simulator.calls(), 1_000);
  stack.simulator.reset();
  const stuck = await storm('stuck', 20, '[[sim: fault=429 retry_after=0.2]]');
  const stuckMargin = retryMargin(stack.simulator.calls(), 200);
  const earliest = Math.min(passingMargin, stuckMargin);
  reportFigures(
    `provider 429 + Retry-After: 100 jobs 429×2 then 200 → ${JSON.stringify(fates(passing))} ` +
      `(${JSON.stringify(paths(passing))}); ` +
      `20 jobs always 429 → ${JSON.stringify(fates(stuck))}; earliest retry ${earliest} ms past its Retry-After`,
  );
  expect(fates(passing)).toEqual({ succeeded: 100 });
  // Every passing job saw both its 429s (a loaded machine may add a timeout or two).
  for (const job of passing) {
    expect(job.attempts.filter((a) => a.outcome === 'rate_limited')).toHaveLength(2);
  }
  expect(fates(stuck)).toEqual({ 'failed rate_limited': 20 });
  expect(earliest).toBeGreaterThanOrEqual(0);
}, 120_000);

test('connection resets: retried, then provider_error once every call was reset', async () => {
  const passing = await storm('reset-once', 100, '[[sim: fault=reset times=1]]');
  const broken = await storm('reset-always', 20, '[[sim: fault=reset]]');
  reportFigures(
    `provider resets: 100 jobs reset once → ${JSON.stringify(fates(passing))} ` +
      `(${JSON.stringify(paths(passing))}); ` +
      `20 jobs always reset → ${JSON.stringify(fates(broken))} (${JSON.stringify(paths(broken))})`,
  );
  expect(fates(passing)).toEqual({ succeeded: 100 });
  expect(fates(broken)).toEqual({ 'failed provider_error': 20 });
  for (const job of broken) expect(job.attempts).toHaveLength(4);
}, 120_000);

test('hangs: the attempt times out and is retried; a provider that always hangs fails timeout', async () => {
  const passing = await storm('hang-once', 50, '[[sim: fault=hang times=1]]');
  const stuck = await storm('hang-always', 20, '[[sim: fault=hang]]');
  reportFigures(
    `provider hangs (3 s attempt timeout): 50 jobs hang once → ${JSON.stringify(fates(passing))} ` +
      `(${JSON.stringify(paths(passing))}); ` +
      `20 jobs always hang → ${JSON.stringify(fates(stuck))} (${JSON.stringify(paths(stuck))})`,
  );
  expect(fates(passing)).toEqual({ succeeded: 50 });
  expect(fates(stuck)).toEqual({ 'failed timeout': 20 });
  expect(paths(stuck)).toEqual({ 'timeout,timeout,timeout,timeout': 20 });
}, 120_000);
