import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findFreePort, type RedisServer, startRedisServer } from '@switchyard/redis-server';
import { type AppProcess, commandLine, isAlive, startApp } from '../src/app-process';
import { productionPackages } from '../src/production-deps';
import { REPO } from '../src/repo';

/**
 * What the image runs, run here: `npm run build`, then the API, a worker, the webhook
 * dispatcher and the simulator through deploy/docker/entrypoint.sh (compiled JavaScript, no
 * tsx) against a real redis-server. A job goes through them and its webhook arrives signed;
 * SIGTERM stops each with exit code 0.
 */
const run = promisify(execFile);
jest.setTimeout(120_000);

const ADMIN_TOKEN = 'compiled-entrypoints-admin-token';
const APPS = ['api', 'worker', 'webhook-dispatcher', 'simulator'];
let redis: RedisServer;
let receiver: Server;
let apiUrl: string;
/** Where the worker and the dispatcher serve /healthz, /readyz and /metrics (METRICS_PORT). */
const opsUrls: Record<string, string> = {};
const started: AppProcess[] = [];
const webhooks: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
let webhookArrived!: () => void;
const firstWebhook = new Promise<void>((resolve) => (webhookArrived = resolve));

beforeAll(async () => {
  await run('npm', ['run', 'build'], { cwd: REPO });
  redis = await startRedisServer();
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      webhooks.push({ headers: req.headers, body });
      res.writeHead(204).end();
      webhookArrived();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));

  const simulator = await startApp(
    'simulator',
    ['--port', '0', '--latency', '20ms'],
    {},
    /listening on/,
  );
  started.push(simulator);
  const simulatorUrl = /listening on (\S+)/.exec(simulator.readyLine)![1]!;
  const port = await findFreePort();
  apiUrl = `http://127.0.0.1:${port}`;
  const env = {
    NODE_ENV: 'production',
    REDIS_URL: redis.url,
    SWITCHYARD_ADMIN_TOKEN: ADMIN_TOKEN,
    OPENAI_API_KEY: 'sk-compiled',
    OPENAI_BASE_URL: `${simulatorUrl}/v1`,
    // The receiver listens on loopback.
    SWITCHYARD_WEBHOOK_ALLOW_PRIVATE: 'true',
    LOG_LEVEL: 'info',
  };
  started.push(await startApp('api', [], { ...env, PORT: String(port) }, /api listening/));
  const metrics = () => findFreePort().then(String);
  started.push(
    await startApp('worker', [], { ...env, METRICS_PORT: await metrics() }, /worker started/),
  );
  started.push(
    await startApp(
      'webhook-dispatcher',
      [],
      { ...env, METRICS_PORT: await metrics() },
      /webhook dispatcher started/,
    ),
  );
});

afterAll(async () => {
  // Only after a failure are any still running: stop them the same way.
  for (const app of started.reverse()) await app.stop();
  await new Promise((resolve) => receiver?.close(resolve));
  await redis?.stop();
});

test('each process is node running its bundle from dist/, never tsx', () => {
  expect(started.map((app) => app.app).sort()).toEqual([...APPS].sort());
  for (const app of started) {
    const [node, ...args] = commandLine(app.pid);
    expect(node).toBe('node');
    expect(args.slice(0, 2)).toEqual([
      '--enable-source-maps',
      join(REPO, 'dist', app.app, 'main.js'),
    ]);
    const environ = readFileSync(`/proc/${app.pid}/environ`, 'utf8');
    expect(`${commandLine(app.pid).join(' ')} ${environ}`).not.toMatch(/tsx/);
  }
});

