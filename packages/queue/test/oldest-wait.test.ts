import { randomBytes, randomUUID } from 'node:crypto';
import { type RedisServer, startRedisServer } from '@switchyard/redis-server';
import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { createRedis, whenReady } from '@switchyard/redis-kit';
import { readOldestWaitMs } from '../src';

/** Every item's creation time is set relative to this, so ages are exact. */
const NOW = Date.now();
const agoMs = (ms: number) => ({ timestamp: NOW - ms });

let server: RedisServer;
let redis: Redis;
let queue: Queue;
beforeAll(async () => {
  server = await startRedisServer();
});
beforeEach(async () => {
  redis = createRedis(server.url, 'worker');
  await whenReady(redis);
  queue = new Queue(`oldest-${randomBytes(4).toString('hex')}`, { connection: redis });
});
afterEach(async () => {
  await queue.close();
  redis.disconnect();
});
afterAll(() => server.stop());

const oldest = (now = NOW) => readOldestWaitMs(redis, queue, now);

test('an empty queue has waited 0', async () => {
  expect(await oldest()).toBe(0);
});

test('waiting items: the age of the first in line, the one created first', async () => {
  await queue.add('first', {}, agoMs(5_000));
  await queue.add('second', {}, agoMs(3_000));
  await queue.add('third', {}, agoMs(1_000));
  expect(await oldest()).toBe(5_000);
  expect(await oldest(NOW + 250)).toBe(5_250);
});

test('a prioritized item older than the wait list counts', async () => {
  await queue.add('plain', {}, agoMs(5_000));
  await queue.add('urgent', {}, { priority: 1, ...agoMs(8_000) });
  expect(await oldest()).toBe(8_000);
});

test('a delayed item counts from when it came due, and only once it has', async () => {
  await queue.add('later', {}, { delay: 3_600_000, ...agoMs(1_000) });
  expect(await oldest()).toBe(0);
  // Created 20 s ago with a 5 s delay: due 15 s ago.
  await queue.add('due', {}, { delay: 5_000, ...agoMs(20_000) });
  expect(await oldest()).toBe(15_000);
  await queue.add('waiting', {}, agoMs(10_000));
  expect(await oldest()).toBe(15_000);
});

test('an item moved from the delayed set to the wait list still counts from its due time', async () => {
  // What a worker's fetch does to a due item (promoteDelayedJobs); promote() does it by hand.
  const job = await queue.add('due', {}, { delay: 5_000, ...agoMs(20_000) });
  await job.promote();
  expect(await queue.getJobCounts('waiting', 'delayed')).toEqual({ waiting: 1, delayed: 0 });
  expect(await oldest()).toBe(15_000);
});

test('an item handed back by a worker counts from its last start, not its creation', async () => {
  await queue.add('run', {}, agoMs(60_000));
  const worker = new Worker(queue.name, null, { connection: redis });
  try {
    const token = randomUUID();
    const job = (await worker.getNextJob(token))!;
    expect(await oldest()).toBe(0); // active, not startable
    await job.moveToWait(token);
    const started = job.processedOn!;
    expect(await oldest(started + 2_500)).toBe(2_500);
  } finally {
    await worker.close();
  }
});

test('a paused queue has waited 0 (more workers would start none of it)', async () => {
  await queue.add('plain', {}, agoMs(5_000));
  await queue.pause();
  expect(await oldest()).toBe(0);
  await queue.resume();
  expect(await oldest()).toBe(5_000);
});
