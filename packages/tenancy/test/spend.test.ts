import { randomBytes } from 'node:crypto';
import { createRedis, Keys, whenReady } from '@switchyard/queue';
import { type RedisServer, startRedisServer } from '@switchyard/redis-server';
import type { Redis } from 'ioredis';
import { monthOf, SpendLedger } from '../src';

let server: RedisServer;
let redis: Redis;
let ledger: SpendLedger;

beforeAll(async () => {
  server = await startRedisServer();
  redis = createRedis(server.url, 'worker');
  await whenReady(redis);
});
beforeEach(() => {
  ledger = new SpendLedger(redis, new Keys(`t${randomBytes(4).toString('hex')}`));
});
afterAll(async () => {
  redis.disconnect();
  await server.stop();
});

test('spend adds up exactly, per tenant and calendar month (UTC)', async () => {
  const november = new Date('2026-11-30T23:59:59Z');
  const december = new Date('2026-12-01T00:00:00Z');
  for (let i = 0; i < 1_000; i++) await ledger.add('ten_a', 0.0001794, november);
  await ledger.add('ten_a', 1, december);
  await ledger.add('ten_b', 2, november);
  expect(await ledger.spentUsd('ten_a', november)).toBe(0.1794);
  expect(await ledger.spentUsd('ten_a', december)).toBe(1);
  expect(await ledger.spentUsd('ten_c', november)).toBe(0);
  expect(monthOf(november)).toBe('2026-11');
});