test('the bundles require only node built-ins and the image’s production dependencies', () => {
  const workspaces = ['apps/api', 'apps/worker', 'apps/webhook-dispatcher', 'packages/simulator'];
  const installed = productionPackages(workspaces);
  const builtins = new Set(builtinModules);
  const required = new Set<string>();
  for (const app of APPS) {
    const bundle = readFileSync(join(REPO, 'dist', app, 'main.js'), 'utf8');
    for (const [, specifier] of bundle.matchAll(/\brequire\("([^"]+)"\)/g))
      required.add(specifier!);
  }
  const packageOf = (s: string) =>
    s
      .split('/')
      .slice(0, s.startsWith('@') ? 2 : 1)
      .join('/');
  const missing = [...required]
    .filter((s) => !s.startsWith('node:') && !builtins.has(s))
    .map(packageOf)
    .filter((name) => !installed.has(name) || name.startsWith('@switchyard/'));
  expect(missing).toEqual([]);
  expect(required).toContain('bullmq');
});

test('a job submitted through the compiled API runs on the compiled worker', async () => {
  expect(await json(`${apiUrl}/healthz`)).toEqual({ status: 200, body: { status: 'ok' } });
  expect(await json(`${apiUrl}/readyz`)).toEqual({
    status: 200,
    body: { status: 'ready', redis: 'ok', workers: 1, consuming: 1 },
  });
  const tenant = await json(`${apiUrl}/admin/tenants`, ADMIN_TOKEN, { name: 'compiled' });
  expect(tenant.status).toBe(201);
  const key: string = tenant.body.api_key.key;

  const submitted = await json(`${apiUrl}/v1/jobs`, key, {
    model: 'openai/gpt-4o-mini',
    input: { messages: [{ role: 'user', content: 'Say hello from the image.' }] },
    webhook: `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hooks`,
  });
  expect(submitted.status).toBe(202);
  const done = await json(`${apiUrl}/v1/jobs/${submitted.body.id}?wait=30`, key);
  expect(done.body).toMatchObject({
    id: submitted.body.id,
    status: 'succeeded',
    served_by: { provider: 'openai', model: 'gpt-4o-mini' },
    error: null,
  });

  // The compiled dispatcher delivered it, signed with the tenant's secret (Standard Webhooks).
  await firstWebhook;
  const [{ headers, body }] = webhooks as [(typeof webhooks)[number]];
  expect(JSON.parse(body)).toMatchObject({
    type: 'job.succeeded',
    data: { id: submitted.body.id },
  });
  const secret: string = tenant.body.webhook_secret;
  const signed = `${headers['webhook-id']}.${headers['webhook-timestamp']}.${body}`;
  const signature = createHmac('sha256', Buffer.from(secret.replace(/^whsec_/, ''), 'base64'))
    .update(signed)
    .digest('base64');
  expect(String(headers['webhook-signature']).split(' ')).toContain(`v1,${signature}`);
});

test('the worker and the dispatcher answer probes, and metrics with a token, on METRICS_PORT', async () => {
  const families = {
    worker: 'switchyard_worker_capacity',
    'webhook-dispatcher': 'switchyard_webhook_deliveries_total',
  };
  for (const [app, url] of Object.entries(opsUrls)) {
    const health = await json(`${url}/healthz`);
    expect({ app, status: health.status, body: health.body.status }).toEqual({
      app,
      status: 200,
      body: 'ok',
    });
    expect(await json(`${url}/readyz`)).toEqual({
      status: 200,
      body: { status: 'ready', redis: 'ready', closing: false },
    });
    expect((await fetch(`${url}/metrics`)).status).toBe(401);
    const scrape = await fetch(`${url}/metrics`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(scrape.status).toBe(200);
    expect(await scrape.text()).toContain(`# TYPE ${families[app as keyof typeof families]} `);
  }
});

test('SIGTERM stops every process with exit code 0 and leaves nothing running', async () => {
  const pids = started.map((app) => app.pid);
  const exits: Record<string, unknown> = {};
  // Clients before what they call: the API, the worker, the dispatcher, then the simulator.
  for (const name of APPS) exits[name] = await started.find((app) => app.app === name)!.stop();
  expect(exits).toEqual(Object.fromEntries(APPS.map((app) => [app, { code: 0, signal: null }])));
  expect(pids.filter(isAlive)).toEqual([]);
  const { stdout } = await run('ps', ['-eo', 'args=']);
  expect(stdout.split('\n').filter((line) => line.includes(join(REPO, 'dist')))).toEqual([]);
  await expect(fetch(`${apiUrl}/healthz`)).rejects.toThrow();
});

async function json(
  url: string,
  token?: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const response = await fetch(url, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      ...(token && { authorization: `Bearer ${token}` }),
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}
