import { startStack, type Stack, type TenantHandle } from '../src';

/** Cache, in-flight dedup and circuit breaker, through the whole stack. */
let stack: Stack;
let tenant: TenantHandle;
beforeAll(async () => {
  stack = await startStack({
    config: {
      retry: { max_attempts: 1, base_delay: 10, max_delay: 50 },
      circuit: { consecutive_failures: 2, open_for: 600_000 },
    },
  });
  tenant = await stack.tenant();
});
afterAll(() => stack.close());
beforeEach(() => stack.simulator.reset());

let n = 0;
/** A prompt no other test sends, so the cache only answers what this test asked before. */
const unique = (text: string) => `${text} #${++n}-${Date.now()}`;
const ask = (content: string, extra: object = {}) => ({
  model: 'openai/gpt-4o-mini',
  input: { messages: [{ role: 'user' as const, content }] },
  ...extra,
});

test('an identical request is answered from the cache: cached, cost 0, no call', async () => {
  const body = ask(unique('Cache me'));
  const first = await tenant.client.waitFor((await tenant.client.submit(body)).job.id);
  const second = await tenant.client.waitFor((await tenant.client.submit(body)).job.id);
  expect([first.cached, second.cached]).toEqual([false, true]);
  expect(second.output).toEqual(first.output);
  expect(second.usage).toEqual({ ...first.usage, cost_usd: 0 });
  expect(first.usage!.cost_usd).toBeGreaterThan(0);
  expect(second.attempts).toEqual([]);
  expect(second.served_by).toEqual({ provider: 'openai', model: 'gpt-4o-mini' });
  expect(stack.simulator.calls()).toHaveLength(1);
});

test('cache: false always calls', async () => {
  const body = ask(unique('Fresh'), { cache: false });
  await tenant.client.waitFor((await tenant.client.submit(body)).job.id);
  const again = await tenant.client.waitFor((await tenant.client.submit(body)).job.id);
  expect(again.cached).toBe(false);
  expect(stack.simulator.calls()).toHaveLength(2);
});

test('the cache is per tenant: another tenant asking the same makes its own call', async () => {
  const body = ask(unique('Mine'));
  const other = await stack.tenant();
  await tenant.client.waitFor((await tenant.client.submit(body)).job.id);
  const theirs = await other.client.waitFor((await other.client.submit(body)).job.id);
  expect(theirs.cached).toBe(false);
  expect(stack.simulator.calls()).toHaveLength(2);
});

test('eight identical jobs at once make exactly one provider call and all get its answer', async () => {
  // Each call takes 500 ms, so all eight are in flight together.
  const body = ask(unique('Together [[sim: latency=500]]'));
  const submitted = await Promise.all(Array.from({ length: 8 }, () => tenant.client.submit(body)));
  const done = await Promise.all(submitted.map(({ job }) => tenant.client.waitFor(job.id)));
  expect(done.map((job) => job.status)).toEqual(Array(8).fill('succeeded'));
  expect(new Set(done.map((job) => job.output!.text)).size).toBe(1);
  expect(done.filter((job) => job.cached)).toHaveLength(7);
  expect(done.filter((job) => job.attempts.length === 1)).toHaveLength(1);
  expect(stack.simulator.calls()).toHaveLength(1);
});

test('a prompt too long for its model skips to the first later model with a larger window', async () => {
  const body = ask(unique('Long [[sim: fault=context_length model=gpt-4o-mini]]'), {
    // gpt-4o has the same 128k window as gpt-4o-mini: calling it would fail the same way.
    fallbacks: ['openai/gpt-4o', 'anthropic/claude-3-5-haiku-latest'],
  });
  const job = await tenant.client.waitFor((await tenant.client.submit(body)).job.id);
  expect(job.status).toBe('succeeded');
  expect(job.attempts.map((a) => `${a.model}:${a.outcome}`)).toEqual([
    'gpt-4o-mini:terminal_error',
    'claude-3-5-haiku-latest:succeeded',
  ]);
  expect(stack.simulator.calls().map((call) => call.model)).toEqual([
    'gpt-4o-mini',
    'claude-3-5-haiku-latest',
  ]);
});

test('an open circuit sends jobs straight to their fallback without calling the failing model', async () => {
  const failing = (label: string) =>
    ask(unique(`${label} [[sim: fault=500 model=gpt-4o-mini]]`), {
      fallbacks: ['anthropic/claude-3-5-haiku-latest'],
    });
  // Two failures in a row open openai/gpt-4o-mini's circuit.
  for (const label of ['first', 'second']) {
    const job = await tenant.client.waitFor((await tenant.client.submit(failing(label))).job.id);
    expect(job.attempts.map((a) => `${a.provider}:${a.outcome}`)).toEqual([
      'openai:retryable_error',
      'anthropic:succeeded',
    ]);
  }
  stack.simulator.reset();
  const third = await tenant.client.waitFor((await tenant.client.submit(failing('third'))).job.id);
  expect(third.status).toBe('succeeded');
  expect(third.served_by).toEqual({ provider: 'anthropic', model: 'claude-3-5-haiku-latest' });
  expect(third.attempts.map((a) => `${a.provider}:${a.outcome}`)).toEqual(['anthropic:succeeded']);
  expect(stack.simulator.calls().map((call) => call.provider)).toEqual(['anthropic']);

  // Without a fallback the job fails at once, saying why.
  const alone = await tenant.client.waitFor(
    (await tenant.client.submit(ask(unique('Alone'), { cache: false }))).job.id,
  );
  expect(alone.status).toBe('failed');
  expect(alone.error?.type).toBe('provider_error');
  expect(alone.error?.message).toMatch(/^openai\/gpt-4o-mini is failing \(circuit open\)/);
  expect(alone.attempts).toEqual([]);
});
