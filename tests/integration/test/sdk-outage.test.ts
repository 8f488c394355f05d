import type { JobRequestInput } from '@switchyard/core';
import { whenReady } from '@switchyard/redis-kit';
import { startRedisServer } from '@switchyard/redis-server';
import { ServiceUnavailableError, SwitchyardClient } from '@switchyard/sdk';
import { startStack, type Stack, type TenantHandle } from '../src';

// The SDK while the API's Redis is away: a real redis-server killed and restarted under a running
// API and worker.

let stack: Stack;
let tenant: TenantHandle;
beforeAll(async () => {
  // AOF with fsync on every write: the restart loses nothing, as with a replicated production Redis.
  const redis = await startRedisServer({ appendOnly: true, args: ['--appendfsync', 'always'] });
  stack = await startStack({ redis });
  tenant = await stack.tenant();
});
// A test that fails half-way must not leave the next one without Redis.
afterEach(async () => {
  if (!stack.redis.running) await stack.redis.restart();
  await whenReady(stack.api.deps.redis);
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

test('503: with Redis gone every call is a ServiceUnavailableError with retryAfter', async () => {
  const { job } = await tenant.client.submit(body);
  await stack.redis.kill();
  const client = new SwitchyardClient({
    baseUrl: stack.api.url,
    apiKey: tenant.apiKey,
    maxRetries: 0,
  });
  for (const call of [client.submit(body), client.get(job.id), client.list(), client.usage()]) {
    const error = await call.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error).toMatchObject({ status: 503, type: 'service_unavailable', retryAfter: 1 });
  }
});

test('a submit during an outage waits Retry-After, is retried once Redis is back, and makes one job', async () => {
  const own = await stack.tenant();
  await stack.redis.kill();
  const statuses: number[] = [];
  const watching: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    statuses.push(response.status);
    // Redis comes back while the client waits out the first 503's Retry-After.
    if (statuses.length === 1) {
      await stack.redis.restart();
      await whenReady(stack.api.deps.redis);
    }
    return response;
  };
  const client = new SwitchyardClient({
    baseUrl: stack.api.url,
    apiKey: own.apiKey,
    fetch: watching,
  });
  const { job, replayed } = await client.submit(body);
  expect([statuses, replayed]).toEqual([[503, 202], false]);
  expect((await own.client.list()).data.map((j) => j.id)).toEqual([job.id]);
  expect((await own.client.wait(job.id)).status).toBe('succeeded');
});
