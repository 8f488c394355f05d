import { randomBytes } from 'node:crypto';
import { type RedisServer, startRedisServer } from '@switchyard/redis-server';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { createRedis, whenReady } from '@switchyard/redis-kit';
import {
  ConsumerHealth,
  ConsumptionMonitor,
  isStalled,
  STALL_AFTER_MS,
  type WorkerStatus,
} from '../src';

const NOW = 1_000_000;
const idle = { inFlight: 0, capacity: 10, lastTakenAt: NOW - STALL_AFTER_MS - 1 };

test.each([
  ['work waiting, a free slot, nothing taken for too long', idle, 5, true],
  ['no work waiting', idle, 0, false],
  ['every slot busy (slow calls, not a stall)', { ...idle, inFlight: 10 }, 5, false],
  ['took something just now', { ...idle, lastTakenAt: NOW - 10 }, 5, false],
  ['exactly at the threshold', { ...idle, lastTakenAt: NOW - STALL_AFTER_MS }, 5, false],
])('%s → stalled %s', (_case, activity, backlog, stalled) => {
  expect(isStalled(activity, backlog, NOW)).toBe(stalled);
});

test('the monitor counts what is taken per queue and names the stalled ones', async () => {
  const monitor = new ConsumptionMonitor(
    new Map([
      ['a', 2],
      ['b', 1],
    ]),
    STALL_AFTER_MS,
    NOW - STALL_AFTER_MS - 1,
  );
  expect(monitor.capacity).toBe(3);
  let release!: () => void;
  const running = monitor.track('b', () => new Promise<void>((resolve) => (release = resolve)));
  expect(monitor.inFlight).toBe(1);
  // b is full (and just took one); a has a free slot and took nothing for too long.
  expect(
    monitor.stalled(
      new Map([
        ['a', 1],
        ['b', 4],
      ]),
      Date.now() + 1,
    ),
  ).toEqual(['a']);
  release();
  await running;
  expect(monitor.inFlight).toBe(0);
  // An unknown queue is run untracked.
  expect(await monitor.track('zzz', async () => 7)).toBe(7);
});

describe('ConsumerHealth against a real queue', () => {
  let server: RedisServer;
  let connection: Redis;
  let queue: Queue;
  beforeAll(async () => {
    server = await startRedisServer();
    connection = createRedis(server.url, 'worker');
    await whenReady(connection);
    queue = new Queue(`health-${randomBytes(4).toString('hex')}`, { connection });
  });
  afterAll(async () => {
    await queue.close();
    connection.disconnect(); // a queue leaves the connection it was given open
    await server.stop();
  });

  test('work waits, a slot is free, nothing is taken: stalled; taking one clears it', async () => {
    const reports: WorkerStatus[] = [];
    let onReport: (status: WorkerStatus) => void = () => undefined;
    const nextReport = (where: (status: WorkerStatus) => boolean) =>
      new Promise<WorkerStatus>((resolve) => {
        onReport = (status) => where(status) && resolve(status);
      });
    const health = new ConsumerHealth({
      queues: [{ queue, capacity: 2 }],
      intervalMs: 20,
      stallAfterMs: 100,
      report: async (status) => {
        reports.push(status);
        onReport(status);
      },
    });
    await health.start();
    expect(reports[0]).toEqual({ consuming: true, stalled: [], in_flight: 0, capacity: 2 });
    expect(health.liveness().ok).toBe(true);

    await queue.add('run', {});
    const stalled = await nextReport((status) => !status.consuming);
    expect(stalled).toEqual({ consuming: false, stalled: [queue.name], in_flight: 0, capacity: 2 });
    expect(health.liveness()).toEqual({
      ok: false,
      body: {
        status: 'stalled',
        consuming: false,
        stalled: [queue.name],
        in_flight: 0,
        capacity: 2,
      },
    });

    await health.monitor.track(queue.name, async () => undefined);
    expect(await nextReport((status) => status.consuming)).toMatchObject({ consuming: true });
    health.stop();
  });
});
