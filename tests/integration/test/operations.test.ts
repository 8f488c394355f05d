import { validate } from '@readme/openapi-parser';
import { OPERATION_REGISTRIES, operationKey, referenceRoutes } from '@switchyard/api';
import { appRoutes, http, startStack, type Stack } from '../src';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());

test('/healthz answers without touching Redis', async () => {
  expect(await http(`${stack.api.url}/healthz`)).toMatchObject({
    status: 200,
    body: { status: 'ok' },
  });
});

test('/readyz: ready while a worker consumes, unavailable once none does', async () => {
  expect(await http(`${stack.api.url}/readyz`)).toMatchObject({
    status: 200,
    body: { status: 'ready', redis: 'ok', workers: 1 },
  });
  await stack.worker!.close(); // a stopping worker removes its heartbeat
  expect(await http(`${stack.api.url}/readyz`)).toMatchObject({
    status: 503,
    body: { status: 'unavailable', redis: 'ok', workers: 0 },
  });
  await stack.startWorker();
  expect((await http(`${stack.api.url}/readyz`)).status).toBe(200);
});

test('/openapi.json is valid OpenAPI 3.1 generated from the zod schemas', async () => {
  const { status, body } = await http(`${stack.api.url}/openapi.json`);
  expect(status).toBe(200);
  expect(body.openapi).toBe('3.1.0');
  const result = await validate(structuredClone(body));
  expect(result).toMatchObject({ valid: true, specification: 'OpenAPI' });
  expect(Object.keys(body.paths).sort()).toEqual([
    '/admin/keys/{key_prefix}',
    '/admin/tenants',
    '/admin/tenants/{id}',
    '/admin/tenants/{id}/keys',
    '/docs',
    '/healthz',
    '/metrics',
    '/openapi.json',
    '/readyz',
    '/v1/batches',
    '/v1/batches/{id}',
    '/v1/batches/{id}/cancel',
    '/v1/batches/{id}/results',
    '/v1/jobs',
    '/v1/jobs/{id}',
    '/v1/jobs/{id}/cancel',
    '/v1/jobs/{id}/deliveries',
    '/v1/jobs/{id}/events',
    '/v1/jobs/{id}/redeliver',
    '/v1/usage',
    '/v1/webhook-secret',
    '/v1/webhook-secret/rotate',
  ]);
  // The request schema is the zod schema: required fields and closed objects included.
  expect(body.components.schemas.JobRequest).toMatchObject({
    required: ['model', 'input'],
    additionalProperties: false,
    properties: { priority: { enum: ['interactive', 'batch'], default: 'interactive' } },
  });
  expect(body.components.schemas.Job.properties.status.enum).toEqual([
    'queued',
    'running',
    'succeeded',
    'failed',
    'canceled',
    'expired',
  ]);
});

test('the document lists exactly the router’s routes, and the registries describe exactly those', async () => {
  const { body } = await http(`${stack.api.url}/openapi.json`);
  const documented = Object.entries(body.paths as Record<string, object>).flatMap(
    ([path, methods]) => Object.keys(methods).map((method) => `${method} ${path}`),
  );
  const routed = referenceRoutes(appRoutes(stack.api.deps)).map(operationKey).sort();
  const registered = OPERATION_REGISTRIES.flatMap((registry) => Object.keys(registry));
  expect(documented.sort()).toEqual(routed);
  expect(registered.sort()).toEqual(routed);
  // The walk reached the routers (Bull Board's too, left out of the reference).
  expect(routed).toEqual(expect.arrayContaining(['get /v1/jobs/{id}', 'get /admin/tenants/{id}']));
  expect(appRoutes(stack.api.deps).some((route) => route.path.startsWith('/admin/queues/'))).toBe(
    true,
  );
});

test('/docs is a reference page served with its own assets, no CDN', async () => {
  const page = await http(`${stack.api.url}/docs`);
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  const assets = [...(page.body as string).matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
  expect(assets).toEqual(['/docs/assets/swagger-ui.css', '/docs/assets/swagger-ui-bundle.js']);
  for (const asset of assets) {
    const response = await fetch(`${stack.api.url}${asset}`);
    expect(response.status).toBe(200);
    expect((await response.text()).length).toBeGreaterThan(10_000);
  }
});

test('/metrics needs the admin token and reports requests and queue depth', async () => {
  expect((await http(`${stack.api.url}/metrics`)).status).toBe(401);
  const tenant = await stack.tenant();
  await tenant.client.submit({
    model: 'openai/gpt-4o-mini',
    input: { messages: [{ role: 'user', content: 'count me' }] },
  });
  const { status, headers, body } = await http(`${stack.api.url}/metrics`, {
    token: stack.adminToken,
  });
  expect(status).toBe(200);
  expect(headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  expect(body).toMatch(
    /^switchyard_jobs_submitted_total\{model="openai\/gpt-4o-mini",lane="interactive",service="api"\} 1$/m,
  );
  expect(body).toMatch(
    /^switchyard_http_requests_total\{method="POST",route="\/v1\/jobs",status="202",service="api"\} 1$/m,
  );
  expect(body).toMatch(
    /^switchyard_queue_jobs\{queue="jobs-interactive",state="waiting",service="api"\} \d+$/m,
  );
});
