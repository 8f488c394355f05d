import { createRedis, Keys, whenReady } from '@switchyard/redis-kit';
import { type RedisServer, startRedisServer } from '@switchyard/redis-server';
import { Redis } from 'ioredis';
import { RequestDedup } from '../src/cache/request-dedup';
import type { RequestDedupOptions } from '../src/cache/request-dedup-options';
import { ResponseCache } from '../src/cache/response-cache';
import type { ProviderResponse } from '../src/types';

const RESPONSE: ProviderResponse = {
  text: 'shared answer',
  finishReason: 'stop',
  inputTokens: 7,
  outputTokens: 3,
  statusCode: 200,
  exhaustedForMs: 0,
};

let server: RedisServer;
let admin: Redis;
const connections: Redis[] = [];
beforeAll(async () => {
  server = await startRedisServer();
  admin = new Redis(server.url);
});
afterAll(async () => {
  for (const connection of connections) connection.disconnect();
  admin.disconnect();
  await server.stop();
});

/** One worker process: its own command and subscriber connections. */
async function workerProcess(keys: Keys, options: RequestDedupOptions = {}) {
  const redis = createRedis(server.url, 'worker');
  const subscriber = createRedis(server.url, 'subscriber');
  connections.push(redis, subscriber);
  await Promise.all([whenReady(redis), whenReady(subscriber)]);
  const cache = new ResponseCache(redis, keys);
  return { cache, subscriber, dedup: new RequestDedup(redis, subscriber, keys, cache, options) };
}

/** Counts `onWait` calls; `reached(n)` resolves once n callers are waiting on a leader. */
function waiters() {
  let count = 0;
  const pending: Array<{ n: number; resolve: () => void }> = [];
  return {
    onWait: () => {
      count++;
      for (const entry of pending) if (count >= entry.n) entry.resolve();
    },
    reached: (n: number) =>
      new Promise<void>((resolve) => (count >= n ? resolve() : pending.push({ n, resolve }))),
  };
}

test('10 concurrent runs across two processes make one call and all get its response', async () => {
  const keys = new Keys('dedup-ten');
  const waits = waiters();
  const a = await workerProcess(keys, { onWait: waits.onWait });
  const b = await workerProcess(keys, { onWait: waits.onWait });
  let calls = 0;
  const during: Array<number> = [];
  const call = async () => {
    calls++;
    await waits.reached(9);
    during.push(await admin.pttl('dedup-ten:inflight:k1'));
    // One SUBSCRIBE per process, however many of its callers wait.
    during.push(Number((await admin.pubsub('NUMSUB', 'dedup-ten:inflight-done:k1'))[1]));
    return { response: RESPONSE };
  };
  const runs = Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).dedup.run('k1', call));
  const results = await Promise.all(runs);
  expect(calls).toBe(1);
  expect(results.map((result) => result.response)).toEqual(Array(10).fill(RESPONSE));
  expect(results.filter((result) => result.source === 'dedup')).toHaveLength(9);
  expect(during[0]).toBeGreaterThan(110_000);
  expect(during[0]).toBeLessThanOrEqual(120_000);
  expect(during[1]).toBe(2);
  expect(await admin.exists('dedup-ten:inflight:k1')).toBe(0);
  expect(await a.cache.get('k1')).toEqual(RESPONSE);
  // UNSUBSCRIBE is sent before a PING on the same connection, so after it nobody listens.
  await Promise.all([a.subscriber.ping(), b.subscriber.ping()]);
  expect(await admin.pubsub('NUMSUB', 'dedup-ten:inflight-done:k1')).toEqual([
    'dedup-ten:inflight-done:k1',
    0,
  ]);
});

test("a leader's failure is not shared: a follower calls again and serves the rest", async () => {
  const keys = new Keys('dedup-fail');
  const waits = waiters();
  const a = await workerProcess(keys, { onWait: waits.onWait });
  const b = await workerProcess(keys, { onWait: waits.onWait });
  let calls = 0;
  const call = async () => {
    calls++;
    if (calls > 1) return { response: RESPONSE };
    await waits.reached(9);
    throw new Error('provider down');
  };
  const runs = Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).dedup.run('k1', call));
  const settled = await Promise.allSettled(runs);
  expect(calls).toBe(2);
  const rejected = settled.filter((result) => result.status === 'rejected');
  expect(rejected).toEqual([{ status: 'rejected', reason: new Error('provider down') }]);
  const fulfilled = settled.flatMap((result) =>
    result.status === 'fulfilled' ? [result.value] : [],
  );
  expect(fulfilled.map((result) => result.response)).toEqual(Array(9).fill(RESPONSE));
  expect(fulfilled.filter((result) => result.source === 'dedup')).toHaveLength(8);
  expect(await a.cache.get('k1')).toEqual(RESPONSE);
});

