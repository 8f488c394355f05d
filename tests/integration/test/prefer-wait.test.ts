import { FINAL_STATUSES } from '@switchyard/core';
import { http, startStack, type Stack, type TenantHandle } from '../src';

let stack: Stack;
let tenant: TenantHandle;
beforeAll(async () => {
  stack = await startStack();
  tenant = await stack.tenant();
});
afterAll(() => stack.close());

const submit = (body: object, headers: Record<string, string>) =>
  http(`${stack.api.url}/v1/jobs`, { token: tenant.apiKey, headers, body });
const ask = (content: string) => ({
  model: 'openai/gpt-4o-mini',
  input: { messages: [{ role: 'user', content }] },
});

test('a job that ends within the wait is 201 with the final job, as GET shows it', async () => {
  const response = await submit(ask('Quick [[sim: latency=50]]'), { Prefer: 'wait=20' });
  expect(response.status).toBe(201);
  expect(response.headers.get('preference-applied')).toBe('wait=20');
  expect(response.headers.get('idempotent-replayed')).toBeNull();
  expect(response.headers.get('location')).toBe(`${stack.api.url}/v1/jobs/${response.body.id}`);
  expect(response.body.status).toBe('succeeded');
  expect(response.body).toEqual(await tenant.client.get(response.body.id));
});

test('a job still running when the wait is over is 202 with the job as it stands', async () => {
  const response = await submit(
    { ...ask('Never [[sim: fault=hang]]'), cancel_after: '30s' },
    { Prefer: 'wait=1' },
  );
  expect(response.status).toBe(202);
  // Queued or running (how soon a worker took it is not this test's business); not ended.
  expect(FINAL_STATUSES).not.toContain(response.body.status);
  expect(response.headers.get('preference-applied')).toBe('wait=1');
  await tenant.client.cancel(response.body.id);
});

test('without a wait (or with wait=0) a submit is 202 and says no preference was applied', async () => {
  const preferences: Record<string, string>[] = [
    {},
    { Prefer: 'wait=0' },
    { Prefer: 'respond-async' },
  ];
  for (const headers of preferences) {
    const response = await submit(ask(`No wait ${JSON.stringify(headers)}`), headers);
    expect([response.status, response.body.status]).toEqual([202, 'queued']);
    expect(response.headers.get('preference-applied')).toBeNull();
    await tenant.client.waitFor(response.body.id);
  }
});

test('a replayed idempotent submit stays 200, ended or not, waited for or not', async () => {
  const body = ask('Replay me [[sim: latency=50]]');
  const key = { 'Idempotency-Key': `prefer-wait-${Date.now()}` };
  const first = await submit(body, { ...key, Prefer: 'wait=20' });
  expect([first.status, first.body.status]).toEqual([201, 'succeeded']);

  const waited = await submit(body, { ...key, Prefer: 'wait=20' });
  expect([waited.status, waited.body.id, waited.body.status]).toEqual([
    200,
    first.body.id,
    'succeeded',
  ]);
  expect(waited.headers.get('idempotent-replayed')).toBe('true');
  expect(waited.headers.get('preference-applied')).toBe('wait=20');

  const plain = await submit(body, key);
  expect([plain.status, plain.body.id]).toEqual([200, first.body.id]);
  expect(plain.headers.get('idempotent-replayed')).toBe('true');
});
