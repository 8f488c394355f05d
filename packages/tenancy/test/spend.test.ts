import { randomBytes } from 'node:crypto';
import { createRedis, Keys, whenReady } from '@switchyard/redis-kit';
import { type RedisServer, startRedisServer } from '@switchyard/redis-server';
import type { Redis } from 'ioredis';
import { dayOf, monthOf, noUsage, SpendLedger } from '../src';

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
  const job = (costUsd: number) => ({
    model: 'openai/gpt-4o-mini',
    inputTokens: 10,
    outputTokens: 5,
    costUsd,
    cached: false,
  });
  for (let i = 0; i < 1_000; i++) await ledger.record('ten_a', job(0.0001794), november);
  await ledger.record('ten_a', job(1), december);
  await ledger.record('ten_b', job(2), november);
  expect(await ledger.spentUsd('ten_a', november)).toBe(0.1794);
  expect(await ledger.spentUsd('ten_a', december)).toBe(1);
  expect(await ledger.spentUsd('ten_c', november)).toBe(0);
  expect(monthOf(november)).toBe('2026-11');
});

test('usage is counted per tenant, day (UTC) and model; cached answers cost nothing', async () => {
  const day = new Date('2026-11-22T10:00:00Z');
  const served = { inputTokens: 100, outputTokens: 20, cached: false };
  await ledger.record('ten_a', { model: 'openai/gpt-4o-mini', costUsd: 0.000027, ...served }, day);
  await ledger.record('ten_a', { model: 'openai/gpt-4o-mini', costUsd: 0.000027, ...served }, day);
  await ledger.record(
    'ten_a',
    { model: 'openai/gpt-4o-mini', ...served, costUsd: 0, cached: true },
    day,
  );
  await ledger.record('ten_a', { model: 'local/llama3', costUsd: null, ...served }, day);
  await ledger.record(
    'ten_a',
    { model: 'openai/gpt-4o-mini', costUsd: 1, ...served },
    new Date('2026-11-23T00:00:00Z'),
  );
  expect(await ledger.dailyUsage('ten_a', dayOf(day))).toEqual({
    'openai/gpt-4o-mini': {
      jobs: 3,
      input_tokens: 300,
      output_tokens: 60,
      cost_usd: 0.000054,
      cached: 1,
    },
    'local/llama3': { jobs: 1, input_tokens: 100, output_tokens: 20, cost_usd: 0, cached: 0 },
  });
  expect(await ledger.dailyUsage('ten_b', dayOf(day))).toEqual({});
  // The month's spend (budgets) counts the next day too.
  expect(await ledger.spentUsd('ten_a', day)).toBe(1.000054);
});

test('a cached answer counts what it saved; days are read together, each per model', async () => {
  const day = new Date('2026-11-22T10:00:00Z');
  const next = new Date('2026-11-23T10:00:00Z');
  const served = { model: 'openai/gpt-4o-mini', inputTokens: 100, outputTokens: 20 };
  await ledger.record('ten_a', { ...served, costUsd: 0.000027, cached: false }, day);
  await ledger.record(
    'ten_a',
    { ...served, costUsd: 0, cached: true, costSavedUsd: 0.000027 },
    day,
  );
  await ledger.record('ten_a', { ...served, costUsd: 0, cached: true, costSavedUsd: null }, next);
  const usage = await ledger.usageOfDays('ten_a', ['2026-11-21', dayOf(day), dayOf(next)]);
  expect(usage).toEqual(
    new Map([
      ['2026-11-21', new Map()],
      [
        '2026-11-22',
        new Map([
          [
            'openai/gpt-4o-mini',
            {
              jobs: 2,
              input_tokens: 200,
              output_tokens: 40,
              cost_nanos: 27_000,
              cached: 1,
              cost_saved_nanos: 27_000,
            },
          ],
        ]),
      ],
      [
        '2026-11-23',
        new Map([
          [
            'openai/gpt-4o-mini',
            { ...noUsage(), jobs: 1, input_tokens: 100, output_tokens: 20, cached: 1 },
          ],
        ]),
      ],
    ]),
  );
});

test('model names are map keys, never object properties', async () => {
  const day = new Date('2026-11-22T10:00:00Z');
  const job = { inputTokens: 1, outputTokens: 1, costUsd: 0, cached: false };
  await ledger.record('ten_a', { model: '__proto__', ...job }, day);
  await ledger.record('ten_a', { model: 'constructor', ...job }, day);
  const usage = (await ledger.usageOfDays('ten_a', [dayOf(day)])).get(dayOf(day))!;
  expect([...usage.keys()].sort()).toEqual(['__proto__', 'constructor']);
  const totals = await ledger.dailyUsage('ten_a', dayOf(day));
  expect(Object.keys(totals).sort()).toEqual(['__proto__', 'constructor']);
  expect(totals['__proto__']!.jobs).toBe(1);
});
