import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findFreePort } from '@switchyard/redis-server';
import {
  appPid,
  embeddedRedisPid,
  type NpmStart,
  processesOf,
  processTree,
  REPO,
  startNpm,
  stillRunning,
} from '../src/npm-start';

/**
 * `npm install && npm start`, then the curl it prints, as a user would: no provider key, no
 * REDIS_URL, nothing started beforehand. Then Ctrl-C, and nothing may be left running.
 */
const run = promisify(execFile);
jest.setTimeout(90_000);

let npm: NpmStart;
let port: number;

beforeAll(async () => {
  port = await findFreePort();
  npm = startNpm({ PORT: String(port) });
  await npm.ready;
});

afterAll(() => npm.dispose());

test('npm start prints a curl that runs a job to completion against the simulator', async () => {
  const banner = npm.output.join('\n');
  expect(banner).toContain(`API           http://localhost:${port}`);
  expect(banner).toContain(
    `Bull Board    http://localhost:${port}/admin/queues  (user admin, the admin token as password)`,
  );
  expect(banner).toMatch(
    /Metrics {7}http:\/\/localhost:\d+\/metrics {2}\(api; admin token\)\n {16}http:\/\/localhost:\d+\/metrics {2}\(worker\)\n {16}http:\/\/localhost:\d+\/metrics {2}\(webhook dispatcher\)/,
  );
  expect(banner).toMatch(
    /Providers {5}built-in simulator at http:\/\/127\.0\.0\.1:\d+ for openai and anthropic/,
  );
  expect(banner).toMatch(/Admin token {3}\S{32}/);
  expect(banner).toContain(`(embedded, AOF on, data in ${join(npm.dataDir, 'redis')})`);

  const curl = banner.slice(banner.indexOf('curl -s'), banner.indexOf('Press Ctrl-C')).trim();
  const { stdout } = await run('bash', ['-c', curl]);
  const job = JSON.parse(stdout);
  expect(job).toMatchObject({
    object: 'job',
    status: 'succeeded',
    model: 'openai/gpt-4o-mini',
    served_by: { provider: 'openai', model: 'gpt-4o-mini' },
    error: null,
  });
  expect(job.output.text.length).toBeGreaterThan(0);
  expect(job.usage.input_tokens).toBeGreaterThan(0);
  expect(job.usage.output_tokens).toBeGreaterThan(0);
  expect(job.usage.cost_usd).toBeCloseTo(
    (job.usage.input_tokens * 0.15 + job.usage.output_tokens * 0.6) / 1e6,
    12,
  );
});

test('every metrics URL in the banner answers with the admin token', async () => {
  const printed = npm.output.join('\n');
  const banner = printed.slice(printed.indexOf('Switchyard is running.'));
  const token = /Admin token {3}(\S+)/.exec(banner)![1]!;
  const urls = [...banner.matchAll(/(http:\/\/localhost:\d+\/metrics)/g)].map((m) => m[1]!);
  expect(urls).toHaveLength(3);
  for (const url of urls) {
    const response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
    expect([url, response.status]).toEqual([url, 200]);
    expect(await response.text()).toMatch(/^switchyard_redis_up\{service="[a-z-]+"\} 1$/m);
  }
});

test('Ctrl-C stops every process it started and leaves nothing running', async () => {
  const family = await processTree(npm.process.pid!);
  const redisPid = embeddedRedisPid(npm.dataDir);
  // Every part of the stack is one of npm's descendants (tsx adds helpers of its own).
  const parts = [
    redisPid,
    ...['apps/api/', 'apps/worker/', 'apps/webhook-dispatcher/'].map((entry) =>
      appPid(npm.dataDir, entry),
    ),
  ];
  expect(parts.filter((pid) => !family.includes(pid))).toEqual([]);

  // 'close' waits until every process holding npm's stdout (npm, its shell, the launcher) has
  // exited: npm itself may end first, the launcher only once it has stopped everything.
  npm.signal('SIGINT');
  expect(await npm.closed).toEqual({ code: null, signal: 'SIGINT' });
  expect(await stillRunning([...family, redisPid])).toEqual([]);
  expect(processesOf(npm.dataDir)).toEqual([]);
  await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  expect(npm.output).toContain('Stopping Switchyard…');
});

test('without redis-server on PATH, one clear line and exit 1', async () => {
  const bin = mkdtempSync(join(tmpdir(), 'switchyard-path-'));
  symlinkSync(process.execPath, join(bin, 'node'));
  const cli = join(REPO, 'apps/cli/bin/switchyard.js');
  const result = await run('node', [cli, 'dev'], {
    env: { PATH: bin, SWITCHYARD_DATA_DIR: join(bin, 'data') },
  }).catch((error: { code: number; stdout: string; stderr: string }) => error);
  expect(result).toMatchObject({
    code: 1,
    stdout: '',
    stderr:
      'switchyard: redis-server not found on PATH: install it (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis) or set REDIS_URL to a Redis you run\n',
  });
  rmSync(bin, { recursive: true, force: true });
});

test('a bad environment variable stops start-up with one line', async () => {
  const cli = join(REPO, 'apps/cli/bin/switchyard.js');
  const result = await run('node', [cli, 'dev'], { env: { ...process.env, PORT: 'eighty' } }).catch(
    (error: { code: number; stderr: string }) => error,
  );
  expect(result).toMatchObject({ code: 1, stderr: 'switchyard: PORT: must be a port number\n' });
});
