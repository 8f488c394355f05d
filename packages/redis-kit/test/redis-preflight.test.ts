import { findFreePort, type RedisServer, startRedisServer } from '@switchyard/redis-server';
import { Redis } from 'ioredis';
import {
  compareVersions,
  createRedis,
  preflightRedis,
  readRedisFacts,
  redisProblem,
  redisWarnings,
  watchRedisPolicy,
  whenReady,
} from '../src';

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

const strict = { allowEviction: false };
const facts = (version: string, maxmemoryPolicy = 'noeviction', aofEnabled = true) => ({
  version,
  maxmemoryPolicy,
  aofEnabled,
});

test('facts are read from INFO', async () => {
  expect(readRedisFacts(await admin.info())).toEqual({
    version: expect.stringMatching(/^\d+\.\d+\.\d+$/),
    maxmemoryPolicy: 'noeviction',
    aofEnabled: false,
  });
  expect(readRedisFacts('')).toEqual({
    version: 'unknown',
    maxmemoryPolicy: 'unknown',
    aofEnabled: false,
  });
});

test.each([
  ['6.2.0', undefined],
  ['6.2.14', undefined],
  ['7.0.15', undefined],
  ['10.0.0', undefined],
  ['6.0.20', 'Redis 6.0.20 is too old; Switchyard needs Redis 6.2.0 or newer'],
  ['5.0.14', 'Redis 5.0.14 is too old; Switchyard needs Redis 6.2.0 or newer'],
  ['unknown', 'Redis unknown is too old; Switchyard needs Redis 6.2.0 or newer'],
])('Redis %s: %s', (version, problem) => {
  expect(redisProblem(facts(version), strict)).toBe(problem);
});

test('an evicting Redis is refused, unless the operator insists (then it is a warning)', () => {
  expect(redisProblem(facts('7.2.0', 'allkeys-lru'), strict)).toBe(
    'Redis maxmemory-policy is "allkeys-lru"; Switchyard needs "noeviction" (under eviction Redis drops queued jobs). Set it with: redis-cli CONFIG SET maxmemory-policy noeviction (or SWITCHYARD_ALLOW_REDIS_EVICTION=true to run anyway)',
  );
  expect(redisProblem(facts('7.2.0', 'allkeys-lru'), { allowEviction: true })).toBeUndefined();
  expect(redisWarnings(facts('7.2.0', 'allkeys-lru'), { allowEviction: true })).toEqual([
    'Redis maxmemory-policy is "allkeys-lru" and SWITCHYARD_ALLOW_REDIS_EVICTION is set: jobs may be lost under memory pressure',
  ]);
});

test('AOF off is a warning, not a refusal', () => {
  expect(redisWarnings(facts('7.2.0', 'noeviction', false), strict)).toEqual([
    'Redis runs with AOF off: a Redis crash loses every job written since its last snapshot (set appendonly yes, appendfsync everysec)',
  ]);
  expect(redisWarnings(facts('7.2.0'), strict)).toEqual([]);
});

test('versions compare numerically', () => {
  expect(compareVersions('6.10.0', '6.2.0')).toBe(1);
  expect(compareVersions('6.2', '6.2.0')).toBe(0);
  expect(compareVersions('6.1.99', '6.2.0')).toBe(-1);
});

test('preflight of a healthy Redis returns its facts and warnings', async () => {
  const aof = await startRedisServer({ appendOnly: true });
  try {
    expect(await preflightRedis(aof.url, strict)).toEqual({
      ok: true,
      facts: { version: expect.any(String), maxmemoryPolicy: 'noeviction', aofEnabled: true },
      warnings: [],
    });
  } finally {
    await aof.stop();
  }
  expect(await preflightRedis(server.url, strict)).toMatchObject({
    ok: true,
    warnings: [expect.stringMatching(/^Redis runs with AOF off/)],
  });
});

test('preflight refuses an evicting Redis with the way to fix it', async () => {
  await admin.config('SET', 'maxmemory-policy', 'volatile-lru');
  expect(await preflightRedis(server.url, strict)).toEqual({
    ok: false,
    problem: expect.stringMatching(/^Redis maxmemory-policy is "volatile-lru"; Switchyard needs/),
  });
});

test('an unreachable Redis is one line when the time is up, naming the URL without its password', async () => {
  const port = await findFreePort();
  expect(await preflightRedis(`redis://:s3cret@127.0.0.1:${port}`, strict, 1_000)).toEqual({
    ok: false,
    problem: `REDIS_URL: cannot reach Redis at redis://:***@127.0.0.1:${port} within 1 s (connect ECONNREFUSED 127.0.0.1:${port})`,
  });
});

test('a wrong password is named as the reason', async () => {
  const locked = await startRedisServer({ args: ['--requirepass', 'right-password'] });
  try {
    const url = locked.url.replace('redis://', 'redis://:wrong-password@');
    const outcome = await preflightRedis(url, strict, 1_000);
    expect(outcome).toEqual({
      ok: false,
      problem: expect.stringMatching(
        new RegExp(
          `^REDIS_URL: cannot reach Redis at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${locked.port} within 1 s \\(WRONGPASS`,
        ),
      ),
    });
    expect(JSON.stringify(outcome)).not.toContain('wrong-password');
  } finally {
    await locked.stop();
  }
});

test('a Redis that comes up while preflight waits is found', async () => {
  const port = await findFreePort();
  const waiting = preflightRedis(`redis://127.0.0.1:${port}`, strict, 10_000);
  const late = await startRedisServer({ port });
  try {
    expect(await waiting).toMatchObject({ ok: true });
  } finally {
    await late.stop();
  }
});

test('a reconnect that lands on an evicting Redis is reported', async () => {
  const redis = createRedis(server.url, 'api', 'watched');
  await whenReady(redis);
  const problems: string[] = [];
  let reported!: () => void;
  const first = new Promise<void>((resolve) => (reported = resolve));
  watchRedisPolicy(redis, strict, (problem) => {
    problems.push(problem);
    reported();
  });
  await admin.config('SET', 'maxmemory-policy', 'volatile-lru');
  await admin.client('KILL', 'TYPE', 'normal', 'SKIPME', 'yes'); // as a failover drops clients
  await first;
  expect(problems).toEqual([expect.stringMatching(/^Redis maxmemory-policy is "volatile-lru"/)]);
  redis.disconnect();
});
