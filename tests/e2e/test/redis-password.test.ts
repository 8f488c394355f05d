import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { findFreePort, type RedisServer, startRedisServer } from '@switchyard/redis-server';

/**
 * `npm start` against a Redis of the user's that needs a password (`REDIS_URL` with one): the
 * stack runs, and nothing it prints, banner or the processes' log lines, shows the password.
 */
const repo = resolve(__dirname, '../../..');
const run = promisify(execFile);
jest.setTimeout(90_000);

const PASSWORD = `e2e-redis-${randomBytes(12).toString('hex')}`;
let redis: RedisServer;
let npm: ChildProcess;
let dataDir: string;
let port: number;
const output: string[] = [];

beforeAll(async () => {
  redis = await startRedisServer({ args: ['--requirepass', PASSWORD] });
  port = await findFreePort();
  dataDir = mkdtempSync(join(tmpdir(), 'switchyard-e2e-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    SWITCHYARD_DATA_DIR: dataDir,
    REDIS_URL: `redis://:${PASSWORD}@127.0.0.1:${redis.port}`,
  };
  for (const name of ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'SWITCHYARD_CONFIG']) {
    delete env[name];
  }
  // Its own process group, like a terminal's foreground job, so Ctrl-C reaches all of it.
  npm = spawn('npm', ['start'], {
    cwd: repo,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  npm.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  await new Promise<void>((ready, fail) => {
    createInterface({ input: npm.stdout! }).on('line', (line) => {
      output.push(line);
      if (line === 'Press Ctrl-C to stop.') ready();
    });
    npm.once('exit', (code) =>
      fail(new Error(`npm start exited (${code}):\n${output.join('\n')}`)),
    );
  });
});

afterAll(async () => {
  if (npm.exitCode === null && npm.signalCode === null) {
    const closed = new Promise((done) => npm.once('close', done));
    process.kill(-npm.pid!, 'SIGINT');
    await closed;
  }
  await redis.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test('the banner names the Redis with its password masked, and runs a job through it', async () => {
  const banner = output.join('\n');
  expect(banner).toContain(`Redis         redis://:***@127.0.0.1:${redis.port} (REDIS_URL)`);
  const curl = banner.slice(banner.indexOf('curl -s'), banner.indexOf('Press Ctrl-C')).trim();
  const { stdout } = await run('bash', ['-c', curl]);
  expect(JSON.parse(stdout)).toMatchObject({ status: 'succeeded' });
});

test('after Ctrl-C, nothing printed from start to stop holds the password', async () => {
  const closed = new Promise((done) => npm.once('close', done));
  process.kill(-npm.pid!, 'SIGINT');
  await closed;
  const printed = output.join('\n');
  expect(printed).toContain('Stopping Switchyard…');
  expect(printed).not.toContain(PASSWORD);
});
