import { findFreePort } from '@switchyard/redis-server';
import { Redis } from 'ioredis';
import { ResilientRedis } from '../src';

/** A client that can never connect, parked in `reconnecting` between retries. */
async function parked<T extends Redis>(make: (port: number) => T): Promise<T> {
  const client = make(await findFreePort());
  client.on('error', () => undefined);
  await new Promise((resolve) => client.once('reconnecting', resolve));
  return client;
}
const options = { retryStrategy: () => 60_000, maxRetriesPerRequest: null };

test('disconnecting a client parked in reconnecting emits end', async () => {
  const client = await parked((port) => new ResilientRedis(port, '127.0.0.1', options));
  const ended = new Promise((resolve) => client.once('end', resolve));
  client.disconnect();
  await ended;
  expect(client.status).toBe('end');
});

test('plain ioredis does not (the bug this class works around)', async () => {
  const client = await parked((port) => new Redis(port, '127.0.0.1', options));
  let ended = false;
  client.once('end', () => (ended = true));
  client.disconnect();
  await new Promise((resolve) => setImmediate(resolve));
  expect([ended, client.status]).toEqual([false, 'reconnecting']);
});

test('duplicates keep the fix', async () => {
  const original = new ResilientRedis({ lazyConnect: true });
  expect(original.duplicate()).toBeInstanceOf(ResilientRedis);
  original.disconnect();
});
