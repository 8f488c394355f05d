import { simulateCompletion } from '@switchyard/simulator';
import { startStack, type Stack, type TenantHandle } from '../src';

let stack: Stack;
let tenant: TenantHandle;
beforeAll(async () => {
  // Short backoffs keep the suite quick; Retry-After from the provider still rules where given.
  stack = await startStack({
    // Circuits would open on the failures these tests provoke one after another: they have their
    // own tests (provider-resilience.test.ts).
    config: {
      retry: { max_attempts: 3, base_delay: 20, max_delay: 200 },
      circuit: { consecutive_failures: 1_000, min_calls: 1_000 },
    },
  });
  tenant = await stack.tenant();
});
afterAll(() => stack.close());
beforeEach(() => stack.simulator.reset());

const ask = (content: string, model = 'openai/gpt-4o-mini') => ({
  model,
  input: { messages: [{ role: 'user' as const, content }] },
});

test('a 429 with Retry-After is retried, never before the wait is over, then succeeds', async () => {
  const { job } = await tenant.client.submit(ask('Busy [[sim: fault=429 times=1 retry_after=2]]'));
  const done = await tenant.client.waitFor(job.id, { timeoutMs: 20_000 });
  expect(done.status).toBe('succeeded');
  expect(done.attempts.map((a) => [a.outcome, a.status_code, a.retry_after_ms])).toEqual([
    ['rate_limited', 429, 2_000],
    ['succeeded', 200, null],
  ]);
  const [first, second] = stack.simulator.calls();
  expect([first?.status, second?.status]).toEqual([429, 200]);
  expect(second!.at - first!.at).toBeGreaterThanOrEqual(2_000);
  expect(done.output?.text).toBe(
    simulateCompletion({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Busy' }] })
      .text,
  );
});

test('a terminal 400 fails the job after exactly one call', async () => {
  const { job } = await tenant.client.submit({
    ...ask('Bad request [[sim: fault=400]]'),
    fallbacks: ['anthropic/claude-3-5-haiku-latest'],
  });
  const done = await tenant.client.waitFor(job.id);
  expect(done).toMatchObject({
    status: 'failed',
    error: { type: 'invalid_request' },
    output: null,
    usage: null,
  });
  expect(done.attempts.map((a) => [a.outcome, a.status_code])).toEqual([['terminal_error', 400]]);
  expect(stack.simulator.calls()).toHaveLength(1);
});

test.each(['401', '403', '404', 'insufficient_quota'])(
  'a terminal %s makes one call',
  async (fault) => {
    const { job } = await tenant.client.submit(ask(`Refused [[sim: fault=${fault}]]`));
    const done = await tenant.client.waitFor(job.id);
    expect(done).toMatchObject({ status: 'failed', error: { type: 'provider_error' } });
    expect(stack.simulator.calls()).toHaveLength(1);
  },
);

test('a provider refusing the call (here a revoked key) moves to the fallback after one call', async () => {
  const { job } = await tenant.client.submit({
    ...ask('Key revoked [[sim: fault=401 model=gpt-4o-mini]]'),
    fallbacks: ['anthropic/claude-3-5-haiku-latest'],
  });
  const done = await tenant.client.waitFor(job.id);
  expect(done).toMatchObject({ status: 'succeeded', served_by: { provider: 'anthropic' } });
  expect(done.attempts.map((a) => [a.provider, a.outcome, a.status_code])).toEqual([
    ['openai', 'terminal_error', 401],
    ['anthropic', 'succeeded', 200],
  ]);
});

test('5xx, 529, resets and malformed bodies are retried until a call succeeds', async () => {
  const { job } = await tenant.client.submit(ask('Flaky [[sim: fault=503 times=2]]'));
  const done = await tenant.client.waitFor(job.id);
  expect(done.status).toBe('succeeded');
  expect(done.attempts.map((a) => a.outcome)).toEqual([
    'retryable_error',
    'retryable_error',
    'succeeded',
  ]);
  for (const fault of ['529', 'reset', 'malformed']) {
    const { job: other } = await tenant.client.submit(
      ask(`Flaky ${fault} [[sim: fault=${fault} times=1]]`),
    );
    const finished = await tenant.client.waitFor(other.id);
    expect([fault, finished.status, finished.attempts.map((a) => a.outcome)]).toEqual([
      fault,
      'succeeded',
      ['retryable_error', 'succeeded'],
    ]);
  }
});

test('when retries are exhausted the job falls back to the next provider with a fresh retry cycle', async () => {
  const { job } = await tenant.client.submit({
    ...ask('Outage [[sim: fault=500]]'),
    fallbacks: ['anthropic/claude-3-5-haiku-latest'],
  });
  const done = await tenant.client.waitFor(job.id);
  // The directive fails every call on both providers: 3 calls each, then the job fails.
  expect(done.attempts.map((a) => `${a.provider}:${a.outcome}`)).toEqual([
    'openai:retryable_error',
    'openai:retryable_error',
    'openai:retryable_error',
    'anthropic:retryable_error',
    'anthropic:retryable_error',
    'anthropic:retryable_error',
  ]);
  expect(done).toMatchObject({
    status: 'failed',
    served_by: null,
    error: { type: 'provider_error' },
  });
  expect(done.error!.message).toMatch(/^gave up after 3 calls; last error: /);
});

test('a fallback that works serves the job and is named in served_by', async () => {
  const { job } = await tenant.client.submit({
    ...ask('Openai down [[sim: fault=500 model=gpt-4o-mini]]'),
    fallbacks: ['anthropic/claude-3-5-haiku-latest'],
  });
  const done = await tenant.client.waitFor(job.id);
  expect(done).toMatchObject({
    status: 'succeeded',
    served_by: { provider: 'anthropic', model: 'claude-3-5-haiku-latest' },
  });
  expect(done.attempts.map((a) => `${a.provider}:${a.outcome}`)).toEqual([
    'openai:retryable_error',
    'openai:retryable_error',
    'openai:retryable_error',
    'anthropic:succeeded',
  ]);
});

test('a call that hangs past the per-attempt timeout is retried', async () => {
  const quick = await startStack({
    redis: stack.redis,
    config: {
      providers: { openai: { type: 'openai', timeout: 300 } },
      retry: { max_attempts: 2, base_delay: 20, max_delay: 50 },
    },
  });
  try {
    const owner = await quick.tenant();
    const { job } = await owner.client.submit(ask('Stuck once [[sim: fault=hang times=1]]'));
    const done = await owner.client.waitFor(job.id);
    expect(done.status).toBe('succeeded');
    expect(done.attempts.map((a) => [a.outcome, a.status_code])).toEqual([
      ['timeout', null],
      ['succeeded', 200],
    ]);
  } finally {
    await quick.close();
  }
});
