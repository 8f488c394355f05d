import { Batch } from '@switchyard/core';
import {
  batchResults,
  http,
  startStack,
  type Stack,
  type TenantHandle,
  waitForBatch,
} from '../src';

// Batches through the whole stack: the API, a worker and the simulator, on a real Redis.
let stack: Stack;
let tenant: TenantHandle;
beforeAll(async () => {
  stack = await startStack({
    config: { retry: { max_attempts: 1, base_delay: 10, max_delay: 50 } },
  });
  tenant = await stack.tenant({ rpm: 100_000 });
});
afterAll(() => stack.close());

let n = 0;
/** A prompt no other test sends, so no answer comes from the cache. */
const prompt = (text: string) => `${text} #${++n}-${Date.now()}`;
const item = (customId: string, content = prompt('Hi'), extra: object = {}) => ({
  custom_id: customId,
  model: 'openai/gpt-4o-mini',
  input: { messages: [{ role: 'user', content }] },
  ...extra,
});
const post = (body: unknown, headers: Record<string, string> = {}, token = tenant.apiKey) =>
  http(`${stack.api.url}/v1/batches`, {
    token,
    headers,
    body: typeof body === 'string' ? body : (body as object),
  });
const postJsonl = (text: string, query = '') =>
  http(`${stack.api.url}/v1/batches${query}`, {
    token: tenant.apiKey,
    method: 'POST',
    headers: { 'Content-Type': 'application/jsonl' },
    body: text,
  });

test('a JSON batch runs each request as a job at batch priority and reports it in order', async () => {
  const { status, headers, body } = await post({
    requests: [item('a'), item('b', prompt('Bye'), { priority: 'interactive' }), item('c')],
    metadata: { run: '7' },
  });
  expect(status).toBe(202);
  const batch = Batch.parse(body);
  expect(headers.get('location')).toBe(batch.urls.get);
  expect([batch.status, batch.request_counts, batch.metadata]).toEqual([
    'in_progress',
    { total: 3, completed: 0, failed: 0, canceled: 0 },
    { run: '7' },
  ]);
  const done = await waitForBatch(stack.api.url, tenant.apiKey, batch.id);
  expect([done.status, done.request_counts]).toEqual([
    'completed',
    { total: 3, completed: 3, failed: 0, canceled: 0 },
  ]);
  expect(done.completed_at).not.toBeNull();

  const { contentType, lines } = await batchResults(stack.api.url, tenant.apiKey, batch.id);
  expect(contentType).toMatch(/^application\/jsonl/);
  expect(lines.map((line) => line.custom_id)).toEqual(['a', 'b', 'c']);
  // Each line's id is the job: the job shows its priority, and the same output.
  const jobs = await Promise.all(lines.map((line) => tenant.client.get(line.id)));
  expect(jobs.map((job) => job.priority)).toEqual(['batch', 'interactive', 'batch']);
  lines.forEach((line, i) => {
    expect(line.error).toBeNull();
    expect(line.response!.status_code).toBe(200);
    expect(line.response!.body.choices[0]!.message.content).toBe(jobs[i]!.output!.text);
    expect(line.response!.body.model).toBe('gpt-4o-mini');
    expect(line.response!.body.usage.prompt_tokens).toBe(jobs[i]!.usage!.input_tokens);
  });
});

test('an OpenAI Batch input file runs end to end and answers in the OpenAI output shape', async () => {
  const lines = [
    {
      custom_id: 'req-1',
      method: 'POST',
      url: '/v1/chat/completions',
      body: {
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: prompt('One') }],
        max_completion_tokens: 5,
      },
    },
    {
      custom_id: 'req-2',
      method: 'POST',
      url: '/v1/chat/completions',
      body: {
        model: 'anthropic/claude-3-5-haiku-latest',
        messages: [{ role: 'user', content: prompt('Two') }],
        max_tokens: 7,
      },
    },
  ];
  const text = `${lines.map((line) => JSON.stringify(line)).join('\n')}\n\n`;
  const { status, body } = await postJsonl(text);
  expect(status).toBe(202);
  const done = await waitForBatch(stack.api.url, tenant.apiKey, body.id);
  expect(done.request_counts).toEqual({ total: 2, completed: 2, failed: 0, canceled: 0 });
  const results = await batchResults(stack.api.url, tenant.apiKey, body.id);
  expect(results.lines.map((line) => [line.custom_id, line.response?.body.model])).toEqual([
    ['req-1', 'gpt-4o-mini'],
    ['req-2', 'claude-3-5-haiku-latest'],
  ]);
  const jobs = await Promise.all(results.lines.map((line) => tenant.client.get(line.id)));
  expect(jobs.map((job) => [job.model, job.priority])).toEqual([
    ['openai/gpt-4o-mini', 'batch'],
    ['anthropic/claude-3-5-haiku-latest', 'batch'],
  ]);
  // max_completion_tokens became the job's max_tokens: the simulator answered at most 5 tokens.
  expect(jobs[0]!.usage!.output_tokens).toBeLessThanOrEqual(5);
});

