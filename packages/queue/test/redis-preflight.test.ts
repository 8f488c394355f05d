import { type RedisServer, startRedisServer } from '@switchyard/redis-server';
import { Redis } from 'ioredis';
import { checkRedisForQueues, createRedis, watchRedisPolicy, whenReady } from '../src';

let server: RedisServer;
let admin: Redis;
beforeAll(async () => {
  server = await startRedisServer();
  admin = new Redis(server.url);
});
afterEach(() => admin.config('SET', 'maxmemory-policy', 'noeviction'));
afterAll(async () => {
  admin.disconnect();
  await server.stop();
});

test('noeviction passes; any eviction policy is refused with the way to fix it', async () => {
  const redis = createRedis(server.url, 'api');
  await whenReady(redis);
  expect(await checkRedisForQueues(redis)).toBeUndefined();
  await admin.config('SET', 'maxmemory-policy', 'allkeys-lru');
  expect(await checkRedisForQueues(redis)).toBe(
    'Redis maxmemory-policy is "allkeys-lru"; Switchyard needs "noeviction" (under eviction Redis drops queued jobs). Set it with: redis-cli CONFIG SET maxmemory-policy noeviction',
  );
  redis.disconnect();
});

test('a reconnect that lands on an evicting Redis is reported', async () => {
  const redis = createRedis(server.url, 'api', 'watched');
  await whenReady(redis);
  const problems: string[] = [];
  let reported!: () => void;
  const first = new Promise<void>((resolve) => (reported = resolve));
  watchRedisPolicy(redis, (problem) => {
    problems.push(problem);
    reported();
  });
  await admin.config('SET', 'maxmemory-policy', 'volatile-lru');
  await admin.client('KILL', 'TYPE', 'normal', 'SKIPME', 'yes'); // as a failover drops clients
  await first;
  expect(problems).toEqual([expect.stringMatching(/^Redis maxmemory-policy is "volatile-lru"/)]);
  redis.disconnect();
});
