import { randomBytes } from 'node:crypto';
import { JobRequest, newJobId } from '@switchyard/core';
import { type RedisServer, startRedisServer } from '@switchyard/redis-server';
import { Redis } from 'ioredis';
import { createRedis, Keys, whenReady } from '@switchyard/redis-kit';
import { DeltaBatcher, JobStore, newJobRecord, readJobStream, STREAM_START } from '../src';

let server: RedisServer;
let redis: Redis;
let subscriber: Redis;
let keys: Keys;
let jobId: string;
beforeAll(async () => {
  server = await startRedisServer();
  redis = new Redis(server.url);
  subscriber = new Redis(server.url);
});
/** A running job of its own namespace per test: deltas go only into a running job's stream. */
beforeEach(async () => {
  keys = new Keys(`deltas-${randomBytes(4).toString('hex')}`);
  const store = new JobStore(redis, keys, 60_000);
  jobId = newJobId();
  await store.create(
    newJobRecord({
      id: jobId,
      tenantId: 'ten_a',
      request: JobRequest.parse({
        model: 'openai/gpt-4o-mini',
        input: { messages: [{ role: 'user', content: 'hi' }] },
      }),
      chain: ['openai/gpt-4o-mini'],
      now: 1_000,
      deadlineAt: null,
    }),
  );
  await store.claimRun(jobId, 2_000);
});
afterAll(async () => {
  redis.disconnect();
  subscriber.disconnect();
  await server.stop();
});

// Long enough that the timer never fires during a test that does not want it to.
const NEVER_MS = 60_000;

/** The deltas in the job's stream, without their IDs. */
async function deltas(): Promise<Array<{ index: number; text: string }>> {
  const entries = await readJobStream(redis, keys, jobId, STREAM_START, 1_000);
  return entries.flatMap((entry) =>
    entry.type === 'delta' ? [{ index: entry.index, text: entry.text }] : [],
  );
}

/** Listens to the job's delta channel; the function resolves once `count` messages came. */
async function announced(): Promise<(count: number) => Promise<string[]>> {
  const channel = keys.jobDeltas(jobId);
  const messages: string[] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  subscriber.on('message', (from: string, message: string) => {
    if (from !== channel) return;
    messages.push(message);
    for (const waiter of waiters) if (messages.length >= waiter.count) waiter.resolve();
  });
  await subscriber.subscribe(channel);
  return (count) =>
    new Promise((resolve) => {
      if (messages.length >= count) resolve(messages);
      else waiters.push({ count, resolve: () => resolve(messages) });
    });
}

test('the first text goes at once, the rest is coalesced until the size limit or flush(), numbered without gaps', async () => {
  const batcher = new DeltaBatcher(redis, keys, jobId, { intervalMs: NEVER_MS, maxChars: 8 });
  batcher.push('First');
  batcher.push('Hel');
  batcher.push('lo');
  batcher.push('');
  batcher.push(' wor'); // 9 characters: appended at once
  batcher.push('ld');
  batcher.push(', and');
  await batcher.flush();
  await batcher.flush(); // nothing pending: appends nothing
  expect(await deltas()).toEqual([
    { index: 0, text: 'First' },
    { index: 1, text: 'Hello wor' },
    { index: 2, text: 'ld, and' },
  ]);
});

test('each delta is announced on the job’s delta channel with its event ID', async () => {
  const received = await announced();
  const batcher = new DeltaBatcher(redis, keys, jobId, { intervalMs: NEVER_MS, maxChars: 1 });
  batcher.push('a');
  batcher.push('b');
  await batcher.flush();
  const entries = await readJobStream(redis, keys, jobId, STREAM_START, 1_000);
  expect(await received(2)).toEqual(entries.filter((e) => e.type === 'delta').map((e) => e.id));
});

test('text that waited the interval is appended without a flush, then the timer starts again', async () => {
  const received = await announced();
  const batcher = new DeltaBatcher(redis, keys, jobId, { intervalMs: 20 });
  batcher.push('zero ');
  batcher.push('one ');
  batcher.push('two ');
  // The second announcement comes from the timer, with no flush.
  await received(2);
  batcher.push('three');
  await received(3);
  expect(await deltas()).toEqual([
    { index: 0, text: 'zero ' },
    { index: 1, text: 'one two ' },
    { index: 2, text: 'three' },
  ]);
  await batcher.flush();
});

test('the defaults coalesce a burst of tokens after the first into one delta', async () => {
  const batcher = new DeltaBatcher(redis, keys, jobId);
  const tokens = Array.from({ length: 200 }, (_, i) => `t${i} `);
  for (const token of tokens) batcher.push(token);
  await batcher.flush();
  expect(await deltas()).toEqual([
    { index: 0, text: tokens[0] },
    { index: 1, text: tokens.slice(1).join('') },
  ]);
});

test('a write that fails is reported by flush(), once', async () => {
  const failing = createRedis(server.url, 'api', 'deltas-failing');
  await whenReady(failing);
  failing.disconnect(); // an API-role connection fails commands at once instead of queueing them
  const batcher = new DeltaBatcher(failing, keys, jobId);
  batcher.push('lost');
  await expect(batcher.flush()).rejects.toThrow(
    "Stream isn't writeable and enableOfflineQueue options is false",
  );
  await expect(batcher.flush()).resolves.toBeUndefined();
});