test('cancel mid-batch: ended jobs keep their result, the rest are canceled, counts add up', async () => {
  const fast = Array.from({ length: 5 }, (_, i) => item(`fast${i}`));
  const slow = Array.from({ length: 15 }, (_, i) =>
    item(`slow${i}`, prompt('Slow [[sim: latency=60000]]')),
  );
  const { body } = await post({ requests: [...fast, ...slow] });
  await waitForBatch(
    stack.api.url,
    tenant.apiKey,
    body.id,
    (b) => b.request_counts.completed === 5,
  );
  const canceled = await http(`${stack.api.url}/v1/batches/${body.id}/cancel`, {
    token: tenant.apiKey,
    method: 'POST',
  });
  expect(canceled.status).toBe(200);
  // Every job not ended was canceled by the request itself, so the batch ended with it.
  expect([canceled.body.status, canceled.body.request_counts]).toEqual([
    'canceled',
    { total: 20, completed: 5, failed: 0, canceled: 15 },
  ]);
  expect(canceled.body.canceled_at).not.toBeNull();
  const { lines } = await batchResults(stack.api.url, tenant.apiKey, body.id);
  expect(lines.map((line) => [line.custom_id, line.error?.code ?? 'ok'])).toEqual([
    ...fast.map((f) => [f.custom_id, 'ok']),
    ...slow.map((s) => [s.custom_id, 'canceled']),
  ]);
  expect(lines.every((line) => (line.response === null) === (line.error !== null))).toBe(true);
  // A canceled batch may be canceled again (nothing changes); a completed one is 409.
  const again = await http(`${stack.api.url}/v1/batches/${body.id}/cancel`, {
    token: tenant.apiKey,
    method: 'POST',
  });
  expect([again.status, again.body.status]).toEqual([200, 'canceled']);
});

test('canceling a completed batch is 409', async () => {
  const { body } = await post({ requests: [item('only')] });
  await waitForBatch(stack.api.url, tenant.apiKey, body.id);
  const { status, body: error } = await http(`${stack.api.url}/v1/batches/${body.id}/cancel`, {
    token: tenant.apiKey,
    method: 'POST',
  });
  expect([status, error.error.type]).toEqual([409, 'conflict']);
});

test('the list shows the tenant’s batches newest first, page by page', async () => {
  const other = await stack.tenant();
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) {
    const { body } = await post({ requests: [item(`l${i}`)] }, {}, other.apiKey);
    ids.push(body.id);
  }
  const first = await http(`${stack.api.url}/v1/batches?limit=2`, { token: other.apiKey });
  expect(first.body.data.map((b: Batch) => b.id)).toEqual([ids[2], ids[1]]);
  expect(first.body.has_more).toBe(true);
  const second = await http(
    `${stack.api.url}/v1/batches?limit=2&cursor=${first.body.next_cursor}`,
    { token: other.apiKey },
  );
  expect([second.body.data.map((b: Batch) => b.id), second.body.has_more]).toEqual([
    [ids[0]],
    false,
  ]);
});

test('another tenant’s batch is 404 on every route; a malformed ID is 404', async () => {
  const { body } = await post({ requests: [item('mine')] });
  const other = await stack.tenant();
  for (const [method, path] of [
    ['GET', ''],
    ['GET', '/results'],
    ['POST', '/cancel'],
  ] as const) {
    const theirs = await http(`${stack.api.url}/v1/batches/${body.id}${path}`, {
      token: other.apiKey,
      method,
    });
    expect([theirs.status, theirs.body.error.type]).toEqual([404, 'not_found']);
    const malformed = await http(`${stack.api.url}/v1/batches/batch_nope${path}`, {
      token: tenant.apiKey,
      method,
    });
    expect(malformed.status).toBe(404);
  }
  const list = await http(`${stack.api.url}/v1/batches`, { token: other.apiKey });
  expect(list.body.data).toEqual([]);
});

test('an Idempotency-Key replays the same batch; another body under it is 422', async () => {
  const body = { requests: [item('idem', 'Idempotent batch')] };
  const headers = { 'Idempotency-Key': `k-${Date.now()}` };
  const first = await post(body, headers);
  const second = await post(body, headers);
  expect([first.status, second.status]).toEqual([202, 200]);
  expect(second.body.id).toBe(first.body.id);
  expect(second.headers.get('idempotent-replayed')).toBe('true');
  const other = await post({ requests: [item('idem', 'Another')] }, headers);
  expect(other.status).toBe(422);
});

// Last: the outage opens gpt-4o-mini's circuit, which would send later tests to their fallbacks.
test('a batch completes across a provider outage through its fallbacks', async () => {
  stack.simulator.reset();
  const outage = (i: number) =>
    item(`o${i}`, prompt(`Outage [[sim: fault=503 model=gpt-4o-mini]]`), {
      fallbacks: ['anthropic/claude-3-5-haiku-latest'],
    });
  const { body } = await post({ requests: Array.from({ length: 20 }, (_, i) => outage(i)) });
  const done = await waitForBatch(stack.api.url, tenant.apiKey, body.id);
  expect([done.status, done.request_counts]).toEqual([
    'completed',
    { total: 20, completed: 20, failed: 0, canceled: 0 },
  ]);
  const { lines } = await batchResults(stack.api.url, tenant.apiKey, body.id);
  expect(lines.map((line) => line.response?.body.model)).toEqual(
    Array(20).fill('claude-3-5-haiku-latest'),
  );
  const calls = stack.simulator.calls();
  expect(calls.filter((call) => call.provider === 'anthropic')).toHaveLength(20);
  // The outage was hit (until gpt-4o-mini's circuit opened), and no call of it succeeded.
  const openai = calls.filter((call) => call.provider === 'openai' && call.fault === '503');
  expect(openai.length).toBeGreaterThan(0);
});
