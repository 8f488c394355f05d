import { randomBytes } from 'node:crypto';
import { JobRequest, newJobId } from '@switchyard/core';
import { type RedisServer, startRedisServer } from '@switchyard/redis-server';
import type { Redis } from 'ioredis';
import { createRedis, Keys, whenReady } from '@switchyard/redis-kit';
import {
  appendAttempt,
  cancelByRequest,
  JobStore,
  newJobRecord,
  type WebhookEvent,
} from '@switchyard/queue';
import { announceAgain, type JobMessage, parseOutboxEntry } from '../src';

let server: RedisServer;
let redis: Redis;
let keys: Keys;
let store: JobStore;
beforeAll(async () => {
  server = await startRedisServer();
  redis = createRedis(server.url, 'worker');
  await whenReady(redis);
});
beforeEach(() => {
  keys = new Keys(`t${randomBytes(4).toString('hex')}`);
  store = new JobStore(redis, keys, 60_000);
});
afterAll(async () => {
  redis.disconnect();
  await server.stop();
});

function job(hook: object, requestId?: string) {
  return newJobRecord({
    requestId,
    id: newJobId(),
    tenantId: 'ten_a',
    request: JobRequest.parse({
      model: 'openai/gpt-4o-mini',
      input: { messages: [{ role: 'user', content: 'hi' }] },
      ...hook,
    }),
    chain: ['openai/gpt-4o-mini'],
    now: 1_000,
    deadlineAt: null,
  });
}

/** The outbox's messages: every entry these tests write is a job's. */
async function messages(): Promise<JobMessage[]> {
  const entries = await redis.xrange(keys.webhookOutbox, '-', '+');
  return entries.map(([, fields]) => parseOutboxEntry(fields) as JobMessage);
}

async function outbox(): Promise<WebhookEvent[]> {
  return (await messages()).map((message) => message.event);
}

test('a job with a webhook announces its end once, in the same step as the change', async () => {
  const record = job({ webhook: 'https://hooks.example.com/a' });
  await store.create(record);
  const running = (await store.claimRun(record.id, 2_000))!;
  expect(await outbox()).toEqual([]); // its start was not asked for
  await store.update(record.id, cancelByRequest(3_000), running);
  await store.update(
    record.id,
    appendAttempt({
      provider: 'openai',
      model: 'gpt-4o-mini',
      outcome: 'canceled',
      status_code: null,
      latency_ms: 5,
      started_at: new Date(2_500).toISOString(),
      error: null,
      retry_after_ms: null,
    }),
  );
  const [message, ...more] = await messages();
  expect(more).toEqual([]);
  expect(message!.event).toEqual({
    id: expect.stringMatching(/^msg_/),
    type: 'job.canceled',
    job_id: record.id,
    at: expect.any(Number),
  });
  // The job as the change wrote it, not as the later write (the extra attempt) left it.
  expect(message!.job).toEqual({
    ...record,
    status: 'canceled',
    rev: 3,
    started_at: 2_000,
    completed_at: 3_000,
    error: { type: 'canceled', message: 'canceled by request' },
  });
  expect((await store.get(record.id))!.attempts).toHaveLength(1);
});

test("the submit's request ID travels with every event of its job", async () => {
  const record = job(
    { webhook: 'https://hooks.example.com/a', webhook_events_filter: ['start', 'completed'] },
    'my-trace-123',
  );
  expect(record.request_id).toBe('my-trace-123');
  await store.create(record);
  const running = (await store.claimRun(record.id, 2_000))!;
  await store.update(record.id, cancelByRequest(3_000), running);
  expect((await messages()).map(({ event, job }) => [event.type, job.request_id])).toEqual([
    ['job.started', 'my-trace-123'],
    ['job.canceled', 'my-trace-123'],
  ]);
});

test('a job created without a request ID has none, in the store and in the outbox', async () => {
  const record = job({ webhook: 'https://hooks.example.com/a' });
  expect('request_id' in record).toBe(false);
  await store.create(record);
  const running = (await store.claimRun(record.id, 2_000))!;
  await store.update(record.id, cancelByRequest(3_000), running);
  const [message] = await messages();
  expect('request_id' in message!.job).toBe(false);
  expect('request_id' in (await store.get(record.id))!).toBe(false);
});

test('the start is announced when the filter asks for it', async () => {
  const record = job({
    webhook: 'https://hooks.example.com/a',
    webhook_events_filter: ['start', 'completed'],
  });
  await store.create(record);
  await store.claimRun(record.id, 2_000);
  await store.claimRun(record.id, 2_001); // already running: no second start
  const running = (await store.get(record.id))!;
  await store.update(record.id, cancelByRequest(3_000), running);
  expect(
    (await messages()).map(({ event, job }) => [
      event.type,
      event.job_id,
      event.at,
      job.status,
      job.rev,
      job.started_at,
    ]),
  ).toEqual([
    ['job.started', record.id, 2_000, 'running', 2, 2_000],
    ['job.canceled', record.id, expect.any(Number), 'canceled', 3, 2_000],
  ]);
});

test('announcing an ended job again adds a new event with the job as it stands', async () => {
  const record = job({ webhook: 'https://hooks.example.com/a' });
  await store.create(record);
  const ended = (await store.update(record.id, cancelByRequest(3_000)))!.record;
  const again = await announceAgain(redis, keys, ended);
  const [first, second] = await messages();
  expect(second!.event).toEqual(again);
  expect([again.type, again.job_id, again.at]).toEqual(['job.canceled', record.id, 3_000]);
  expect(again.id).not.toBe(first!.event.id);
  expect(second!.job).toEqual(ended);
});

test('a job without a webhook, or asking only for its start, adds nothing at its end', async () => {
  const plain = job({});
  const startOnly = job({
    webhook: 'https://hooks.example.com/a',
    webhook_events_filter: ['start'],
  });
  for (const record of [plain, startOnly]) {
    await store.create(record);
    const running = (await store.claimRun(record.id, 2_000))!;
    await store.update(record.id, cancelByRequest(3_000), running);
  }
  expect((await outbox()).map((event) => [event.type, event.job_id])).toEqual([
    ['job.started', startOnly.id],
  ]);
});

test('at its limit the outbox refuses new jobs with a webhook, and still takes every event of accepted ones', async () => {
  const hooked = () => job({ webhook: 'https://hooks.example.com/a' });
  const first = hooked();
  const second = hooked();
  expect(await store.create(first, 2)).toBe('created');
  expect(await store.create(second, 2)).toBe('created');
  await store.update(first.id, cancelByRequest(2_000));
  await store.update(second.id, cancelByRequest(2_000));
  expect(await redis.xlen(keys.webhookOutbox)).toBe(2);

  const refused = hooked();
  expect(await store.create(refused, 2)).toBe('outbox_full');
  expect(await store.get(refused.id)).toBeUndefined();
  expect(await redis.zscore(keys.pendingEnqueue, refused.id)).toBeNull(); // nothing half-written
  expect(await store.create(job({}), 2)).toBe('created'); // no webhook, no event to hold
  expect(await store.create(hooked())).toBe('created'); // no limit given, none applied

  // Events of jobs already accepted go in past the limit, and none is trimmed.
  await announceAgain(redis, keys, (await store.get(first.id))!);
  expect(await redis.xlen(keys.webhookOutbox)).toBe(3);
});
