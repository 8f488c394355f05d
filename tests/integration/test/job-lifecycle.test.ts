import { simulateCompletion } from '@switchyard/simulator';
import { http, startStack, type Stack, type TenantHandle } from '../src';

let stack: Stack;
let tenant: TenantHandle;
beforeAll(async () => {
  stack = await startStack();
  tenant = await stack.tenant();
});
afterAll(() => stack.close());

const messages = [{ role: 'user' as const, content: 'Summarise: the quick brown fox.' }];

test('a job goes queued → running → succeeded with output, usage, cost, attempts and metrics', async () => {
  const submitted = await http(`${stack.api.url}/v1/jobs`, {
    token: tenant.apiKey,
    body: {
      model: 'openai/gpt-4o-mini',
      input: { messages, max_tokens: 256 },
      metadata: { order_id: '1234' },
    },
  });
  expect(submitted.status).toBe(202);
  expect(submitted.body.status).toBe('queued');
  expect(submitted.headers.get('location')).toBe(`${stack.api.url}/v1/jobs/${submitted.body.id}`);
  expect(submitted.body.id).toMatch(/^job_[0-9a-z]{26}$/);

  const job = await tenant.client.waitFor(submitted.body.id);
  const expected = simulateCompletion({ model: 'gpt-4o-mini', messages, maxTokens: 256 });
  const price = stack.settings.models['openai/gpt-4o-mini']!;
  const cost =
    (expected.inputTokens * price.inputPerMillion +
      expected.outputTokens * price.outputPerMillion) /
    1e6;
  expect(job).toMatchObject({
    id: submitted.body.id,
    object: 'job',
    status: 'succeeded',
    model: 'openai/gpt-4o-mini',
    served_by: { provider: 'openai', model: 'gpt-4o-mini' },
    output: { text: expected.text, finish_reason: 'stop' },
    usage: { input_tokens: expected.inputTokens, output_tokens: expected.outputTokens },
    cached: false,
    error: null,
    metadata: { order_id: '1234' },
  });
  expect(job.usage!.cost_usd).toBeCloseTo(cost, 12);
  expect(job.attempts).toHaveLength(1);
  expect(job.attempts[0]).toMatchObject({
    provider: 'openai',
    model: 'gpt-4o-mini',
    outcome: 'succeeded',
    status_code: 200,
    error: null,
  });

  const created = Date.parse(job.created_at);
  const started = Date.parse(job.started_at!);
  const completed = Date.parse(job.completed_at!);
  expect(created).toBeLessThanOrEqual(started);
  expect(started).toBeLessThanOrEqual(completed);
  expect(job.metrics).toEqual({
    queue_ms: started - created,
    run_ms: completed - started,
    total_ms: completed - created,
  });
  expect(stack.simulator.calls()).toContainEqual(
    expect.objectContaining({ provider: 'openai', model: 'gpt-4o-mini', status: 200 }),
  );
});

test('anthropic jobs go through the Anthropic API with the system prompt as a parameter', async () => {
  const chat = [
    { role: 'system' as const, content: 'You are terse.' },
    { role: 'user' as const, content: 'Name a colour.' },
  ];
  const { job } = await tenant.client.submit(
    { model: 'anthropic/claude-3-5-haiku-latest', input: { messages: chat, max_tokens: 5 } },
    { waitSeconds: 20 },
  );
  const expected = simulateCompletion({
    model: 'claude-3-5-haiku-latest',
    messages: chat,
    maxTokens: 5,
  });
  expect(job).toMatchObject({
    status: 'succeeded',
    served_by: { provider: 'anthropic', model: 'claude-3-5-haiku-latest' },
    output: {
      text: expected.text,
      finish_reason: expected.finishReason === 'length' ? 'length' : 'stop',
    },
    usage: { input_tokens: expected.inputTokens, output_tokens: expected.outputTokens },
  });
  expect(stack.simulator.calls().at(-1)).toMatchObject({ provider: 'anthropic', status: 200 });
});

test('Prefer: wait holds the submit until the job ends and says so', async () => {
  const response = await http(`${stack.api.url}/v1/jobs`, {
    token: tenant.apiKey,
    headers: { Prefer: 'respond-async, wait=20' },
    body: {
      model: 'openai/gpt-4o-mini',
      input: { messages: [{ role: 'user', content: 'Hi [[sim: latency=300]]' }] },
    },
  });
  // 201: the job was created and has ended, so the answer is the finished job.
  expect(response.status).toBe(201);
  expect(response.headers.get('preference-applied')).toBe('wait=20');
  expect(response.body.status).toBe('succeeded');
});

test('a long-poll is woken by the job finishing, not by its timeout', async () => {
  const { job } = await tenant.client.submit({
    model: 'openai/gpt-4o-mini',
    input: { messages: [{ role: 'user', content: 'Slow one [[sim: latency=1500]]' }] },
  });
  // wait=50 outlasts this test's 20 s timeout: only the completion event can end it in time.
  const polled = await http(`${stack.api.url}/v1/jobs/${job.id}?wait=50`, { token: tenant.apiKey });
  expect(polled.status).toBe(200);
  expect(polled.body.status).toBe('succeeded');
}, 20_000);

test('a long-poll on a job that does not end returns its current state when the wait is over', async () => {
  const { job } = await tenant.client.submit({
    model: 'openai/gpt-4o-mini',
    input: { messages: [{ role: 'user', content: 'Never [[sim: fault=hang]]' }] },
    cancel_after: '30s',
  });
  await stack.simulator.nextCall(); // the worker has it: running, and it will stay so
  const polled = await tenant.client.get(job.id, { waitSeconds: 1 });
  expect(polled.status).toBe('running');
  await tenant.client.cancel(job.id);
});

test('jobs are listed newest first with a cursor, and filtered by status', async () => {
  const other = await stack.tenant();
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) {
    const { job } = await other.client.submit(
      {
        model: 'openai/gpt-4o-mini',
        input: { messages: [{ role: 'user', content: `List me ${i}` }] },
      },
      { waitSeconds: 10 },
    );
    ids.push(job.id);
  }
  const first = await other.client.list({ limit: 2 });
  expect(first.data.map((job) => job.id)).toEqual([ids[2], ids[1]]);
  expect(first.has_more).toBe(true);
  const second = await other.client.list({ limit: 2, cursor: first.next_cursor! });
  expect(second).toMatchObject({ has_more: false, next_cursor: null });
  expect(second.data.map((job) => job.id)).toEqual([ids[0]]);
  expect((await other.client.list({ status: 'succeeded' })).data).toHaveLength(3);
  expect((await other.client.list({ status: 'queued' })).data).toHaveLength(0);
});