test('a leader that declines (no answer) gets its own outcome back; a follower calls', async () => {
  const keys = new Keys('dedup-decline');
  const waits = waiters();
  const a = await workerProcess(keys, { onWait: waits.onWait });
  const b = await workerProcess(keys, { onWait: waits.onWait });
  let calls = 0;
  const call = async (): Promise<{ response: ProviderResponse } | { declined: string }> => {
    calls++;
    if (calls > 1) return { response: RESPONSE };
    await waits.reached(1);
    return { declined: 'circuit open' };
  };
  const [leader, follower] = await Promise.all([a.dedup.run('k1', call), b.dedup.run('k1', call)]);
  expect(leader).toEqual({ declined: 'circuit open' });
  expect(follower).toEqual({ response: RESPONSE, source: 'call' });
  expect(calls).toBe(2);
  expect(await admin.exists('dedup-decline:inflight:k1')).toBe(0);
});

test('different keys run independently, at the same time', async () => {
  const { dedup } = await workerProcess(new Keys('dedup-keys'));
  let startedA!: () => void;
  let startedB!: () => void;
  const aStarted = new Promise<void>((resolve) => (startedA = resolve));
  const bStarted = new Promise<void>((resolve) => (startedB = resolve));
  const other = { ...RESPONSE, text: 'other answer' };
  // Each call finishes only once the other has started: a key blocking the other would hang.
  const results = await Promise.all([
    dedup.run('a', async () => (startedA(), await bStarted, { response: RESPONSE })),
    dedup.run('b', async () => (startedB(), await aStarted, { response: other })),
  ]);
  expect(results).toEqual([
    { response: RESPONSE, source: 'call' },
    { response: other, source: 'call' },
  ]);
});

test('a follower whose signal aborts rejects at once with its reason', async () => {
  const keys = new Keys('dedup-abort');
  const waits = waiters();
  const a = await workerProcess(keys, { onWait: waits.onWait });
  const b = await workerProcess(keys, { onWait: waits.onWait, waitMs: 60_000 });
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let calls = 0;
  const call = async () => (calls++, await released, { response: RESPONSE });
  const leader = a.dedup.run('k1', call);
  const controller = new AbortController();
  const follower = b.dedup.run('k1', call, controller.signal);
  await waits.reached(1);
  const abortedAt = Date.now();
  controller.abort(new Error('job cancelled'));
  await expect(follower).rejects.toThrow('job cancelled');
  expect(Date.now() - abortedAt).toBeLessThan(1_000);
  release();
  expect(await leader).toEqual({ response: RESPONSE, source: 'call' });
  expect(calls).toBe(1);
});

test('a lease left by a dead leader: the follower takes over once its wait ends', async () => {
  await admin.set('dedup-dead:inflight:k1', 'ghost');
  const waits = waiters();
  const { dedup } = await workerProcess(new Keys('dedup-dead'), {
    onWait: waits.onWait,
    waitMs: 50,
  });
  void waits.reached(1).then(() => admin.del('dedup-dead:inflight:k1'));
  let calls = 0;
  const result = await dedup.run('k1', async () => (calls++, { response: RESPONSE }));
  expect(result).toEqual({ response: RESPONSE, source: 'call' });
  expect(calls).toBe(1);
  expect(await admin.exists('dedup-dead:inflight:k1')).toBe(0);
});

test('after maxWaits on a lease that never ends, the caller calls without coordination', async () => {
  await admin.set('dedup-stuck:inflight:k1', 'ghost');
  const waits = waiters();
  const keys = new Keys('dedup-stuck');
  const { dedup } = await workerProcess(keys, { onWait: waits.onWait, waitMs: 20, maxWaits: 2 });
  let calls = 0;
  const result = await dedup.run('k1', async () => (calls++, { response: RESPONSE }));
  expect(result).toEqual({ response: RESPONSE, source: 'call' });
  expect(calls).toBe(1);
  expect(await waits.reached(2)).toBeUndefined();
  expect(await admin.get('dedup-stuck:inflight:k1')).toBe('ghost');
});

test('a leader releases only its own lease and reuses an answer cached just before it', async () => {
  const { dedup, cache } = await workerProcess(new Keys('dedup-own'));
  // The lease expired mid-call and another leader took it: that one's lease must survive.
  const result = await dedup.run('k1', async () => {
    await admin.set('dedup-own:inflight:k1', 'next-leader');
    return { response: RESPONSE };
  });
  expect(result).toEqual({ response: RESPONSE, source: 'call' });
  expect(await admin.get('dedup-own:inflight:k1')).toBe('next-leader');

  await cache.set('k2', RESPONSE);
  let calls = 0;
  expect(await dedup.run('k2', async () => (calls++, { response: RESPONSE }))).toEqual({
    response: RESPONSE,
    source: 'cache',
  });
  expect(calls).toBe(0);
});

test("a lease left by the same job's dead run: its next run leads at once, without waiting", async () => {
  await admin.set('dedup-rerun:inflight:k1', 'job_1', 'PX', 120_000);
  let waited = 0;
  const { dedup } = await workerProcess(new Keys('dedup-rerun'), { onWait: () => waited++ });
  let calls = 0;
  const call = async () => (calls++, { response: RESPONSE });
  const result = await dedup.run('k1', call, undefined, 'job_1');
  expect(result).toEqual({ response: RESPONSE, source: 'call' });
  expect(calls).toBe(1);
  expect(waited).toBe(0);
  expect(await admin.exists('dedup-rerun:inflight:k1')).toBe(0);
});
