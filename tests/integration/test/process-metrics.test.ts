import { beat } from '@switchyard/queue';
import { Redis } from 'ioredis';
import {
  http,
  promtoolCheckMetrics,
  sampleValue,
  startStack,
  type Stack,
  type TenantHandle,
  WebhookReceiver,
} from '../src';

let stack: Stack;
let tenant: TenantHandle;
let receiver: WebhookReceiver;
beforeAll(async () => {
  stack = await startStack({
    dispatcher: true,
    allowPrivateWebhooks: true,
    config: {
      retry: { max_attempts: 2, base_delay: 20, max_delay: 50 },
      circuit: { consecutive_failures: 3, min_calls: 1_000 },
      // A model the config does not know, and so has no price, is run below.
      pricing: { allow_unpriced: true },
    },
  });
  tenant = await stack.tenant();
  receiver = await WebhookReceiver.start();
});
afterAll(async () => {
  await receiver.close();
  await stack.close();
});
beforeEach(() => stack.simulator.reset());

const ask = (content: string, more: object = {}) => ({
  model: 'openai/gpt-4o-mini',
  input: { messages: [{ role: 'user' as const, content }] },
  cache: false,
  ...more,
});
const scrape = async (base: string): Promise<string> => {
  const { status, body } = await http(`${base}/metrics`, { token: stack.adminToken });
  expect(status).toBe(200);
  return body as string;
};
const worker = () => stack.worker!.ops.url;
const dispatcher = () => stack.dispatcher!.ops.url;
/** How much a sample grew between two scrapes (a sample not there yet counts as 0). */
const grew = (before: string, after: string, name: string, labels: Record<string, string>) =>
  (sampleValue(after, name, labels) ?? 0) - (sampleValue(before, name, labels) ?? 0);
const run = async (body: object) => {
  const { job } = await tenant.client.submit(body as never);
  return tenant.client.waitFor(job.id, { timeoutMs: 20_000 });
};

