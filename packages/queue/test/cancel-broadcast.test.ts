import { type RedisServer, startRedisServer } from '@switchyard/redis-server';
import { Redis } from 'ioredis';
import { COMMAND_TIMEOUT_MS, createRedis, Keys, whenReady } from '@switchyard/redis-kit';
import { broadcastCancel, onCancelBroadcast } from '../src';

let server: RedisServer;
let admin: Redis;
beforeAll(async () => {
  server = await startRedisServer();
  admin = new Redis(server.url);
});
afterAll(async () => {
  admin.disconnect();
  await server.stop();
});

test('a SUBSCRIBE that times out on a stalled Redis is tried again, and broadcasts then arrive', async () => {
  const keys = new Keys('cancel-retry');
  const subscriber = createRedis(server.url, 'subscriber', 'cancel-retry');
  await whenReady(subscriber);
  // Stall every client's commands for longer than one command may take.
  await admin.client('PAUSE', COMMAND_TIMEOUT_MS + 1_000, 'ALL');
  const received: string[] = [];
  let delivered!: () => void;
  const arrived = new Promise<void>((resolve) => (delivered = resolve));
  await onCancelBroadcast(subscriber, keys, (jobId) => {
    received.push(jobId);
    delivered();
  });
  await broadcastCancel(admin, keys, 'job_1');
  await arrived;
  expect(received).toEqual(['job_1']);
  subscriber.disconnect();
}, 15_000);
