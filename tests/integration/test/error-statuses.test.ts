import type { JobRequestInput } from '@switchyard/core';
import { http, startStack, type Stack, type TenantHandle } from '../src';

let stack: Stack;
let tenant: TenantHandle;
let jobsUrl: string;
beforeAll(async () => {
  stack = await startStack({ config: { api: { body_limit_bytes: 4_096 } } });
  tenant = await stack.tenant();
  jobsUrl = `${stack.api.url}/v1/jobs`;
});
afterAll(() => stack.close());

const body: JobRequestInput = {
  model: 'openai/gpt-4o-mini',
  input: { messages: [{ role: 'user', content: 'Hi' }] },
};

/** Every error has the contract's shape and echoes the request ID it was given. */
function expectError(
  response: { status: number; headers: Headers; body: any },
  status: number,
  type: string,
) {
  expect(response.status).toBe(status);
  expect(response.body.error.type).toBe(type);
  expect(typeof response.body.error.message).toBe('string');
  expect(response.body.error.request_id).toBe(response.headers.get('x-request-id'));
  expect(response.body.error.request_id).toMatch(/^req_/);
}

describe('400', () => {
  test('malformed JSON', async () => {
    const response = await http(jobsUrl, {
      token: tenant.apiKey,
      headers: { 'Content-Type': 'application/json' },
      body: '{"model": "openai/gpt-4o-mini",',
    });
    expectError(response, 400, 'invalid_request');
    expect(response.body.error.message).toMatch(/^Malformed JSON body/);
  });

  test('a schema violation lists each field', async () => {
    const response = await http(jobsUrl, {
      token: tenant.apiKey,
      body: { model: 42, input: { messages: [], temperature: 9 } },
    });
    expectError(response, 400, 'invalid_request');
    expect(response.body.error.details.map((d: { path: string }) => d.path)).toEqual([
      'body.model',
      'body.input.messages',
      'body.input.temperature',
    ]);
  });

  test('an unknown provider or route', async () => {
    const response = await http(jobsUrl, {
      token: tenant.apiKey,
      body: { ...body, model: 'mistral/large' },
    });
    expectError(response, 400, 'invalid_request');
    expect(response.body.error.message).toBe(
      'Invalid model: unknown provider "mistral" (configured: openai, anthropic).',
    );
    expect(response.body.error.details).toEqual([
      { path: 'body.model', message: 'not a model this API can serve' },
    ]);
  });

  test('a bad long-poll wait and a bad cursor', async () => {
    expectError(
      await http(`${jobsUrl}/job_x?wait=61`, { token: tenant.apiKey }),
      400,
      'invalid_request',
    );
    expectError(
      await http(`${jobsUrl}?cursor=nonsense`, { token: tenant.apiKey }),
      400,
      'invalid_request',
    );
    expectError(await http(`${jobsUrl}?limit=0`, { token: tenant.apiKey }), 400, 'invalid_request');
  });

  test('a POST without a body', async () => {
    expectError(
      await http(jobsUrl, { method: 'POST', token: tenant.apiKey }),
      400,
      'invalid_request',
    );
  });
});

describe('401 and 403', () => {
  test('no key, a wrong key, a revoked key', async () => {
    const none = await http(jobsUrl);
    expectError(none, 401, 'authentication_error');
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expectError(
      await http(jobsUrl, { token: `sy_live_${'0'.repeat(32)}` }),
      401,
      'authentication_error',
    );
    expectError(
      await http(jobsUrl, { headers: { Authorization: 'Basic Zm9vOmJhcg==' } }),
      401,
      'authentication_error',
    );

    const extra = await stack.admin.createKey(tenant.id);
    await http(`${stack.api.url}/admin/keys/${extra.prefix}`, {
      method: 'DELETE',
      token: stack.adminToken,
    });
    expectError(await http(jobsUrl, { token: extra.key }), 401, 'authentication_error');
  });

  test('admin routes take the admin token as HTTP Basic password for the user admin', async () => {
    const basic = (user: string, password: string) => ({
      Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
    });
    const tenants = `${stack.api.url}/admin/tenants`;
    expect((await http(tenants, { headers: basic('admin', stack.adminToken) })).status).toBe(200);
    expectError(
      await http(tenants, { headers: basic('root', stack.adminToken) }),
      401,
      'authentication_error',
    );
    expectError(
      await http(tenants, { headers: basic('admin', 'wrong-token-wrong') }),
      401,
      'authentication_error',
    );
    // Tenant keys are bearer tokens only.
    expectError(
      await http(jobsUrl, { headers: basic('admin', tenant.apiKey) }),
      401,
      'authentication_error',
    );
  });

  test('a key without the scope', async () => {
    const reader = await stack.admin.createKey(tenant.id, { scopes: ['jobs:read'] });
    expectError(await http(jobsUrl, { token: reader.key, body }), 403, 'permission_denied');
    expect((await http(jobsUrl, { token: reader.key })).status).toBe(200);
  });

  test('admin routes: no token is 401, a tenant key is 403', async () => {
    expectError(await http(`${stack.api.url}/admin/tenants`), 401, 'authentication_error');
    expectError(
      await http(`${stack.api.url}/admin/tenants`, { token: tenant.apiKey }),
      403,
      'permission_denied',
    );
    expectError(
      await http(`${stack.api.url}/metrics`, { token: tenant.apiKey }),
      403,
      'permission_denied',
    );
    expect((await http(`${stack.api.url}/admin/tenants`, { token: stack.adminToken })).status).toBe(
      200,
    );
  });
});

