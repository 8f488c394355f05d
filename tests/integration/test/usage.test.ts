import { type Job, type JobRequestInput, type UsageFigures, UsageReport } from '@switchyard/core';
import { dayOf } from '@switchyard/tenancy';
import { http, startStack, type Stack, type TenantHandle } from '../src';

let stack: Stack;
let tenant: TenantHandle;
let jobs: { mini: Job; hit: Job; haiku: Job };
beforeAll(async () => {
  stack = await startStack();
  tenant = await stack.tenant();
  const run = async (body: JobRequestInput) =>
    (await tenant.client.submit(body, { waitSeconds: 20 })).job;
  const cachable = {
    model: 'openai/gpt-4o-mini',
    input: { messages: [{ role: 'user' as const, content: 'Count my usage' }], max_tokens: 50 },
    cache: true,
  };
  const mini = await run(cachable);
  const hit = await run(cachable);
  const haiku = await run({
    model: 'anthropic/claude-3-5-haiku-latest',
    input: { messages: [{ role: 'user', content: 'And mine' }], max_tokens: 50 },
  });
  jobs = { mini, hit, haiku };
});
afterAll(() => stack.close());

const MINI = 'openai/gpt-4o-mini';
const HAIKU = 'anthropic/claude-3-5-haiku-latest';
const today = dayOf(new Date());
/** 40 days back: always an earlier month, so outside the default range (this month). */
const earlier = dayOf(new Date(Date.now() - 40 * 86_400_000));
const firstOfMonth = `${today.slice(0, 7)}-01`;

const usage = (query: string, token = tenant.apiKey) =>
  http(`${stack.api.url}/v1/usage${query}`, { token });
/** Money as the ledger keeps it: whole nano-dollars, summed before they become dollars. */
const nanos = (usd: number | null | undefined) => Math.round((usd ?? 0) * 1e9);
const usd = (...amounts: (number | null | undefined)[]) =>
  amounts.reduce<number>((sum, amount) => sum + nanos(amount), 0) / 1e9;
const figures = (values: Partial<UsageFigures>): UsageFigures => ({
  requests: 0,
  input_tokens: 0,
  output_tokens: 0,
  cost_usd: 0,
  cache_hits: 0,
  cost_saved_usd: 0,
  ...values,
});

test('the jobs ran as the figures below assume: a call, a cache hit of it, another model', () => {
  expect([jobs.mini.cached, jobs.hit.cached, jobs.haiku.cached]).toEqual([false, true, false]);
  expect(jobs.hit.usage).toEqual({ ...jobs.mini.usage, cost_usd: 0 });
  expect(jobs.mini.usage!.cost_usd).toBeGreaterThan(0);
});

test('by model (the default) over this month: requests, tokens, cost, cache hits, cost saved', async () => {
  const mini = jobs.mini.usage!;
  const haiku = jobs.haiku.usage!;
  const miniRow = figures({
    requests: 2,
    input_tokens: 2 * mini.input_tokens,
    output_tokens: 2 * mini.output_tokens,
    cost_usd: usd(mini.cost_usd),
    cache_hits: 1,
    // The hit saved what its answer's call cost.
    cost_saved_usd: usd(mini.cost_usd),
  });
  const haikuRow = figures({
    requests: 1,
    input_tokens: haiku.input_tokens,
    output_tokens: haiku.output_tokens,
    cost_usd: usd(haiku.cost_usd),
  });
  const response = await usage('');
  expect(response.status).toBe(200);
  // The contract's schema (the SDK's types) describes it exactly.
  expect(UsageReport.parse(response.body)).toEqual(response.body);
  expect(response.body).toEqual({
    object: 'usage',
    from: firstOfMonth,
    to: today,
    group_by: 'model',
    data: [
      { model: HAIKU, ...haikuRow },
      { model: MINI, ...miniRow },
    ],
    totals: figures({
      requests: 3,
      input_tokens: 2 * mini.input_tokens + haiku.input_tokens,
      output_tokens: 2 * mini.output_tokens + haiku.output_tokens,
      cost_usd: usd(mini.cost_usd, haiku.cost_usd),
      cache_hits: 1,
      cost_saved_usd: usd(mini.cost_usd),
    }),
  });
});

