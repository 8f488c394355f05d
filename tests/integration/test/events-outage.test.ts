import { JobStreamEvent } from '@switchyard/core';
import { whenReady } from '@switchyard/redis-kit';
import { startRedisServer } from '@switchyard/redis-server';
import { type SseFrame, SseReader, startStack, type Stack, type TenantHandle } from '../src';

// The events stream when Redis goes away: refused with a 503 before a stream begins; ended
// mid-stream, and resumed exactly once Redis is back.

let stack: Stack;
let tenant: TenantHandle;
beforeAll(async () => {
  // AOF with fsync on every write: a SIGKILL loses nothing, as with a replicated production Redis.
  const redis = await startRedisServer({ appendOnly: true, args: ['--appendfsync', 'always'] });
  stack = await startStack({ redis, worker: false, config: { events: { listen_grace: 0 } } });
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

const body = {
  model: 'openai/gpt-4o-mini',
  input: { messages: [{ role: 'user' as const, content: 'Survive' }] },
  cache: false,
};

const open = (jobId: string, headers: Record<string, string> = {}) =>
  SseReader.open(`${stack.api.url}/v1/jobs/${jobId}/events`, {
    authorization: `Bearer ${tenant.apiKey}`,
    ...headers,
  });

const events = (frames: SseFrame[]) =>
  frames
    .filter((frame) => frame.event)
    .map((frame) =>
      JobStreamEvent.parse({ type: frame.event, id: frame.id, data: JSON.parse(frame.data!) }),
    );

test('with Redis away the stream is refused with 503 and Retry-After before it begins', async () => {
  const { job } = await tenant.client.submit(body);
  await stack.redis.kill();
  const reader = await open(job.id);
  expect(reader.response.status).toBe(503);
  expect(reader.response.headers.get('retry-after')).toBe('1');
  expect(reader.response.headers.get('content-type')).toMatch(/^application\/json/);
  const error = JSON.parse(await reader.text()) as { error: { type: string } };
  expect(error.error.type).toBe('service_unavailable');
});

test('Redis lost mid-stream ends the stream; the client resumes with Last-Event-ID exactly', async () => {
  const { job } = await tenant.client.submit(body);
  const reader = await open(job.id);
  const before = await reader.until((frame) => frame.event === 'status');
  await stack.redis.kill();
  // Ended by the server (no more frames), not left hanging.
  expect(events(await reader.rest())).toEqual([]);
  await stack.redis.restart();
  await whenReady(stack.api.deps.redis);
  await whenReady(stack.api.deps.subscriber);
  const resumed = await open(job.id, { 'last-event-id': before.at(-1)!.id! });
  const worker = await stack.startWorker();
  try {
    const rest = events(await resumed.rest());
    const done = await tenant.client.get(job.id);
    expect([...events(before), ...rest].map((event) => event.type)).toEqual([
      'status',
      'status',
      ...rest.filter((event) => event.type === 'delta').map(() => 'delta'),
      'done',
    ]);
    expect(rest.at(-1)!.data).toMatchObject({ id: job.id, status: done.status });
  } finally {
    await worker.close();
  }
});
