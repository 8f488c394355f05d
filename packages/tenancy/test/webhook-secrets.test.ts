import { randomBytes } from 'node:crypto';
import { createRedis, Keys, whenReady } from '@switchyard/redis-kit';
import { type RedisServer, startRedisServer } from '@switchyard/redis-server';
import type { Redis } from 'ioredis';
import { ROTATION_OVERLAP_MS, WebhookSecrets } from '../src';

let server: RedisServer;
let redis: Redis;
let secrets: WebhookSecrets;
beforeAll(async () => {
  server = await startRedisServer();
  redis = createRedis(server.url, 'worker');
  await whenReady(redis);
});
beforeEach(() => {
  secrets = new WebhookSecrets(redis, new Keys(`t${randomBytes(4).toString('hex')}`));
});
afterAll(async () => {
  redis.disconnect();
  await server.stop();
});

const t0 = new Date('2026-11-22T10:00:00Z');
const later = (ms: number) => new Date(t0.getTime() + ms);

test('a tenant starts with one current secret', async () => {
  const first = await secrets.create('ten_a', t0);
  expect(first).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
  expect(await secrets.active('ten_a', t0)).toEqual([
    { secret: first, created_at: t0.toISOString(), expires_at: null },
  ]);
});

test('after a rotation both secrets sign for 24 h, then only the new one', async () => {
  const old = await secrets.create('ten_a', t0);
  const rotatedAt = later(60_000);
  const fresh = await secrets.rotate('ten_a', rotatedAt);
  const oldEnds = new Date(rotatedAt.getTime() + ROTATION_OVERLAP_MS).toISOString();
  expect(await secrets.active('ten_a', rotatedAt)).toEqual([
    { secret: fresh, created_at: rotatedAt.toISOString(), expires_at: null },
    { secret: old, created_at: t0.toISOString(), expires_at: oldEnds },
  ]);
  const dayLater = later(60_000 + ROTATION_OVERLAP_MS);
  expect((await secrets.active('ten_a', dayLater)).map((s) => s.secret)).toEqual([fresh]);
});

test('a second rotation within the day drops nothing still signing, ends the previous current', async () => {
  const a = await secrets.create('ten_a', t0);
  const b = await secrets.rotate('ten_a', later(1_000));
  const c = await secrets.rotate('ten_a', later(2_000));
  expect(
    (await secrets.active('ten_a', later(3_000))).map((s) => [s.secret, s.expires_at]),
  ).toEqual([
    [c, null],
    [b, new Date(later(2_000).getTime() + ROTATION_OVERLAP_MS).toISOString()],
    [a, new Date(later(1_000).getTime() + ROTATION_OVERLAP_MS).toISOString()],
  ]);
});

test('an unknown tenant has no secrets', async () => {
  expect(await secrets.active('ten_nobody', t0)).toEqual([]);
});
