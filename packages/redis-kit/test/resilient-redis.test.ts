import type { Socket } from 'node:net';
import { findFreePort, type RedisServer, startRedisServer } from '@switchyard/redis-server';
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

describe('coalesced writes', () => {
  let server: RedisServer;
  const clients: Redis[] = [];
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterEach(() => clients.splice(0).forEach((client) => client.disconnect()));
  afterAll(() => server.stop());

  async function connect(): Promise<Redis> {
    const client = new ResilientRedis(server.url);
    clients.push(client);
    await new Promise((resolve) => client.once('ready', resolve));
    return client;
  }

  /** Counts the socket's writes as Node hands them to the system (`_write` one, `_writev` many). */
  function countWrites(client: Redis) {
    const socket = (client as unknown as { stream: Socket }).stream;
    const counts = { writes: 0, chunks: 0 };
    const write = socket._write.bind(socket);
    const writev = socket._writev!.bind(socket);
    socket._write = (chunk, encoding, done) => {
      counts.writes++;
      counts.chunks++;
      write(chunk, encoding, done);
    };
    socket._writev = (chunks, done) => {
      counts.writes++;
      counts.chunks += chunks.length;
      writev(chunks, done);
    };
    return counts;
  }

  test('the commands of one event-loop turn leave in one write, and each gets its own answer', async () => {
    const client = await connect();
    const counts = countWrites(client);
    const replies = await Promise.all(
      Array.from({ length: 50 }, (_, i) => client.incrby('coalesced', i + 1)),
    );
    expect(counts).toEqual({ writes: 1, chunks: 50 });
    // INCRBY answers the running total: 1, 1+2, 1+2+3, … in the order the commands were sent.
    expect(replies).toEqual(Array.from({ length: 50 }, (_, i) => ((i + 1) * (i + 2)) / 2));
  });

  test('commands of later turns are written in their own turn', async () => {
    const client = await connect();
    const counts = countWrites(client);
    for (let i = 0; i < 3; i++) await client.set(`turn:${i}`, String(i));
    expect(counts).toEqual({ writes: 3, chunks: 3 });
    expect(await client.mget('turn:0', 'turn:1', 'turn:2')).toEqual(['0', '1', '2']);
  });
});
