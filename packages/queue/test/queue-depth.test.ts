import { randomBytes } from 'node:crypto';
import { type RedisServer, startRedisServer } from '@switchyard/redis-server';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { createRedis, whenReady } from '@switchyard/redis-kit';
import { backlogOf, readQueueDepth } from '../src';

let server: RedisServer;
let connection: Redis;
let queue: Queue;
beforeAll(async () => {
  server = await startRedisServer();
});
beforeEach(async () => {
  connection = createRedis(server.url, 'worker');
  await whenReady(connection);
  queue = new Queue(`depth-${randomBytes(4).toString('hex')}`, { connection });
});
afterEach(async () => {
  await queue.close();
  connection.disconnect(); // a queue leaves the connection it was given open
});
afterAll(() => server.stop());

test('backlog: waiting + prioritized + due delayed, 0 while paused', () => {
  expect(backlogOf({ waiting: 3, prioritized: 2 }, 4, false)).toBe(9);
  expect(backlogOf({ waiting: 3, prioritized: 2 }, 4, true)).toBe(0);
  expect(backlogOf({ waiting: 0, prioritized: 0 }, 0, false)).toBe(0);
});

test('every state is counted, prioritized and due delayed items in the backlog', async () => {
  await queue.add('plain', {});
  await queue.add('plain', {});
  await queue.add('urgent', {}, { priority: 1 });
  // Delayed items: one due long ago (created a minute back with a 1 s delay), one in an hour.
  await queue.add('due', {}, { delay: 1_000, timestamp: Date.now() - 60_000 });
  await queue.add('later', {}, { delay: 3_600_000 });

  const depth = await readQueueDepth(queue, Date.now());
  expect(depth).toEqual({
    queue: queue.name,
    counts: {
      waiting: 2,
      prioritized: 1,
      delayed: 2,
      'waiting-children': 0,
      active: 0,
      completed: 0,
      failed: 0,
    },
    dueDelayed: 1,
    paused: false,
    backlog: 4,
  });
});

test('a paused queue has no backlog (more workers would start none of it)', async () => {
  await queue.add('plain', {});
  await queue.pause();
  expect(await readQueueDepth(queue, Date.now())).toMatchObject({
    counts: { waiting: 1 },
    paused: true,
    backlog: 0,
  });
  await queue.resume();
  expect(await readQueueDepth(queue, Date.now())).toMatchObject({ paused: false, backlog: 1 });
});
