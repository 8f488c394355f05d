import { randomBytes } from 'node:crypto';
import { type RedisServer, startRedisServer } from '@switchyard/redis-server';
import type { Redis } from 'ioredis';
import { createRedis, Keys, whenReady } from '@switchyard/redis-kit';
import { DeliveryLog, type DeliveryRecord } from '../src';

let server: RedisServer;
let redis: Redis;
let keys: Keys;
let log: DeliveryLog;
beforeAll(async () => {
  server = await startRedisServer();
  redis = createRedis(server.url, 'worker');
  await whenReady(redis);
});
beforeEach(() => {
  keys = new Keys(`t${randomBytes(4).toString('hex')}`);
  log = new DeliveryLog(redis, keys, 60_000);
});
afterAll(async () => {
  redis.disconnect();
  await server.stop();
});

function delivery(eventId: string, attempt: number): DeliveryRecord {
  return {
    object: 'webhook_delivery',
    event_id: eventId,
    type: 'job.succeeded',
    attempt,
    at: new Date(1_000 * attempt).toISOString(),
    url: 'https://hooks.example.com/a',
    status_code: 500,
    error: null,
    latency_ms: 3,
    next_retry_at: null,
    result: 'retrying',
  };
}

/** Scripts Redis ran since `CONFIG RESETSTAT`. */
async function scriptsRun(): Promise<number> {
  const stats = await redis.info('commandstats');
  return [...stats.matchAll(/cmdstat_eval(?:sha)?:calls=(\d+)/g)].reduce(
    (sum, match) => sum + Number(match[1]),
    0,
  );
}

test('appends of one turn are written by one script, each to its job, in order', async () => {
  await log.add('job_warm', delivery('msg_warm', 1)); // loads the script
  await redis.config('RESETSTAT');
  const jobs = ['job_a', 'job_b', 'job_c', 'job_d'];
  await Promise.all(
    Array.from({ length: 40 }, (_, i) =>
      log.add(jobs[i % 4]!, delivery(`msg_${i % 4}`, Math.floor(i / 4) + 1)),
    ),
  );
  expect(await scriptsRun()).toBe(1);
  for (const [index, job] of jobs.entries()) {
    expect(await log.list(job)).toEqual(
      Array.from({ length: 10 }, (_, k) => delivery(`msg_${index}`, k + 1)),
    );
    const ttl = await redis.pttl(keys.webhookDeliveries(job));
    expect(ttl > 59_000 && ttl <= 60_000).toBe(true);
  }
});

test('appends of different turns are each written', async () => {
  await log.add('job_a', delivery('msg_a', 1));
  await log.add('job_a', delivery('msg_a', 2));
  expect(await log.list('job_a')).toEqual([delivery('msg_a', 1), delivery('msg_a', 2)]);
});

test('an entry that cannot be written fails alone', async () => {
  await redis.set(keys.webhookDeliveries('job_bad'), 'not a list');
  const results = await Promise.allSettled([
    log.add('job_ok', delivery('msg_ok', 1)),
    log.add('job_bad', delivery('msg_bad', 1)),
  ]);
  expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected']);
  expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/WRONGTYPE/);
  expect(await log.list('job_ok')).toEqual([delivery('msg_ok', 1)]);
});

test('a write Redis refuses fails every append it carried', async () => {
  const readOnly = new DeliveryLog(redis, keys, 60_000);
  await redis.config('SET', 'min-replicas-to-write', '1'); // no replica: every write is refused
  try {
    const results = await Promise.allSettled([
      readOnly.add('job_a', delivery('msg_a', 1)),
      readOnly.add('job_b', delivery('msg_b', 1)),
    ]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/NOREPLICAS/);
  } finally {
    await redis.config('SET', 'min-replicas-to-write', '0');
  }
  expect(await log.list('job_a')).toEqual([]);
});

test('recordedAttempts names every attempt logged for the jobs asked about', async () => {
  await Promise.all([
    log.add('job_a', delivery('msg_a', 1)),
    log.add('job_a', delivery('msg_a', 2)),
    log.add('job_b', delivery('msg_b', 1)),
    log.add('job_c', delivery('msg_c', 1)),
  ]);
  expect(await log.recordedAttempts(['job_a', 'job_b', 'job_a', 'job_none'])).toEqual(
    new Set(['msg_a#1', 'msg_a#2', 'msg_b#1']),
  );
  expect(await log.recordedAttempts([])).toEqual(new Set());
});
