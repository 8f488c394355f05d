import { http, startStack, type Stack } from '../src';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());

const admin = (path: string, options: { method?: string; body?: object } = {}) =>
  http(`${stack.api.url}${path}`, { ...options, token: stack.adminToken });

test('create, read, list and update a tenant; an update keeps the limits it does not name', async () => {
  const created = await admin('/admin/tenants', {
    body: { name: 'acme', limits: { rpm: 120, monthly_budget_usd: 50 } },
  });
  expect(created.status).toBe(201);
  const id = created.body.tenant.id as string;
  expect(created.body.tenant).toMatchObject({
    object: 'tenant',
    name: 'acme',
    limits: { rpm: 120, monthly_budget_usd: 50 },
  });

  const patched = await admin(`/admin/tenants/${id}`, {
    method: 'PATCH',
    body: { limits: { rpm: 30 } },
  });
  expect(patched).toMatchObject({
    status: 200,
    body: { name: 'acme', limits: { rpm: 30, monthly_budget_usd: 50 } },
  });
  const renamed = await admin(`/admin/tenants/${id}`, {
    method: 'PATCH',
    body: { name: 'acme-2' },
  });
  expect(renamed.body).toMatchObject({
    name: 'acme-2',
    limits: { rpm: 30, monthly_budget_usd: 50 },
  });

  const read = await admin(`/admin/tenants/${id}`);
  expect(read.body).toMatchObject({
    id,
    name: 'acme-2',
    api_keys: [{ prefix: created.body.api_key.prefix }],
  });
  expect(JSON.stringify(read.body)).not.toContain(created.body.api_key.key);
  expect((await admin('/admin/tenants')).body.data.map((t: { id: string }) => t.id)).toContain(id);
});

test('keys: add with scopes, revoke by prefix; unknown tenants and prefixes are 404', async () => {
  const { tenant } = await stack.admin.createTenant('keys');
  const key = await admin(`/admin/tenants/${tenant.id}/keys`, {
    body: { name: 'reader', scopes: ['jobs:read'] },
  });
  expect(key).toMatchObject({
    status: 201,
    body: { name: 'reader', scopes: ['jobs:read'], tenant_id: tenant.id },
  });
  expect((await http(`${stack.api.url}/v1/jobs`, { token: key.body.key })).status).toBe(200);

  expect((await admin(`/admin/keys/${key.body.prefix}`, { method: 'DELETE' })).status).toBe(204);
  expect((await http(`${stack.api.url}/v1/jobs`, { token: key.body.key })).status).toBe(401);
  expect((await admin(`/admin/keys/${key.body.prefix}`, { method: 'DELETE' })).status).toBe(404);
  expect((await admin('/admin/tenants/ten_missing/keys', { body: {} })).status).toBe(404);
  expect(
    (await admin('/admin/tenants/ten_missing', { method: 'PATCH', body: { name: 'x' } })).status,
  ).toBe(404);
});

test('bad admin bodies are 400 with the field named', async () => {
  const response = await admin('/admin/tenants', { body: { name: '', limits: { rpm: -1 } } });
  expect(response.status).toBe(400);
  expect(response.body.error.details.map((d: { path: string }) => d.path)).toEqual([
    'body.name',
    'body.limits.rpm',
  ]);
});