test('402 when the monthly budget is spent', async () => {
  const frugal = await stack.tenant({ monthly_budget_usd: 0.000001 });
  const first = await frugal.client.submit(body, { waitSeconds: 10 });
  expect(first.job.status).toBe('succeeded');
  expect(first.job.usage!.cost_usd!).toBeGreaterThan(0.000001);
  const refused = await http(jobsUrl, { token: frugal.apiKey, body });
  expectError(refused, 402, 'budget_exceeded');
});

describe('404', () => {
  test('unknown IDs, malformed IDs, unknown routes', async () => {
    expectError(
      await http(`${jobsUrl}/job_00000000000000000000000000`, { token: tenant.apiKey }),
      404,
      'not_found',
    );
    expectError(await http(`${jobsUrl}/not-an-id`, { token: tenant.apiKey }), 404, 'not_found');
    expectError(
      await http(`${jobsUrl}/job_00000000000000000000000000/cancel`, {
        method: 'POST',
        token: tenant.apiKey,
      }),
      404,
      'not_found',
    );
    expectError(await http(`${stack.api.url}/v2/nothing`), 404, 'not_found');
  });

  test('another tenant’s job is indistinguishable from a missing one', async () => {
    const { job } = await tenant.client.submit(body);
    const stranger = await stack.tenant();
    expectError(await http(`${jobsUrl}/${job.id}`, { token: stranger.apiKey }), 404, 'not_found');
    expectError(
      await http(`${jobsUrl}/${job.id}/cancel`, { method: 'POST', token: stranger.apiKey }),
      404,
      'not_found',
    );
    expect((await stranger.client.list()).data).toEqual([]);
    expect((await tenant.client.get(job.id)).id).toBe(job.id);
  });
});

test('409 when cancelling a job that already ended', async () => {
  const { job } = await tenant.client.submit(body, { waitSeconds: 10 });
  expect(job.status).toBe('succeeded');
  const response = await http(`${jobsUrl}/${job.id}/cancel`, {
    method: 'POST',
    token: tenant.apiKey,
  });
  expectError(response, 409, 'conflict');
  expect(response.body.error.message).toBe(
    `Job ${job.id} already ended (succeeded); it cannot be canceled.`,
  );
});

test('413 for a body over the limit', async () => {
  const big = { ...body, input: { messages: [{ role: 'user', content: 'x'.repeat(5_000) }] } };
  const response = await http(jobsUrl, { token: tenant.apiKey, body: big });
  expectError(response, 413, 'payload_too_large');
  expect(response.body.error.message).toBe('Request body is larger than the limit of 4096 bytes.');
});

test('415 for a body that is not JSON', async () => {
  const response = await http(jobsUrl, {
    token: tenant.apiKey,
    headers: { 'Content-Type': 'text/plain' },
    body: JSON.stringify(body),
  });
  expectError(response, 415, 'unsupported_media_type');
});

test('429 with Retry-After and RateLimit headers past the tenant rate limit', async () => {
  const limited = await stack.tenant({ rpm: 2 });
  const first = await http(jobsUrl, { token: limited.apiKey, body });
  expect(first.status).toBe(202);
  expect(first.headers.get('ratelimit-limit')).toBe('2');
  expect(first.headers.get('ratelimit-remaining')).toBe('1');
  expect((await http(jobsUrl, { token: limited.apiKey, body })).status).toBe(202);
  const refused = await http(jobsUrl, { token: limited.apiKey, body });
  expectError(refused, 429, 'rate_limited');
  expect(refused.headers.get('retry-after')).toBe('30');
  expect(refused.headers.get('ratelimit-remaining')).toBe('0');
  expect(refused.headers.get('ratelimit-policy')).toBe('2;w=60');
});