test('by day, over a range that reaches an earlier day with usage', async () => {
  // Another day's counters, written as the worker writes them.
  await stack.api.deps.spend.record(
    tenant.id,
    { model: MINI, inputTokens: 1_000, outputTokens: 100, costUsd: 0.25, cached: false },
    new Date(`${earlier}T12:00:00Z`),
  );
  const mini = jobs.mini.usage!;
  const haiku = jobs.haiku.usage!;
  const response = await usage(`?from=${earlier}&to=${today}T23:59:59Z&group_by=day`);
  expect(response.status).toBe(200);
  expect(UsageReport.parse(response.body)).toEqual(response.body);
  expect(response.body).toEqual({
    object: 'usage',
    from: earlier,
    to: today,
    group_by: 'day',
    data: [
      {
        day: earlier,
        ...figures({ requests: 1, input_tokens: 1_000, output_tokens: 100, cost_usd: 0.25 }),
      },
      {
        day: today,
        ...figures({
          requests: 3,
          input_tokens: 2 * mini.input_tokens + haiku.input_tokens,
          output_tokens: 2 * mini.output_tokens + haiku.output_tokens,
          cost_usd: usd(mini.cost_usd, haiku.cost_usd),
          cache_hits: 1,
          cost_saved_usd: usd(mini.cost_usd),
        }),
      },
    ],
    totals: figures({
      requests: 4,
      input_tokens: 1_000 + 2 * mini.input_tokens + haiku.input_tokens,
      output_tokens: 100 + 2 * mini.output_tokens + haiku.output_tokens,
      cost_usd: usd(0.25, mini.cost_usd, haiku.cost_usd),
      cache_hits: 1,
      cost_saved_usd: usd(mini.cost_usd),
    }),
  });
  // The earlier day alone, per model.
  const alone = await usage(`?from=${earlier}&to=${earlier}`);
  expect(alone.body.data).toEqual([
    {
      model: MINI,
      ...figures({ requests: 1, input_tokens: 1_000, output_tokens: 100, cost_usd: 0.25 }),
    },
  ]);
});

test("a tenant sees only its own usage: none of another's", async () => {
  const other = await stack.tenant();
  const response = await usage(`?from=${earlier}&group_by=model`, other.apiKey);
  expect(response.status).toBe(200);
  expect(response.body).toEqual({
    object: 'usage',
    from: earlier,
    to: today,
    group_by: 'model',
    data: [],
    totals: figures({}),
  });
});

test('a key without the usage:read scope is 403', async () => {
  const reader = await stack.admin.createKey(tenant.id, { scopes: ['jobs:read'] });
  const response = await usage('', reader.key);
  expect(response.status).toBe(403);
  expect(response.body.error.type).toBe('permission_denied');
});

test('bad parameters are 400s in the error shape, naming the parameter', async () => {
  const cases: [string, { path: string; message: string }][] = [
    [
      '?group_by=week',
      { path: 'query.group_by', message: 'Invalid option: expected one of "model"|"day"' },
    ],
    [
      '?from=2026-02-30',
      { path: 'query.from', message: 'must be a date (YYYY-MM-DD) or an ISO 8601 time' },
    ],
    [
      '?to=tomorrow',
      { path: 'query.to', message: 'must be a date (YYYY-MM-DD) or an ISO 8601 time' },
    ],
    [
      '?from=2026-12-02&to=2026-12-01',
      { path: 'query.from', message: 'must not be after to (2026-12-01)' },
    ],
    [
      '?from=2025-01-01&to=2026-01-02',
      { path: 'query.to', message: 'must be at most 365 days after from' },
    ],
    [
      '?from=2026-12-01&from=2026-12-02',
      { path: 'query.from', message: 'Invalid input: expected string, received array' },
    ],
    ['?since=2026-12-01', { path: 'query.since', message: 'unknown field' }],
  ];
  for (const [query, detail] of cases) {
    const response = await usage(query);
    expect([query, response.status]).toEqual([query, 400]);
    expect(response.body).toEqual({
      error: {
        type: 'invalid_request',
        message: expect.stringContaining(detail.path),
        request_id: response.headers.get('x-request-id'),
        details: [detail],
      },
    });
  }
  // The longest range there is, 366 days, is read.
  expect((await usage('?from=2025-01-01&to=2026-01-01')).status).toBe(200);
});
