import { randomBytes } from 'node:crypto';
import { createRedis, Keys, whenReady } from '@switchyard/redis-kit';
import { type RedisServer, startRedisServer } from '@switchyard/redis-server';
import type { Redis } from 'ioredis';
import { hashApiKey, TenantStore } from '../src';

let server: RedisServer;
let redis: Redis;
let store: TenantStore;
let keys: Keys;

beforeAll(async () => {
  server = await startRedisServer();
  redis = createRedis(server.url, 'worker');
  await whenReady(redis);
});
beforeEach(() => {
  keys = new Keys(`t${randomBytes(4).toString('hex')}`);
  store = new TenantStore(redis, keys);
});
afterAll(async () => {
  redis.disconnect();
  await server.stop();
});

const limits = { rpm: 60, monthly_budget_usd: null };

test('a new tenant comes with a key that authenticates, all scopes, and a webhook secret', async () => {
  const created = await store.create({ name: 'acme', limits });
  expect(created.api_key.key).toMatch(/^sy_live_[0-9a-z]{32}$/);
  expect(created.api_key.prefix).toBe(created.api_key.key.slice(0, 16));
  expect(created.webhook_secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
  expect(await store.authenticate(created.api_key.key)).toEqual({
    tenantId: created.tenant.id,
    keyPrefix: created.api_key.prefix,
    scopes: ['jobs:read', 'jobs:write', 'usage:read', 'webhooks:manage'],
  });
});

test('keys are stored only as hashes: the secret is nowhere in Redis', async () => {
  const created = await store.create({ name: 'acme', limits });
  const everything: string[] = [];
  for (const key of await redis.keys(`${keys.namespace}:*`)) {
    everything.push(key);
    const type = await redis.type(key);
    if (type === 'string') everything.push((await redis.get(key))!);
    if (type === 'set') everything.push(...(await redis.smembers(key)));
    if (type === 'zset') everything.push(...(await redis.zrange(key, 0, -1)));
  }
  const dump = everything.join('\n');
  expect(dump).not.toContain(created.api_key.key);
  expect(dump).toContain(hashApiKey(created.api_key.key));
});

test('unknown, malformed and revoked keys do not authenticate', async () => {
  const created = await store.create({ name: 'acme', limits });
  expect(await store.authenticate('sy_live_' + 'x'.repeat(32))).toBeUndefined();
  expect(await store.authenticate('Bearer nonsense')).toBeUndefined();
  expect(await store.revokeKey(created.api_key.prefix)).toBe(true);
  expect(await store.authenticate(created.api_key.key)).toBeUndefined();
  expect(await store.revokeKey(created.api_key.prefix)).toBe(false);
});

test('extra keys carry their own scopes and are listed without secrets', async () => {
  const created = await store.create({ name: 'acme', limits });
  const reader = await store.createKey(created.tenant.id, {
    name: 'dashboard',
    scopes: ['jobs:read'],
  });
  expect((await store.authenticate(reader!.key))?.scopes).toEqual(['jobs:read']);
  const listed = await store.listKeys(created.tenant.id);
  expect(listed.map((key) => key.prefix).sort()).toEqual(
    [created.api_key.prefix, reader!.prefix].sort(),
  );
  expect(JSON.stringify(listed)).not.toContain(reader!.key);
  expect(await store.createKey('ten_missing', {})).toBeUndefined();
});

test('update changes the name and merges limits', async () => {
  const created = await store.create({ name: 'acme', limits });
  const updated = await store.update(created.tenant.id, { limits: { monthly_budget_usd: 5 } });
  expect(updated).toMatchObject({ name: 'acme', limits: { rpm: 60, monthly_budget_usd: 5 } });
  expect((await store.list()).map((tenant) => tenant.id)).toEqual([created.tenant.id]);
  expect(await store.update('ten_missing', { name: 'x' })).toBeUndefined();
});
