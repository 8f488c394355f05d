import { whenReady } from '@switchyard/redis-kit';
import { LANE_QUEUES } from '@switchyard/queue';
import { startRedisServer } from '@switchyard/redis-server';
import { http, sampleValue, startStack, type Stack } from '../src';

/**
 * Gauges the API reads when scraped, on a stack without a worker so queued items stay put: how
 * long the oldest startable item of each queue has waited, and whether the API reaches Redis,
 * through an outage of a Redis this file starts.
 */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ redis: await startRedisServer(), worker: false });
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

const scrape = async (): Promise<string> => {
  const { status, body } = await http(`${stack.api.url}/metrics`, { token: stack.adminToken });
  expect(status).toBe(200);
  return body as string;
};
const OLDEST_WAIT = 'switchyard_queue_oldest_wait_seconds';

test('the oldest wait of a queue is the age of the item there longest; 0 for an empty queue', async () => {
  const queue = stack.api.deps.queues.interactive;
  const createdAt = Date.now() - 90_000;
  await queue.add('run', { jobId: 'old', tenantId: 't' }, { timestamp: createdAt });
  await queue.add('run', { jobId: 'new', tenantId: 't' });
  const before = Date.now();
  const text = await scrape();
  const after = Date.now();
  // The API reads it at one instant between the two readings of the clock.
  const wait = sampleValue(text, OLDEST_WAIT, { queue: LANE_QUEUES.interactive })!;
  expect(wait).toBeGreaterThanOrEqual((before - createdAt) / 1_000);
  expect(wait).toBeLessThanOrEqual((after - createdAt) / 1_000);
  expect(sampleValue(text, OLDEST_WAIT, { queue: LANE_QUEUES.batch })).toBe(0);
  expect(sampleValue(text, 'switchyard_queue_backlog', { queue: LANE_QUEUES.interactive })).toBe(2);
});

test('switchyard_redis_up is 0 while Redis is away (the scrape still answers) and 1 once back', async () => {
  const redis = stack.api.deps.redis;
  expect(sampleValue(await scrape(), 'switchyard_redis_up', { service: 'api' })).toBe(1);
  // Not events.once: ioredis may emit 'error' first, which would reject it.
  const closed = new Promise((resolve) => redis.once('close', resolve));
  await stack.redis.kill();
  await closed;
  expect(sampleValue(await scrape(), 'switchyard_redis_up', { service: 'api' })).toBe(0);
  await stack.redis.restart();
  await whenReady(redis);
  expect(sampleValue(await scrape(), 'switchyard_redis_up', { service: 'api' })).toBe(1);
});
