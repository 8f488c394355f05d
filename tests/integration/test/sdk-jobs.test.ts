import type { JobRequestInput } from '@switchyard/core';
import {
  AuthenticationError,
  BadRequestError,
  BudgetExceededError,
  ConflictError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  SwitchyardClient,
  UnprocessableEntityError,
} from '@switchyard/sdk';
import { startStack, type Stack, type TenantHandle } from '../src';

// The SDK against a running stack: a real redis-server, the API, a worker and the simulator.

let stack: Stack;
let tenant: TenantHandle;
beforeAll(async () => {
  stack = await startStack();
  tenant = await stack.tenant();
});
afterAll(() => stack.close());

const ask = (content: string): JobRequestInput => ({
  model: 'openai/gpt-4o-mini',
  input: { messages: [{ role: 'user', content }], max_tokens: 30 },
});

/** A client for `key` on the stack's API; `fetch` to watch or disturb its requests. */
const clientOf = (
  apiKey: string,
  options: Partial<ConstructorParameters<typeof SwitchyardClient>[0]> = {},
) => new SwitchyardClient({ baseUrl: stack.api.url, apiKey, ...options });

/** What a call rejected with. */
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

test('submit, get (long-poll), wait with onPoll, and a final job in the contract’s shape', async () => {
  const { job, replayed } = await tenant.client.submit(ask('Hello [[sim: latency=300]]'));
  expect([job.status, replayed]).toEqual(['queued', false]);
  const polled: string[] = [];
  const done = await tenant.client.wait(job.id, { onPoll: (j) => polled.push(j.status) });
  expect(done).toMatchObject({
    id: job.id,
    status: 'succeeded',
    served_by: { provider: 'openai' },
  });
  expect(polled.at(-1)).toBe('succeeded');
  expect(await tenant.client.get(job.id, { waitSeconds: 5 })).toEqual(done);
  expect(await tenant.client.waitFor(job.id)).toEqual(done);
});

test('submit with waitSeconds answers with the ended job', async () => {
  const { job } = await tenant.client.submit(ask('Quick'), { waitSeconds: 20 });
  expect(job.status).toBe('succeeded');
  expect(job.output!.text.length).toBeGreaterThan(0);
});

test('list pages newest first and listAll follows next_cursor through every page', async () => {
  const own = await stack.tenant();
  const ids: string[] = [];
  for (const n of [1, 2, 3]) ids.push((await own.client.submit(ask(`Page ${n}`))).job.id);
  const first = await own.client.list({ limit: 2 });
  expect(first.data.map((job) => job.id)).toEqual([ids[2], ids[1]]);
  expect(first.has_more).toBe(true);
  const second = await own.client.list({ limit: 2, cursor: first.next_cursor! });
  expect([second.data.map((job) => job.id), second.has_more]).toEqual([[ids[0]], false]);
  const all: string[] = [];
  for await (const job of own.client.listAll()) all.push(job.id);
  expect(all).toEqual([...ids].reverse());
  for (const id of ids) await own.client.wait(id);
  const succeeded: string[] = [];
  for await (const job of own.client.listAll({ status: 'succeeded' })) succeeded.push(job.id);
  expect(succeeded).toEqual([...ids].reverse());
});

test('cancel of a running job, then ConflictError for cancelling it again', async () => {
  const { job } = await tenant.client.submit(ask('Long [[sim: latency=20000]]'));
  // Cancel once the worker has it, so this cancels a running call.
  for await (const event of tenant.client.stream(job.id)) {
    if (event.type === 'status' && event.data.status === 'running') break;
  }
  const canceled = await tenant.client.cancel(job.id);
  expect(canceled.id).toBe(job.id);
  expect((await tenant.client.wait(job.id)).status).toBe('canceled');
  const again = await failure(tenant.client.cancel(job.id));
  expect(again).toBeInstanceOf(ConflictError);
  expect(again).toMatchObject({ status: 409, type: 'conflict' });
});

test('usage per model and per day', async () => {
  const own = await stack.tenant();
  const { job } = await own.client.submit(ask('Count me'), { waitSeconds: 20 });
  expect(job.status).toBe('succeeded');
  const byModel = await own.client.usage();
  expect(byModel).toMatchObject({
    object: 'usage',
    group_by: 'model',
    data: [{ model: 'openai/gpt-4o-mini', requests: 1, input_tokens: job.usage!.input_tokens }],
    totals: { requests: 1, output_tokens: job.usage!.output_tokens, cost_usd: job.usage!.cost_usd },
  });
  const today = job.created_at.slice(0, 10);
  const byDay = await own.client.usage({ from: today, to: today, groupBy: 'day' });
  expect(byDay).toMatchObject({
    from: today,
    to: today,
    group_by: 'day',
    data: [{ day: today, requests: 1 }],
  });
});

