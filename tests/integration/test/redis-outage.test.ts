import type { JobRequestInput } from '@switchyard/core';
import { whenReady } from '@switchyard/redis-kit';
import { LANE_QUEUES } from '@switchyard/queue';
import { QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { startRedisServer } from '@switchyard/redis-server';
import { http, sampleValue, startStack, type Stack, type TenantHandle } from '../src';

let stack: Stack;
let tenant: TenantHandle;
beforeAll(async () => {
  // AOF with fsync on every write: a SIGKILL loses nothing, as with a replicated production Redis.
  const redis = await startRedisServer({ appendOnly: true, args: ['--appendfsync', 'always'] });
  stack = await startStack({ redis });
  tenant = await stack.tenant();
});
// A test that fails half-way must not leave the next one without Redis.
afterEach(async () => {
  if (!stack.redis.running) await stack.redis.restart();
  await whenReady(stack.api.deps.redis);
  await whenReady(stack.api.deps.subscriber);
});

afterAll(async () => {
  // The server is this file's: it stops even when close() finds a leak and throws.
  try {
    await stack.close();
  } finally {
    await stack.redis.stop();
  }
});

const body: JobRequestInput = {
  model: 'openai/gpt-4o-mini',
  input: { messages: [{ role: 'user', content: 'Survive' }] },
};

test('with Redis gone every route that needs it answers 503 with Retry-After at once; health stays up', async () => {
  await stack.redis.kill();
  const submit = await http(`${stack.api.url}/v1/jobs`, { token: tenant.apiKey, body });
  expect(submit.status).toBe(503);
  expect(submit.headers.get('retry-after')).toBe('1');
  expect(submit.body.error.type).toBe('service_unavailable');
  expect((await http(`${stack.api.url}/v1/jobs`, { token: tenant.apiKey })).status).toBe(503);
  expect((await http(`${stack.api.url}/admin/tenants`, { token: stack.adminToken })).status).toBe(
    503,
  );
  const board = await http(`${stack.api.url}/admin/queues/api/queues`, { token: stack.adminToken });
  expect([board.status, board.body.error.type]).toEqual([503, 'service_unavailable']);
  // The board's page itself is static: it loads, and shows the outage through its API.
  expect((await http(`${stack.api.url}/admin/queues`, { token: stack.adminToken })).status).toBe(
    200,
  );
  expect((await http(`${stack.api.url}/healthz`)).status).toBe(200);
  const ready = await http(`${stack.api.url}/readyz`);
  expect([ready.status, ready.body.redis]).toEqual([503, 'unreachable']);
  // Refused before any route ran, the 503s are still counted under their routes (and /metrics
  // itself answers without Redis, with the gauges it read last).
  const metrics = await http(`${stack.api.url}/metrics`, { token: stack.adminToken });
  expect(metrics.status).toBe(200);
  const count = (method: string, route: string) =>
    sampleValue(metrics.body as string, 'switchyard_http_requests_total', {
      method,
      route,
      status: '503',
    });
  expect([
    count('POST', '/v1/jobs'),
    count('GET', '/v1/jobs'),
    count('GET', '/admin/tenants'),
  ]).toEqual([1, 1, 1]);
  expect(
    sampleValue(metrics.body as string, 'switchyard_http_requests_total', {
      route: 'unmatched',
      status: '503',
    }),
  ).toBeUndefined();
  await stack.redis.restart();
  await whenReady(stack.api.deps.redis);
  expect((await http(`${stack.api.url}/v1/jobs`, { token: tenant.apiKey })).status).toBe(200);
});

test('a job accepted before a crash finishes after Redis returns', async () => {
  const { job } = await tenant.client.submit({
    ...body,
    input: { messages: [{ role: 'user', content: 'Slow [[sim: latency=1000]]' }] },
  });
  await stack.redis.kill();
  await stack.redis.restart();
  const done = await tenant.client.waitFor(job.id, { timeoutMs: 25_000 });
  expect(done.status).toBe('succeeded');
  expect(done.output?.text.length).toBeGreaterThan(0);
}, 30_000);

test('a worker told to stop right after Redis comes back stops (BullMQ close would hang)', async () => {
  await stack.redis.kill();
  await stack.redis.restart();
  await stack.worker!.close();
  await stack.startWorker();
  await whenReady(stack.api.deps.redis);
  // Just after an outage the API's pub/sub may still be reconnecting, so wait the way a robust
  // client does: long-polls, retried on 503.
  const { job: submitted } = await tenant.client.submit(body);
  const job = await tenant.client.waitFor(submitted.id, { timeoutMs: 20_000 });
  expect(job.status).toBe('succeeded');
});

test('a worker told to stop while Redis is down stops anyway, and a new one resumes the work', async () => {
  await stack.redis.kill();
  await stack.worker!.close();
  await stack.redis.restart();
  await stack.startWorker();
  await whenReady(stack.api.deps.redis);
  // Just after an outage the API's pub/sub may still be reconnecting, so wait the way a robust
  // client does: long-polls, retried on 503.
  const { job: submitted } = await tenant.client.submit(body);
  const job = await tenant.client.waitFor(submitted.id, { timeoutMs: 20_000 });
  expect(job.status).toBe('succeeded');
});

test('Prefer: wait while the API cannot hold the wait (pub/sub down) answers 202 with the created job', async () => {
  const admin = new Redis(stack.redis.url);
  const clients = ((await admin.client('LIST')) as string).trim().split('\n');
  const events = clients.find((line) => line.includes(` name=${stack.api.id}:events `));
  // Keep the API's event connection from coming back: no room for another client.
  await admin.config('SET', 'maxclients', String(clients.length));
  const [, eventsId] = /(?:^| )id=(\d+)/.exec(events!)!;
  await admin.client('KILL', 'ID', eventsId!);
  try {
    const submit = await http(`${stack.api.url}/v1/jobs`, {
      token: tenant.apiKey,
      body,
      headers: { prefer: 'wait=5' },
    });
    expect([submit.status, submit.body.status]).toEqual([202, 'queued']);
    expect(submit.headers.get('preference-applied')).toBeNull();
    await admin.config('SET', 'maxclients', '10000');
    const done = await tenant.client.waitFor(submit.body.id, { timeoutMs: 20_000 });
    expect(done.status).toBe('succeeded');
  } finally {
    await admin.config('SET', 'maxclients', '10000');
    admin.disconnect();
  }
});

test('an identical job that cannot follow (worker pub/sub down) waits and is served, not failed', async () => {
  stack.simulator.reset();
  const same = {
    ...body,
    input: {
      messages: [{ role: 'user' as const, content: `Twin ${Date.now()} [[sim: latency=1500]]` }],
    },
  };
  const { job: leader } = await tenant.client.submit(same);
  await stack.simulator.nextCall();
  const admin = new Redis(stack.redis.url);
  const clients = ((await admin.client('LIST')) as string).trim().split('\n');
  const workerEvents = clients.find((line) => line.includes(` name=${stack.worker!.id}:events `));
  // Keep the worker's pub/sub connection from coming back: no room for another client.
  await admin.config('SET', 'maxclients', String(clients.length));
  const [, eventsId] = /(?:^| )id=(\d+)/.exec(workerEvents!)!;
  await admin.client('KILL', 'ID', eventsId!);
  try {
    const events = new QueueEvents(LANE_QUEUES.interactive, {
      connection: { url: stack.redis.url },
      prefix: stack.api.deps.keys.bullPrefix,
    });
    await events.waitUntilReady();
    const fate = new Promise<string>((resolve) => {
      events.on('delayed', ({ jobId }) => resolve(`delayed ${jobId}`));
      events.on('failed', ({ jobId }) => resolve(`failed ${jobId}`));
    });
    const { job: twin } = await tenant.client.submit(same);
    // The twin cannot subscribe to the leader's answer; it goes back to wait, not to fail.
    expect(await fate).toBe(`delayed ${twin.id}`);
    await events.close();
    await admin.config('SET', 'maxclients', '10000');
    const done = await Promise.all([leader.id, twin.id].map((id) => tenant.client.waitFor(id)));
    expect(done.map((job) => job.status)).toEqual(['succeeded', 'succeeded']);
    expect(stack.simulator.calls()).toHaveLength(1);
  } finally {
    await admin.config('SET', 'maxclients', '10000');
    admin.disconnect();
  }
});

test('a long-poll whose Redis goes away ends with 503 when its wait is over, not when Redis returns', async () => {
  const { job } = await tenant.client.submit({
    ...body,
    input: { messages: [{ role: 'user', content: 'Hold [[sim: fault=hang]] poll' }] },
  });
  await stack.simulator.nextCall();
  const polling = http(`${stack.api.url}/v1/jobs/${job.id}?wait=2`, { token: tenant.apiKey });
  // No event says "the API is now subscribed": ask Redis until it is.
  const probe = new Redis(stack.redis.url);
  const channel = stack.api.deps.keys.jobEvents(job.id);
  while (((await probe.pubsub('NUMSUB', channel)) as [string, number])[1] === 0) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  probe.disconnect();
  await stack.redis.kill(); // mid-wait: the old code then hung until Redis came back
  const answer = await polling;
  expect([answer.status, answer.body.error?.type]).toEqual([503, 'service_unavailable']);
  await stack.redis.restart();
  await whenReady(stack.api.deps.redis);
  await tenant.client.cancel(job.id);
});

test('a Redis that stops answering (a long script) gets 503 within the command timeout', async () => {
  const blocker = new Redis(stack.redis.url);
  await whenReady(blocker);
  // Three seconds of busy script: Redis serves no one else meanwhile.
  const busy = blocker.eval(
    "local s = tonumber(redis.call('TIME')[1]) while tonumber(redis.call('TIME')[1]) < s + 3 do end return 1",
    0,
  );
  const answer = await http(`${stack.api.url}/v1/jobs`, { token: tenant.apiKey });
  expect([answer.status, answer.body.error.type]).toEqual([503, 'service_unavailable']);
  expect(answer.headers.get('retry-after')).toBe('1');
  expect(await busy).toBe(1);
  blocker.disconnect();
  expect((await http(`${stack.api.url}/v1/jobs`, { token: tenant.apiKey })).status).toBe(200);
});
