import { type RedisServer, startRedisServer } from '@switchyard/redis-server';
import { Redis } from 'ioredis';
import { createRedis, Keys, whenReady } from '@switchyard/redis-kit';
import { DeltaBatcher, type JobDelta, publishDelta } from '../src';

let server: RedisServer;
let publisher: Redis;
let subscriber: Redis;
beforeAll(async () => {
  server = await startRedisServer();
  publisher = new Redis(server.url);
  subscriber = new Redis(server.url);
});
afterAll(async () => {
  publisher.disconnect();
  subscriber.disconnect();
  await server.stop();
});

// Long enough that the timer never fires during a test that does not want it to.
const NEVER_MS = 60_000;

/** Subscribes to one job's deltas; `received(n)` resolves once n messages have arrived. */
async function listen(keys: Keys, jobId: string) {
  const channel = keys.jobDeltas(jobId);
  const messages: JobDelta[] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  subscriber.on('message', (from: string, message: string) => {
    if (from !== channel) return;
    messages.push(JSON.parse(message) as JobDelta);
    for (const waiter of waiters) if (messages.length >= waiter.count) waiter.resolve();
  });
  await subscriber.subscribe(channel);
  const received = (count: number) =>
    new Promise<JobDelta[]>((resolve) => {
      if (messages.length >= count) resolve(messages);
      else waiters.push({ count, resolve: () => resolve(messages) });
    });
  return { messages, received };
}

test('the channel is the job-deltas key of the namespace', () => {
  expect(new Keys('ns').jobDeltas('job_1')).toBe('ns:job-deltas:job_1');
});

test('deltas are coalesced until the size limit or flush(), in order and numbered without gaps', async () => {
  const keys = new Keys('deltas-size');
  const { messages, received } = await listen(keys, 'job_1');
  const batcher = new DeltaBatcher(publisher, keys, 'job_1', { intervalMs: NEVER_MS, maxChars: 8 });
  batcher.push('Hel');
  batcher.push('lo');
  batcher.push('');
  batcher.push(' wor'); // 9 characters: published at once
  batcher.push('ld');
  batcher.push(', and');
  await batcher.flush();
  // Nothing is pending, so this publishes nothing; the marker after it proves that.
  await batcher.flush();
  await publishDelta(publisher, keys, 'job_1', { index: -1, text: 'marker' });
  expect(await received(3)).toEqual([
    { index: 0, text: 'Hello wor' },
    { index: 1, text: 'ld, and' },
    { index: -1, text: 'marker' },
  ]);
  expect(messages).toHaveLength(3);
});

test('text that waited the interval is published without a flush, then the timer starts again', async () => {
  const keys = new Keys('deltas-timer');
  const { received } = await listen(keys, 'job_1');
  const batcher = new DeltaBatcher(publisher, keys, 'job_1', { intervalMs: 20 });
  batcher.push('one ');
  batcher.push('two ');
  expect(await received(1)).toEqual([{ index: 0, text: 'one two ' }]);
  batcher.push('three');
  expect(await received(2)).toEqual([
    { index: 0, text: 'one two ' },
    { index: 1, text: 'three' },
  ]);
  await batcher.flush();
});

test('the defaults coalesce a burst of tokens into one message', async () => {
  const keys = new Keys('deltas-defaults');
  const { messages, received } = await listen(keys, 'job_1');
  const batcher = new DeltaBatcher(publisher, keys, 'job_1');
  const tokens = Array.from({ length: 200 }, (_, i) => `t${i} `);
  for (const token of tokens) batcher.push(token);
  await batcher.flush();
  await publishDelta(publisher, keys, 'job_1', { index: -1, text: 'marker' });
  await received(2);
  expect(messages).toEqual([
    { index: 0, text: tokens.join('') },
    { index: -1, text: 'marker' },
  ]);
});

test('a PUBLISH that fails is reported by flush(), once', async () => {
  const redis = createRedis(server.url, 'api', 'deltas-failing');
  await whenReady(redis);
  redis.disconnect(); // an API-role connection fails commands at once instead of queueing them
  const batcher = new DeltaBatcher(redis, new Keys('deltas-failing'), 'job_1');
  batcher.push('lost');
  await expect(batcher.flush()).rejects.toThrow(
    "Stream isn't writeable and enableOfflineQueue options is false",
  );
  await expect(batcher.flush()).resolves.toBeUndefined();
});
