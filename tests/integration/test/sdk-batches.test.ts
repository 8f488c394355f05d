import type { Batch, BatchRequestItemInput } from '@switchyard/core';
import { BadRequestError, ConflictError, NotFoundError } from '@switchyard/sdk';
import { startStack, type Stack, type TenantHandle } from '../src';

// client.batches against a running stack: the API, a worker and the simulator, on a real Redis.

let stack: Stack;
let tenant: TenantHandle;
beforeAll(async () => {
  stack = await startStack();
  tenant = await stack.tenant({ rpm: 100_000 });
});
afterAll(() => stack.close());

let n = 0;
/** A prompt no other request sends, so no answer comes from the cache. */
const prompt = (text: string) => `${text} #${++n}-${Date.now()}`;
const item = (customId: string, content = prompt('Hi')): BatchRequestItemInput => ({
  custom_id: customId,
  model: 'openai/gpt-4o-mini',
  input: { messages: [{ role: 'user', content }], max_tokens: 20 },
});

/** What a call rejected with. */
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

async function results(id: string) {
  const lines = [];
  for await (const line of tenant.client.batches.results(id)) lines.push(line);
  return lines;
}

test('an array batch: create, wait with onProgress, get, list, and every result in order', async () => {
  const requests = Array.from({ length: 8 }, (_, i) => item(`req-${i}`));
  const created = await tenant.client.batches.create(requests, { metadata: { run: 'sdk' } });
  expect(created).toMatchObject({
    object: 'batch',
    status: 'in_progress',
    request_counts: { total: 8, completed: 0, failed: 0, canceled: 0 },
    metadata: { run: 'sdk' },
  });
  const progress: Batch[] = [];
  const done = await tenant.client.batches.wait(created.id, {
    pollIntervalMs: 50,
    onProgress: (batch) => progress.push(batch),
  });
  expect(done).toMatchObject({
    id: created.id,
    status: 'completed',
    request_counts: { total: 8, completed: 8, failed: 0, canceled: 0 },
  });
  expect(progress.at(-1)).toEqual(done);
  const completedSeen = progress.map((batch) => batch.request_counts.completed);
  expect([...completedSeen].sort((a, b) => a - b)).toEqual(completedSeen);
  expect(await tenant.client.batches.get(created.id)).toEqual(done);

  const lines = await results(created.id);
  expect(lines.map((line) => line.custom_id)).toEqual(requests.map((r) => r.custom_id));
  for (const line of lines) {
    expect(line).toMatchObject({ response: { status_code: 200 }, error: null });
    const job = await tenant.client.get(line.id);
    expect(line.response!.body.choices[0]!.message.content).toBe(job.output!.text);
  }
  const list = await tenant.client.batches.list({ limit: 1 });
  expect(list.data.map((batch) => batch.id)).toEqual([created.id]);
});

test('an OpenAI Batch input file given as a JSONL string', async () => {
  const jsonl = ['a', 'b', 'c']
    .map((id) =>
      JSON.stringify({
        custom_id: id,
        method: 'POST',
        url: '/v1/chat/completions',
        body: {
          model: 'gpt-4o-mini',
          messages: [{ role: 'user', content: prompt(id) }],
          max_tokens: 10,
        },
      }),
    )
    .join('\n');
  const created = await tenant.client.batches.create({ jsonl });
  expect(created.request_counts.total).toBe(3);
  await tenant.client.batches.wait(created.id, { pollIntervalMs: 50 });
  const lines = await results(created.id);
  expect(lines.map((line) => [line.custom_id, line.response?.status_code])).toEqual([
    ['a', 200],
    ['b', 200],
    ['c', 200],
  ]);
});

test('cancel: the requests not ended are canceled, their lines say so; a completed batch is 409', async () => {
  const fast = item('fast');
  const slow = Array.from({ length: 4 }, (_, i) =>
    item(`slow-${i}`, prompt('Slow [[sim: latency=60000]]')),
  );
  const created = await tenant.client.batches.create([fast, ...slow]);
  // Watch until the fast request has ended, then stop watching (an abort of wait) and cancel.
  const watching = new AbortController();
  const watched = await failure(
    tenant.client.batches.wait(created.id, {
      pollIntervalMs: 50,
      signal: watching.signal,
      onProgress: (batch) =>
        batch.request_counts.completed === 1 && watching.abort(new Error('seen')),
    }),
  );
  expect(watched).toEqual(new Error('seen'));
  const canceled = await tenant.client.batches.cancel(created.id);
  expect(['canceling', 'canceled']).toContain(canceled.status);
  const ended = await tenant.client.batches.wait(created.id, { pollIntervalMs: 50 });
  expect(ended.status).toBe('canceled');
  expect(ended.request_counts).toEqual({ total: 5, completed: 1, failed: 0, canceled: 4 });
  const lines = await results(created.id);
  expect(lines.map((line) => [line.custom_id, line.error?.code ?? 'ok'])).toEqual([
    ['fast', 'ok'],
    ...slow.map((s) => [s.custom_id, 'canceled']),
  ]);

  const small = await tenant.client.batches.create([item('only')]);
  await tenant.client.batches.wait(small.id, { pollIntervalMs: 50 });
  const error = await failure(tenant.client.batches.cancel(small.id));
  expect(error).toBeInstanceOf(ConflictError);
  expect(error).toMatchObject({ status: 409, type: 'conflict' });
});

test('the same idempotencyKey gives the same batch', async () => {
  const requests = [item('idem')];
  const key = `k-${Date.now()}`;
  const one = await tenant.client.batches.create(requests, { idempotencyKey: key });
  const two = await tenant.client.batches.create(requests, { idempotencyKey: key });
  expect(two.id).toBe(one.id);
  const other = await tenant.client.batches.create(requests);
  expect(other.id).not.toBe(one.id);
});

test('a bad JSONL line is a BadRequestError naming its line; an unknown batch is NotFoundError', async () => {
  const error = await failure(
    tenant.client.batches.create({ jsonl: '{"custom_id":"x"}\n{not json' }),
  );
  expect(error).toBeInstanceOf(BadRequestError);
  expect((error as BadRequestError).details!.map((detail) => detail.path)).toContain(
    'line 1.method',
  );
  const missing = await failure(tenant.client.batches.get('batch_00000000000000000000000000'));
  expect(missing).toBeInstanceOf(NotFoundError);
  const results = tenant.client.batches.results('batch_00000000000000000000000000');
  expect(await failure(results[Symbol.asyncIterator]().next())).toBeInstanceOf(NotFoundError);
});

test('metadata cannot go with a JSONL file: refused before any request', async () => {
  await expect(
    tenant.client.batches.create({ jsonl: '{}' }, { metadata: { a: '1' } }),
  ).rejects.toThrow(new TypeError('metadata can only be given with an array of requests'));
});
