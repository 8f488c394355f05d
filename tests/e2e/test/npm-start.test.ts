import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { findFreePort } from '@switchyard/redis-server';

/**
 * `npm install && npm start`, then the curl it prints, as a user would: no provider key, no
 * REDIS_URL, nothing started beforehand. Then Ctrl-C, and nothing may be left running.
 */
const repo = resolve(__dirname, '../../..');
const run = promisify(execFile);
jest.setTimeout(90_000);

let npm: ChildProcess;
let dataDir: string;
let port: number;
const output: string[] = [];

beforeAll(async () => {
  port = await findFreePort();
  dataDir = mkdtempSync(join(tmpdir(), 'switchyard-e2e-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    SWITCHYARD_DATA_DIR: dataDir,
  };
  for (const name of [
    'REDIS_URL',
    'OPENAI_API_KEY',
    'ANTHROPIC_API_KEY',
    'SWITCHYARD_ADMIN_TOKEN',
    'SWITCHYARD_CONFIG',
  ]) {
    delete env[name];
  }
  // Its own process group, like a terminal's foreground job, so Ctrl-C can be sent to all of it.
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
  // Only when a test failed before its own Ctrl-C: stop the stack the way a user would.
  if (npm.exitCode === null && npm.signalCode === null) {
    const closed = new Promise((done) => npm.once('close', done));
    process.kill(-npm.pid!, 'SIGINT');
    await closed;
  }
  rmSync(dataDir, { recursive: true, force: true });
});

test('npm start prints a curl that runs a job to completion against the simulator', async () => {
  const banner = output.join('\n');
  expect(banner).toContain(`API           http://localhost:${port}`);
  expect(banner).toMatch(
    /Providers {5}built-in simulator at http:\/\/127\.0\.0\.1:\d+ for openai and anthropic/,
  );
  expect(banner).toMatch(/Admin token {3}\S{32}/);
  expect(banner).toContain(`(embedded, AOF on, data in ${join(dataDir, 'redis')})`);

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

test('Ctrl-C stops every process it started and leaves nothing running', async () => {
  const family = await descendants(npm.pid!);
  const redisPid = Number(readFileSync(join(dataDir, 'redis', 'redis.pid'), 'utf8'));
  // npm, the launcher, the API, the worker and redis-server at least.
  expect(family.length).toBeGreaterThanOrEqual(4);
  expect(family).toContain(redisPid);

  // 'close' waits until every process holding npm's stdout (npm, its shell, the launcher) has
  // exited: npm itself may end first, the launcher only once it has stopped everything.
  const closed = new Promise((done) => npm.once('close', (code, signal) => done({ code, signal })));
  process.kill(-npm.pid!, 'SIGINT');
  expect(await closed).toEqual({ code: null, signal: 'SIGINT' });

  const alive = [...family, redisPid].filter(isAlive);
  if (alive.length) {
    const { stdout } = await run('ps', ['-o', 'pid,ppid,pgid,lstart,args', '-p', alive.join(',')]);
    console.log(`${stdout}\n${output.join('\n')}`);
  }
  expect(alive).toEqual([]);
  await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  expect(output.join('\n')).toContain('Stopping Switchyard…');
});

test('without redis-server on PATH, one clear line and exit 1', async () => {
  const bin = mkdtempSync(join(tmpdir(), 'switchyard-path-'));
  symlinkSync(process.execPath, join(bin, 'node'));
  const cli = join(repo, 'apps/cli/bin/switchyard.js');
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
  const cli = join(repo, 'apps/cli/bin/switchyard.js');
  const result = await run('node', [cli, 'dev'], { env: { ...process.env, PORT: 'eighty' } }).catch(
    (error: { code: number; stderr: string }) => error,
  );
  expect(result).toMatchObject({
    code: 1,
    stderr: 'switchyard: PORT: must be a port number\n',
  });
});

/** Every process below `pid`, read from ps (the launcher's children live in their own groups). */
async function descendants(pid: number): Promise<number[]> {
  const { stdout } = await run('ps', ['-eo', 'pid=,ppid=']);
  const children = new Map<number, number[]>();
  for (const line of stdout.trim().split('\n')) {
    const [child, parent] = line.trim().split(/\s+/).map(Number);
    children.set(parent!, [...(children.get(parent!) ?? []), child!]);
  }
  const found: number[] = [];
  const walk = (p: number) => {
    for (const child of children.get(p) ?? []) {
      found.push(child);
      walk(child);
    }
  };
  walk(pid);
  return [pid, ...found];
}

/**
 * Running, as opposed to exited. A zombie (state Z) has exited and only waits for its new
 * parent, PID 1, to reap it: on a cold start tsx's esbuild helpers end up so for a moment.
 */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
