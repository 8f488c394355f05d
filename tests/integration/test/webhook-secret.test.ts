import { http, startStack, type Stack } from '../src';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ worker: false });
});
afterAll(() => stack.close());

test('the secret shown at tenant creation is the one GET /v1/webhook-secret returns', async () => {
  const created = await stack.admin.createTenant('hooks');
  const answer = await http(`${stack.api.url}/v1/webhook-secret`, { token: created.api_key.key });
  expect(answer.status).toBe(200);
  expect(answer.body).toEqual({
    object: 'webhook_secret',
    secret: created.webhook_secret,
    created_at: expect.any(String),
    previous: [],
  });
});

test('rotating gives a new secret; the old one keeps signing for 24 hours', async () => {
  const created = await stack.admin.createTenant('rotating');
  const token = created.api_key.key;
  const rotated = await http(`${stack.api.url}/v1/webhook-secret/rotate`, {
    token,
    method: 'POST',
  });
  expect(rotated.status).toBe(200);
  expect(rotated.body.secret).toMatch(/^whsec_/);
  expect(rotated.body.secret).not.toBe(created.webhook_secret);
  expect(rotated.body.previous).toHaveLength(1);
  const { created_at, expires_at } = rotated.body.previous[0];
  expect(Date.parse(expires_at) - Date.parse(rotated.body.created_at)).toBe(24 * 3_600_000);
  expect(Date.parse(created_at)).toBeLessThanOrEqual(Date.parse(rotated.body.created_at));
  const shown = await http(`${stack.api.url}/v1/webhook-secret`, { token });
  expect(shown.body).toEqual(rotated.body);
});

test('a key without the webhooks:manage scope is refused', async () => {
  const created = await stack.admin.createTenant('scoped');
  const reader = await stack.admin.createKey(created.tenant.id, { scopes: ['jobs:read'] });
  const answer = await http(`${stack.api.url}/v1/webhook-secret`, { token: reader.key });
  expect([answer.status, answer.body.error.type]).toEqual([403, 'permission_denied']);
});
