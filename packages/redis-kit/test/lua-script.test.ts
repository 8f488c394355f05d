import { type RedisServer, startRedisServer } from '@switchyard/redis-server';
import type { Redis } from 'ioredis';
import { createRedis, LuaScript, whenReady } from '../src';

let server: RedisServer;
let redis: Redis;
beforeAll(async () => {
  server = await startRedisServer();
  redis = createRedis(server.url, 'worker');
  await whenReady(redis);
});
afterAll(async () => {
  redis.disconnect();
  await server.stop();
});

test('keys and arguments reach the script by name, a trailing list as a Lua list', async () => {
  const echo = new LuaScript({
    keys: ['first', 'rest...'],
    args: ['a', 'b', 'items...'],
    source: `return {KEY.first, #KEY.rest, KEY.rest[2] or '', ARG.a, ARG.b, #ARG.items, ARG.items[1] or ''}`,
  });
  expect(
    await echo.run(redis, { first: 'k1', rest: ['k2', 'k3'] }, { a: 1, b: 'two', items: ['x'] }),
  ).toEqual(['k1', 2, 'k3', '1', 'two', 1, 'x']);
  expect(await echo.run(redis, { first: 'k1', rest: [] }, { b: '', a: 0, items: [] })).toEqual([
    'k1',
    0,
    '',
    '0',
    '',
    0,
    '',
  ]);
});

test('a name that is not a Lua name, or a list before the end, is refused when declared', () => {
  expect(() => new LuaScript({ keys: ['a-b'], args: [], source: 'return 1' })).toThrow(
    'Lua script name "a-b" is not a Lua name',
  );
  expect(() => new LuaScript({ keys: [], args: ['xs...', 'y'], source: 'return 1' })).toThrow(
    '"xs..." must come last',
  );
});