test('the worker and the dispatcher serve /metrics behind the operator token, and probes beside it', async () => {
  for (const base of [worker(), dispatcher()]) {
    const anonymous = await http(`${base}/metrics`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe(
      'Basic realm="Switchyard", charset="UTF-8"',
    );
    expect(anonymous.body).toEqual({
      error: {
        type: 'authentication_error',
        message: 'Missing or invalid admin or viewer token.',
        request_id: expect.stringMatching(/^req_/),
      },
    });
    expect((await http(`${base}/metrics`, { token: 'wrong-token-wrong-token' })).status).toBe(401);
    expect((await http(`${base}/metrics`, { token: tenant.apiKey })).status).toBe(403);
    const basic = Buffer.from(`admin:${stack.adminToken}`).toString('base64');
    const scraped = await http(`${base}/metrics`, { headers: { Authorization: `Basic ${basic}` } });
    expect(scraped.status).toBe(200);
    expect(scraped.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect((await http(`${base}/metrics`, { method: 'POST', body: 'x' })).status).toBe(405);
    expect((await http(`${base}/nothing`)).status).toBe(404);
    expect(await http(`${base}/readyz`)).toMatchObject({
      status: 200,
      body: { status: 'ready', redis: 'ready', closing: false },
    });
  }
  const capacity = stack.settings.worker.concurrency + stack.settings.worker.batchConcurrency;
  expect(await http(`${worker()}/healthz`)).toMatchObject({
    status: 200,
    body: { status: 'ok', consuming: true, stalled: [], in_flight: 0, capacity },
  });
  expect((await http(`${dispatcher()}/healthz`)).body).toMatchObject({ status: 'ok' });
  expect(sampleValue(await scrape(worker()), 'switchyard_worker_capacity')).toBe(capacity);
});

test('jobs, calls, the cache, tokens and cost are counted by model', async () => {
  const before = await scrape(worker());
  const first = await run(ask('Count me once', { cache: true }));
  const second = await run(ask('Count me once', { cache: true }));
  expect([first.cached, second.cached]).toEqual([false, true]);
  const after = await scrape(worker());

  const model = 'openai/gpt-4o-mini';
  const call = { provider: 'openai', model: 'gpt-4o-mini', outcome: 'succeeded' };
  const usage = first.usage!;
  expect({
    finished: grew(before, after, 'switchyard_jobs_finished_total', { model, status: 'succeeded' }),
    calls: grew(before, after, 'switchyard_provider_calls_total', call),
    timed: grew(before, after, 'switchyard_provider_call_duration_seconds_count', call),
    hits: grew(before, after, 'switchyard_cache_lookups_total', { result: 'hit' }),
    misses: grew(before, after, 'switchyard_cache_lookups_total', { result: 'miss' }),
    input: grew(before, after, 'switchyard_tokens_total', { model, direction: 'input' }),
    output: grew(before, after, 'switchyard_tokens_total', { model, direction: 'output' }),
    waited: grew(before, after, 'switchyard_job_queue_wait_seconds_count', { lane: 'interactive' }),
    ran: grew(before, after, 'switchyard_job_run_seconds_count', { model, status: 'succeeded' }),
    total: grew(before, after, 'switchyard_job_duration_seconds_count', {
      model,
      status: 'succeeded',
    }),
  }).toEqual({
    finished: 2,
    calls: 1,
    timed: 1,
    hits: 1,
    misses: 1,
    input: 2 * usage.input_tokens,
    output: 2 * usage.output_tokens,
    waited: 2,
    ran: 2,
    total: 2,
  });
  // The cached answer cost nothing: the money is the first call's.
  expect(grew(before, after, 'switchyard_cost_usd_total', { model })).toBeCloseTo(
    usage.cost_usd!,
    12,
  );
  expect(
    sampleValue(after, 'switchyard_circuit_state', { provider: 'openai', model: 'gpt-4o-mini' }),
  ).toBe(0);
});

test('a model the config does not know is counted as "other", never under its own name', async () => {
  const before = { api: await scrape(stack.api.url), worker: await scrape(worker()) };
  const done = await run({ ...ask('Unknown model'), model: 'openai/made-up-model-123' });
  expect(done.status).toBe('succeeded');
  const after = { api: await scrape(stack.api.url), worker: await scrape(worker()) };
  expect({
    submitted: grew(before.api, after.api, 'switchyard_jobs_submitted_total', {
      model: 'other',
      lane: 'interactive',
    }),
    finished: grew(before.worker, after.worker, 'switchyard_jobs_finished_total', {
      model: 'other',
      status: 'succeeded',
    }),
    calls: grew(before.worker, after.worker, 'switchyard_provider_calls_total', {
      provider: 'openai',
      model: 'other',
      outcome: 'succeeded',
    }),
  }).toEqual({ submitted: 1, finished: 1, calls: 1 });
  for (const text of [after.api, after.worker]) expect(text).not.toContain('made-up-model-123');
});

test('retries, provider 429s and fallbacks', async () => {
  const before = await scrape(worker());
  await run(ask('Flaky [[sim: fault=500 times=1]]'));
  await run(ask('Busy [[sim: fault=429 times=1 retry_after=0.05]]'));
  const moved = await run(
    ask('Broken here [[sim: fault=500 model=gpt-4o-mini]]', {
      fallbacks: ['anthropic/claude-3-5-haiku-latest'],
    }),
  );
  expect(moved.served_by).toEqual({ provider: 'anthropic', model: 'claude-3-5-haiku-latest' });
  const after = await scrape(worker());
  const target = { provider: 'openai', model: 'gpt-4o-mini' };
  expect({
    // One retry each for the 500 and the 429, one before the third job fell back.
    retries: grew(before, after, 'switchyard_retries_total', target),
    limited: grew(before, after, 'switchyard_provider_rate_limited_total', target),
    failedCalls: grew(before, after, 'switchyard_provider_calls_total', {
      ...target,
      outcome: 'retryable_error',
    }),
    fallbacks: grew(before, after, 'switchyard_fallbacks_total', {
      from: 'openai/gpt-4o-mini',
      to: 'anthropic/claude-3-5-haiku-latest',
      reason: 'failure',
    }),
  }).toEqual({ retries: 3, limited: 1, failedCalls: 3, fallbacks: 1 });
});

test('a circuit that opens shows in the gauge, and the jobs it turns away as fallbacks', async () => {
  const failing = (n: number) =>
    run({
      ...ask(`Down ${n} [[sim: fault=500 model=gpt-4o]]`),
      model: 'openai/gpt-4o',
      fallbacks: ['anthropic/claude-3-5-haiku-latest'],
    });
  const before = await scrape(worker());
  await failing(1); // two failures in a row: still closed
  await failing(2); // the third opens it
  await failing(3); // turned away without a call
  const after = await scrape(worker());
  expect(
    sampleValue(after, 'switchyard_circuit_state', { provider: 'openai', model: 'gpt-4o' }),
  ).toBe(2);
  const from = { from: 'openai/gpt-4o', to: 'anthropic/claude-3-5-haiku-latest' };
  // The first job fell back after its second failure; the second opened the circuit with its
  // first call and was turned away on its retry, like the third before any call.
  expect({
    failure: grew(before, after, 'switchyard_fallbacks_total', { ...from, reason: 'failure' }),
    open: grew(before, after, 'switchyard_fallbacks_total', { ...from, reason: 'circuit_open' }),
    calls: stack.simulator.calls().filter((call) => call.model === 'gpt-4o').length,
  }).toEqual({ failure: 1, open: 2, calls: 3 });
});

test('webhook deliveries are counted by result with their latency, at the dispatcher', async () => {
  const before = await scrape(dispatcher());
  const job = await run(ask('Tell me when done', { webhook: receiver.url }));
  // Counted before it is logged, so once the attempts log shows it, the count has it too.
  await deliveryLogged(job.id);
  const after = await scrape(dispatcher());
  expect(grew(before, after, 'switchyard_webhook_deliveries_total', { result: 'delivered' })).toBe(
    1,
  );
  expect(
    grew(before, after, 'switchyard_webhook_delivery_duration_seconds_count', {
      result: 'delivered',
    }),
  ).toBe(1);
});

/** The attempts log is written just after each response: wait until it holds one (as webhooks.test.ts does). */
async function deliveryLogged(jobId: string): Promise<void> {
  for (;;) {
    const { body } = await http(`${stack.api.url}/v1/jobs/${jobId}/deliveries`, {
      token: tenant.apiKey,
    });
    if (body.data.length >= 1) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('requests served inside mounted routers, and ones their client gave up, count under their route', async () => {
  const before = await scrape(stack.api.url);
  expect(
    (await http(`${stack.api.url}/admin/queues/api/queues`, { token: stack.adminToken })).status,
  ).toBe(200);
  expect((await http(`${stack.api.url}/openapi.json`)).status).toBe(200);
  // A long-poll its client abandons once it is held (subscribed to the job's channel).
  const { job } = await tenant.client.submit(ask('Held [[sim: latency=10000]]') as never);
  const leaving = new AbortController();
  const polling = fetch(`${stack.api.url}/v1/jobs/${job.id}?wait=30`, {
    headers: { Authorization: `Bearer ${tenant.apiKey}` },
    signal: leaving.signal,
  }).catch(() => 'abandoned');
  const watcher = new Redis(stack.redis.url);
  try {
    const channel = stack.api.deps.keys.jobEvents(job.id);
    for (;;) {
      const [, subscribers] = (await watcher.pubsub('NUMSUB', channel)) as [string, number];
      if (subscribers > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    watcher.disconnect();
  }
  leaving.abort();
  expect(await polling).toBe('abandoned');
  await tenant.client.cancel(job.id);
  const after = await scrape(stack.api.url);
  const count = (method: string, route: string, status: string) =>
    grew(before, after, 'switchyard_http_requests_total', { method, route, status });
  expect({
    board: count('GET', '/admin/queues', '200'),
    openapi: count('GET', '/openapi.json', '200'),
    abandoned: count('GET', '/v1/jobs/{id}', '499'),
    unmatched: grew(before, after, 'switchyard_http_requests_total', { route: 'unmatched' }),
    // The cancel above ends the job at the API, which counts it (workers count the other ends).
    canceled: grew(before, after, 'switchyard_jobs_finished_total', {
      model: 'openai/gpt-4o-mini',
      status: 'canceled',
    }),
  }).toEqual({ board: 1, openapi: 1, abandoned: 1, unmatched: 0, canceled: 1 });
});

test('the API reports every queue by state, its backlog, the outbox and the workers', async () => {
  const text = await scrape(stack.api.url);
  for (const queue of ['jobs-interactive', 'jobs-batch', 'job-deadlines', 'webhooks']) {
    for (const state of [
      'waiting',
      'prioritized',
      'delayed',
      'waiting-children',
      'active',
      'completed',
      'failed',
    ]) {
      expect(sampleValue(text, 'switchyard_queue_jobs', { queue, state })).toEqual(
        expect.any(Number),
      );
    }
    expect(sampleValue(text, 'switchyard_queue_backlog', { queue })).toBe(0);
    expect(sampleValue(text, 'switchyard_queue_oldest_wait_seconds', { queue })).toBe(0);
    expect(sampleValue(text, 'switchyard_queue_paused', { queue })).toBe(0);
  }
  expect(sampleValue(text, 'switchyard_webhook_outbox_events')).toBe(0);
  expect(sampleValue(text, 'switchyard_workers_live', { state: 'live' })).toBe(1);
  expect(sampleValue(text, 'switchyard_workers_live', { state: 'consuming' })).toBe(1);
});

test('a worker that beats but has stopped consuming does not make the API ready', async () => {
  const redis = new Redis(stack.redis.url);
  const keys = stack.api.deps.keys;
  const status = { stalled: ['jobs-interactive'], in_flight: 0, capacity: 10 };
  try {
    await stack.worker!.close(); // only the stand-in below beats now
    await beat(redis, keys, 'worker-stand-in', Date.now(), { ...status, consuming: false });
    expect(await http(`${stack.api.url}/readyz`)).toMatchObject({
      status: 503,
      body: { status: 'unavailable', redis: 'ok', workers: 1, consuming: 0 },
    });
    const metrics = await scrape(stack.api.url);
    expect(sampleValue(metrics, 'switchyard_workers_live', { state: 'live' })).toBe(1);
    expect(sampleValue(metrics, 'switchyard_workers_live', { state: 'consuming' })).toBe(0);
    await beat(redis, keys, 'worker-stand-in', Date.now(), {
      ...status,
      consuming: true,
      stalled: [],
    });
    expect(await http(`${stack.api.url}/readyz`)).toMatchObject({
      status: 200,
      body: { workers: 1, consuming: 1 },
    });
  } finally {
    await redis.zrem(keys.workers, 'worker-stand-in');
    redis.disconnect();
    await stack.startWorker();
  }
});

test('every process reports its Redis connection up', async () => {
  const up = async (base: string) => sampleValue(await scrape(base), 'switchyard_redis_up');
  expect({
    api: await up(stack.api.url),
    worker: await up(worker()),
    dispatcher: await up(dispatcher()),
  }).toEqual({ api: 1, worker: 1, dispatcher: 1 });
});

test('each process’s exposition passes promtool check metrics', async () => {
  for (const base of [stack.api.url, worker(), dispatcher()]) {
    const result = await promtoolCheckMetrics(await scrape(base));
    expect(result).toEqual({ code: 0, output: '' });
  }
});
