import { rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { startRedisServer } from '../src';

function ping(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(port, '127.0.0.1', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      resolve(data.toString());
      socket.end();
    });
    socket.once('error', reject);
  });
}

test('starts on a free port, answers, and stops', async () => {
  const redis = await startRedisServer();
  expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
  expect(await ping(redis.port)).toBe('+PONG\r\n');
  await redis.stop();
  await expect(ping(redis.port)).rejects.toThrow(/ECONNREFUSED/);
});

test('kill and restart keep the port', async () => {
  const redis = await startRedisServer();
  await redis.kill();
  await expect(ping(redis.port)).rejects.toThrow(/ECONNREFUSED/);
  await redis.restart();
  expect(await ping(redis.port)).toBe('+PONG\r\n');
  await redis.stop();
});

test('stop ends a Redis that refuses to exit because its final save fails', async () => {
  const redis = await startRedisServer({ appendOnly: true });
  rmSync(redis.dir, { recursive: true, force: true }); // the save on shutdown now fails
  await redis.stop();
  expect(await redis.exited).toBeNull(); // killed, not exited by itself
}, 20_000);

test('a bad argument is reported with redis-server’s own words', async () => {
  await expect(startRedisServer({ args: ['--maxmemory-policy', 'sometimes'] })).rejects.toThrow(
    /redis-server exited \(1\) before it was ready: .*maxmemory-policy/,
  );
});

test('a crash is reported to onCrash; kill, restart and stop are not crashes', async () => {
  const redis = await startRedisServer({ appendOnly: true });
  const crashes: Array<[number | null, string | null]> = [];
  let crashed!: () => void;
  const firstCrash = new Promise<void>((resolve) => (crashed = resolve));
  redis.onCrash((code, signal) => {
    crashes.push([code, signal]);
    crashed();
  });
  await redis.kill();
  await redis.restart();
  expect(crashes).toEqual([]);
  process.kill(redis.pid, 'SIGKILL'); // as the OOM killer would
  await firstCrash;
  expect(crashes).toEqual([[null, 'SIGKILL']]);
  expect(redis.running).toBe(false);
  await redis.restart(); // from its AOF, on the same port
  expect(await ping(redis.port)).toBe('+PONG\r\n');
  await redis.stop();
  expect(crashes).toHaveLength(1);
});
