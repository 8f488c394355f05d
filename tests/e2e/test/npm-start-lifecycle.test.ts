import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { findFreePort, startRedisServer } from '@switchyard/redis-server';
import { SwitchyardClient } from '@switchyard/sdk';
import { appPid, embeddedRedisPid, type NpmStart, processesOf, startNpm } from '../src/npm-start';

/**
 * How `npm start` starts, survives and stops, with real processes and real signals: a start that
 * fails part-way stops what it started; a child that dies is restarted (Redis from its AOF) and
 * the API answers 503 meanwhile; Ctrl-C and SIGTERM under load stop everything in order and lose
 * nothing. Every process `npm start` runs carries its data folder in its environment, which is how
 * these tests find them (see processesOf).
 */
jest.setTimeout(120_000);

const ask = (content: string) => ({
  model: 'openai/gpt-4o-mini',
  cache: false,
  input: { messages: [{ role: 'user' as const, content }] },
});
const bannerValue = (npm: NpmStart, label: string) =>
  new RegExp(`^ {2}${label} +(\\S+)`, 'm').exec(npm.output.join('\n'))![1]!;

describe('a start that fails', () => {
  let npm: NpmStart;
  afterEach(() => npm.dispose());

  test('on a port in use: one line naming it, exit 1, and nothing it started left running', async () => {
    const taken: Server = createServer();
    const port = await findFreePort();
    await new Promise<void>((resolve) => taken.listen(port, '0.0.0.0', resolve));
    try {
      npm = startNpm({ PORT: String(port) });
      expect(await npm.closed).toEqual({ code: 1, signal: null });
      expect(npm.output).toContain(
        `switchyard: api could not start: PORT: ${port} is already in use`,
      );
      expect(processesOf(npm.dataDir)).toEqual([]);
    } finally {
      taken.close();
    }
  });

  test('on an unreachable REDIS_URL: one line naming it without its password, exit 1', async () => {
    const port = await findFreePort();
    npm = startNpm({
      PORT: String(await findFreePort()),
      REDIS_URL: `redis://:pw@127.0.0.1:${port}`,
    });
    expect(await npm.closed).toEqual({ code: 1, signal: null });
    expect(npm.output).toContain(
      `switchyard: REDIS_URL: cannot reach Redis at redis://:***@127.0.0.1:${port} within 8 s (connect ECONNREFUSED 127.0.0.1:${port})`,
    );
    expect(npm.output.join('\n')).not.toContain(':pw@');
    expect(processesOf(npm.dataDir)).toEqual([]);
  });

  test('on a Redis that may evict keys: one line with the fix, exit 1', async () => {
    const evicting = await startRedisServer({ args: ['--maxmemory-policy', 'allkeys-lru'] });
    try {
      npm = startNpm({ PORT: String(await findFreePort()), REDIS_URL: evicting.url });
      expect(await npm.closed).toEqual({ code: 1, signal: null });
      expect(npm.output).toContain(
        'switchyard: Redis maxmemory-policy is "allkeys-lru"; Switchyard needs "noeviction" (under eviction Redis drops queued jobs). Set it with: redis-cli CONFIG SET maxmemory-policy noeviction (or SWITCHYARD_ALLOW_REDIS_EVICTION=true to run anyway)',
      );
      expect(processesOf(npm.dataDir)).toEqual([]);
    } finally {
      await evicting.stop();
    }
  });
});

describe('a running stack', () => {
  let npm: NpmStart;
  let client: SwitchyardClient;
  let api: string;
  beforeAll(async () => {
    npm = startNpm({ PORT: String(await findFreePort()) });
    await npm.ready;
    api = bannerValue(npm, 'API');
    client = new SwitchyardClient({ baseUrl: api, apiKey: bannerValue(npm, 'API key') });
  });
  afterAll(() => npm.dispose());

  test('restarts a worker that was killed outright, and jobs go on', async () => {
    process.kill(appPid(npm.dataDir, 'apps/worker/src/main.ts'), 'SIGKILL');
    await npm.line(/^switchyard: worker exited unexpectedly \(SIGKILL\); restarting it in 1 s$/);
    await npm.line(/^switchyard: worker is back$/);
    const { job } = await client.submit(ask('after the worker came back'));
    expect((await client.waitFor(job.id, { timeoutMs: 30_000 })).status).toBe('succeeded');
  });

  test('restarts its Redis from the AOF when it dies; the API answers 503 meanwhile, then serves', async () => {
    const { job: before } = await client.submit(ask('before the crash'));
    await client.waitFor(before.id, { timeoutMs: 30_000 });
    process.kill(embeddedRedisPid(npm.dataDir), 'SIGKILL');
    const during = await fetch(`${api}/v1/jobs?limit=1`, {
      headers: { Authorization: `Bearer ${bannerValue(npm, 'API key')}` },
    });
    expect([during.status, during.headers.get('retry-after')]).toEqual([503, '1']);
    await npm.line(
      /^switchyard: redis-server exited unexpectedly \(SIGKILL\); restarting it from its AOF in 1 s$/,
    );
    await npm.line(/^switchyard: redis-server is back$/);

    // The job that ended a while before the crash is still there (the AOF had it), and new work
    // goes through once the API and the worker have reconnected by themselves.
    const ready = async () => (await fetch(`${api}/readyz`)).status === 200;
    while (!(await ready())) await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await client.get(before.id)).status).toBe('succeeded');
    const { job } = await client.submit(ask('after Redis came back'));
    expect((await client.waitFor(job.id, { timeoutMs: 30_000 })).status).toBe('succeeded');
  });
});

test('SIGTERM under load stops everything with nothing left running, and no accepted job is lost', async () => {
  const port = String(await findFreePort());
  let npm = startNpm({ PORT: port });
  const dataDir = npm.dataDir;
  try {
    await npm.ready;
    const api = bannerValue(npm, 'API');
    const admin = new SwitchyardClient({ baseUrl: api, apiKey: bannerValue(npm, 'Admin token') });
    const created = await admin.createTenant('load', { rpm: 100_000 });
    const client = new SwitchyardClient({ baseUrl: api, apiKey: created.api_key.key });
    const ids: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 25 }, async () => {
        while (next < 1_000) ids.push((await client.submit(ask(`load ${next++}`))).job.id);
      }),
    );

    // As systemd or a container runtime stops it: SIGTERM to the launcher alone.
    // (npm runs it through a shell: the launcher is the node process running `switchyard dev`.)
    const launcher = processesOf(dataDir).find(({ args }) =>
      /^\S*node \S*switchyard dev$/.test(args),
    )!;
    process.kill(launcher.pid, 'SIGTERM');
    expect((await npm.closed).code).toBe(0);
    expect(processesOf(dataDir)).toEqual([]);

    // Started again on the same data: every job accepted before the stop finishes.
    npm = startNpm({ PORT: port }, dataDir);
    await npm.ready;
    const done = await Promise.all(ids.map((id) => client.waitFor(id, { timeoutMs: 60_000 })));
    expect(done.filter((job) => job.status !== 'succeeded')).toEqual([]);
    expect(done).toHaveLength(1_000);
  } finally {
    await npm.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
