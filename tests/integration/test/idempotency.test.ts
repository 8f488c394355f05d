import type { JobRequestInput } from '@switchyard/core';
import { http, startStack, type Stack, type TenantHandle } from '../src';

let stack: Stack;
let tenant: TenantHandle;
let jobsUrl: string;
beforeAll(async () => {
  stack = await startStack();
  tenant = await stack.tenant();
  jobsUrl = `${stack.api.url}/v1/jobs`;
});
afterAll(() => stack.close());

const body: JobRequestInput = {
  model: 'openai/gpt-4o-mini',
  input: { messages: [{ role: 'user', content: 'Once only' }] },
};

test('the same key and body return the same job, marked as a replay', async () => {
  const headers = { 'Idempotency-Key': 'order-1' };
  const first = await http(jobsUrl, { token: tenant.apiKey, headers, body });
  // Same body with keys in another order: the same request.
  const reordered = { input: body.input, model: body.model };
  const second = await http(jobsUrl, { token: tenant.apiKey, headers, body: reordered });
  expect([first.status, second.status]).toEqual([202, 200]);
  expect(first.headers.get('idempotent-replayed')).toBeNull();
  expect(second.headers.get('idempotent-replayed')).toBe('true');
  expect(second.body.id).toBe(first.body.id);
  expect((await tenant.client.list()).data.filter((job) => job.id === first.body.id)).toHaveLength(
    1,
  );
});

test('the same key with another body is 422', async () => {
  const headers = { 'Idempotency-Key': 'order-2' };
  expect((await http(jobsUrl, { token: tenant.apiKey, headers, body })).status).toBe(202);
  const other = await http(jobsUrl, {
    token: tenant.apiKey,
    headers,
    body: { ...body, priority: 'batch' },
  });
  expect(other.status).toBe(422);
  expect(other.body.error.type).toBe('idempotency_mismatch');
});

test('20 concurrent requests with one key make exactly one job', async () => {
  const fresh = await stack.tenant();
  const headers = { 'Idempotency-Key': 'burst' };
  const responses = await Promise.all(
    Array.from({ length: 20 }, () => http(jobsUrl, { token: fresh.apiKey, headers, body })),
  );
  const created = responses.filter((r) => r.status === 202);
  expect(created).toHaveLength(1);
  for (const response of responses) {
    if (response.status === 200) expect(response.body.id).toBe(created[0]!.body.id);
    else if (response.status === 409) expect(response.body.error.type).toBe('conflict');
    else expect(response.status).toBe(202);
  }
  expect((await fresh.client.list()).data.map((job) => job.id)).toEqual([created[0]!.body.id]);
});

test('keys are per tenant: another tenant’s same key makes its own job', async () => {
  const headers = { 'Idempotency-Key': 'shared-name' };
  const a = await http(jobsUrl, { token: tenant.apiKey, headers, body });
  const other = await stack.tenant();
  const b = await http(jobsUrl, { token: other.apiKey, headers, body });
  expect([a.status, b.status]).toEqual([202, 202]);
  expect(a.body.id).not.toBe(b.body.id);
});

test('a malformed key is 400', async () => {
  const response = await http(jobsUrl, {
    token: tenant.apiKey,
    headers: { 'Idempotency-Key': 'has space' },
    body,
  });
  expect(response.status).toBe(400);
  expect(response.body.error.details).toEqual([
    {
      path: 'header.Idempotency-Key',
      message: 'must be 1 to 255 printable ASCII characters without spaces',
    },
  ]);
});