test('a submit whose answer is lost after the API took it is retried with the same key: one job', async () => {
  const own = await stack.tenant();
  const posts: Array<string | null> = [];
  const losing: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    if (init?.method !== 'POST') return response;
    posts.push(new Headers(init.headers).get('idempotency-key'));
    // The API handled the first submit; its answer never reaches the client.
    if (posts.length === 1) throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
    return response;
  };
  const { job, replayed } = await clientOf(own.apiKey, { fetch: losing }).submit(ask('Once'));
  expect(posts).toHaveLength(2);
  expect(posts[0]).toMatch(/^[0-9a-f-]{36}$/);
  expect(posts[1]).toBe(posts[0]);
  expect(replayed).toBe(true);
  const jobs = await own.client.list();
  expect(jobs.data.map((j) => j.id)).toEqual([job.id]);
});

test('401: a bad key is an AuthenticationError', async () => {
  const error = await failure(clientOf('sy_live_not_a_key').list());
  expect(error).toBeInstanceOf(AuthenticationError);
  expect(error).toMatchObject({
    status: 401,
    type: 'authentication_error',
    requestId: expect.stringMatching(/./),
  });
});

test('403: a key without the scope is a PermissionDeniedError', async () => {
  const readOnly = await stack.admin.createKey(tenant.id, {
    name: 'reader',
    scopes: ['jobs:read'],
  });
  const reader = clientOf(readOnly.key);
  expect((await reader.list()).object).toBe('list');
  const error = await failure(reader.submit(ask('No')));
  expect(error).toBeInstanceOf(PermissionDeniedError);
  expect(error).toMatchObject({ status: 403, type: 'permission_denied' });
});

test('404: an unknown ID is a NotFoundError, for get, cancel and stream alike', async () => {
  const id = 'job_00000000000000000000000000';
  // One at a time: a call started before the previous one is awaited could reject unobserved.
  for (const call of [
    () => tenant.client.get(id),
    () => tenant.client.cancel(id),
    () => tenant.client.stream(id)[Symbol.asyncIterator]().next(),
  ]) {
    const error = await failure(call());
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ status: 404, type: 'not_found' });
  }
});

test('400: a body that breaks the schema is a BadRequestError listing each field', async () => {
  const error = await failure(
    tenant.client.submit({
      model: 'openai/gpt-4o-mini',
      input: { messages: [], top_k: 1 },
    } as JobRequestInput),
  );
  expect(error).toBeInstanceOf(BadRequestError);
  expect(error).toMatchObject({ status: 400, type: 'invalid_request' });
  const { details } = error as BadRequestError;
  expect(details!.map((detail) => detail.path).sort()).toEqual([
    'body.input.messages',
    'body.input.top_k',
  ]);
});

test('402: a spent budget is a BudgetExceededError', async () => {
  const frugal = await stack.tenant({ monthly_budget_usd: 0.000001 });
  expect((await frugal.client.submit(ask('Spend'), { waitSeconds: 20 })).job.status).toBe(
    'succeeded',
  );
  const error = await failure(frugal.client.submit(ask('More')));
  expect(error).toBeInstanceOf(BudgetExceededError);
  expect(error).toMatchObject({ status: 402, type: 'budget_exceeded' });
});

test('422: an Idempotency-Key reused with another body is an UnprocessableEntityError', async () => {
  const key = `key-${Date.now()}`;
  const first = await tenant.client.submit(ask('One'), { idempotencyKey: key });
  const replay = await tenant.client.submit(ask('One'), { idempotencyKey: key });
  expect([replay.job.id, replay.replayed]).toEqual([first.job.id, true]);
  const error = await failure(tenant.client.submit(ask('Two'), { idempotencyKey: key }));
  expect(error).toBeInstanceOf(UnprocessableEntityError);
  expect(error).toMatchObject({ status: 422, type: 'idempotency_mismatch' });
});

test('429: past the rate limit a RateLimitError carries Retry-After as retryAfter', async () => {
  const limited = await stack.tenant({ rpm: 1 });
  const client = clientOf(limited.apiKey, { maxRetries: 0 });
  await client.submit(ask('First'));
  const error = await failure(client.submit(ask('Second')));
  expect(error).toBeInstanceOf(RateLimitError);
  expect(error).toMatchObject({ status: 429, type: 'rate_limited' });
  const { retryAfter, headers } = error as RateLimitError;
  expect(retryAfter).toBe(Number(headers!.get('retry-after')));
  expect(retryAfter).toBeGreaterThan(0);
});

test('admin: createTenant, listTenants and createKey', async () => {
  const created = await stack.admin.createTenant('sdk-admin', { rpm: 30 });
  expect(created.tenant).toMatchObject({ name: 'sdk-admin', limits: { rpm: 30 } });
  const tenants = await stack.admin.listTenants();
  expect(tenants.map((t) => t.id)).toContain(created.tenant.id);
  const key = await stack.admin.createKey(created.tenant.id, { name: 'second' });
  expect((await clientOf(key.key).list()).data).toEqual([]);
});
