import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { type RedisServer, findFreePort, startRedisServer } from '@switchyard/redis-server';
import { type NpmStart, startNpm } from '../src/npm-start';

/**
 * `npm start` against a Redis of the user's that needs a password (`REDIS_URL` with one): the
 * stack runs, and nothing it prints, banner or the processes' log lines, shows the password.
 */
const run = promisify(execFile);
jest.setTimeout(90_000);

const PASSWORD = `e2e-redis-${randomBytes(12).toString('hex')}`;
let redis: RedisServer;
let npm: NpmStart;

beforeAll(async () => {
  redis = await startRedisServer({ args: ['--requirepass', PASSWORD] });
  npm = startNpm({
    PORT: String(await findFreePort()),
    REDIS_URL: `redis://:${PASSWORD}@127.0.0.1:${redis.port}`,
  });
  await npm.ready;
});

afterAll(async () => {
  await npm.dispose();
  await redis.stop();
});

test('the banner names the Redis with its password masked, and runs a job through it', async () => {
  const banner = npm.output.join('\n');
  expect(banner).toContain(`Redis         redis://:***@127.0.0.1:${redis.port} (REDIS_URL)`);
  const curl = banner.slice(banner.indexOf('curl -s'), banner.indexOf('Press Ctrl-C')).trim();
  const { stdout } = await run('bash', ['-c', curl]);
  expect(JSON.parse(stdout)).toMatchObject({ status: 'succeeded' });
});

test('after Ctrl-C, nothing printed from start to stop holds the password', async () => {
  npm.signal('SIGINT');
  await npm.closed;
  const printed = npm.output.join('\n');
  expect(printed).toContain('Stopping Switchyard…');
  expect(printed).not.toContain(PASSWORD);
});
