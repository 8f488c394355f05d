import { createServer, type Server } from 'node:net';
import { createLogger } from '@switchyard/observability';
import { findFreePort } from '@switchyard/redis-server';
import { startDispatcherApp } from '@switchyard/webhook-dispatcher';
import { startWorkerApp } from '@switchyard/worker';
import { Redis } from 'ioredis';
import { startStack, type Stack } from '../src';

/**
 * A worker or dispatcher that cannot bind its metrics port refuses to start with one line, and
 * before it has taken anything: no queue item held, no connection left open.
 */
let stack: Stack;
let taken: Server;
let port: number;
let admin: Redis;
beforeAll(async () => {
  stack = await startStack({ worker: false });
  port = await findFreePort();
  taken = createServer();
  await new Promise<void>((resolve) => taken.listen(port, '127.0.0.1', resolve));
  admin = new Redis(stack.redis.url);
});
afterAll(async () => {
  admin.disconnect();
  taken.close();
  await stack.close();
});

/** Names of the connections Redis has open for processes of this kind. */
const connections = async (kind: string) =>
  ((await admin.client('LIST')) as string)
    .split('\n')
    .map((line) => /name=(\S*)/.exec(line)?.[1] ?? '')
    .filter((name) => name.startsWith(kind));

test.each([
  ['worker', () => startWorkerApp(options())],
  ['dispatcher', () => startDispatcherApp(options())],
])(
  'a %s whose metrics port is taken does not start, and leaves nothing open',
  async (kind, start) => {
    const before = await connections(kind);
    await expect(start()).rejects.toThrow(`METRICS_PORT: ${port} is already in use`);
    expect(await connections(kind)).toEqual(before);
  },
);

function options() {
  return {
    settings: stack.settings,
    redisUrl: stack.redis.url,
    logger: createLogger('test', 'silent'),
    namespace: stack.namespace,
    metricsPort: port,
    metricsHost: '127.0.0.1',
  };
}
