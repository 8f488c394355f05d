import { JobRequest, newJobId } from '@switchyard/core';
import { newJobRecord } from '@switchyard/queue';
import { Webhook } from 'standardwebhooks';
import { http, startStack, type Stack, WebhookReceiver } from '../src';

let stack: Stack;
let receiver: WebhookReceiver;
let apiKey: string;
let tenantId: string;
let secret: string;
beforeAll(async () => {
  receiver = await WebhookReceiver.start();
  stack = await startStack({ dispatcher: true, allowPrivateWebhooks: true, captureLogs: true });
  const created = await stack.admin.createTenant('traced');
  apiKey = created.api_key.key;
  tenantId = created.tenant.id;
  secret = created.webhook_secret;
});
afterAll(async () => {
  await stack.close();
  await receiver.close();
});
beforeEach(() => receiver.reset());

const submit = (headers: Record<string, string>, body: object) =>
  http(`${stack.api.url}/v1/jobs`, { token: apiKey, headers, body });

const job = (content: string, extra: object = {}) => ({
  model: 'openai/gpt-4o-mini',
  input: { messages: [{ role: 'user', content }] },
  ...extra,
});

/** What a generated ID looks like: `req_` and 128 random bits in base32. */
const GENERATED = /^req_[0-9a-hjkmnp-tv-z]{26}$/;

test("the caller's X-Request-Id follows the job: response, API line, worker line, webhook", async () => {
  const submitted = await submit(
    { 'X-Request-Id': 'my-trace-123' },
    job('Trace me', { webhook: receiver.url }),
  );
  expect(submitted.status).toBe(202);
  expect(submitted.headers.get('x-request-id')).toBe('my-trace-123');
  const jobId = submitted.body.id as string;

  const [delivery] = await receiver.requests(1);
  expect(delivery!.headers['x-request-id']).toBe('my-trace-123');
  // Beside the signature, not in it: any Standard Webhooks library still verifies the delivery.
  const payload = new Webhook(secret).verify(
    delivery!.body,
    delivery!.headers as Record<string, string>,
  ) as { data: { id: string } };
  expect(payload.data.id).toBe(jobId);
  // Internal: the public job object does not carry it.
  expect(delivery!.body).not.toContain('my-trace-123');
  expect(JSON.stringify(submitted.body)).not.toContain('my-trace-123');

  // A redelivery, asked for by another request, still names the request that created the job.
  const redeliver = await http(`${stack.api.url}/v1/jobs/${jobId}/redeliver`, {
    method: 'POST',
    token: apiKey,
    headers: { 'X-Request-Id': 'my-trace-redeliver' },
  });
  expect(redeliver.status).toBe(202);
  const [, again] = await receiver.requests(2);
  expect(again!.headers['x-request-id']).toBe('my-trace-123');

  const apiLine = await stack.logs!.waitFor('api', {
    requestId: 'my-trace-123',
    msg: 'request completed',
  });
  expect(apiLine.entry).toMatchObject({
    level: 30,
    requestId: 'my-trace-123',
    tenantId,
    route: '/v1/jobs',
    req: { method: 'POST', url: '/v1/jobs' },
    res: { statusCode: 202 },
    durationMs: expect.any(Number) as unknown,
  });
  const workerLines = stack.logs!.find('worker', { requestId: 'my-trace-123' });
  expect(workerLines.map((line) => line.entry)).toEqual([
    expect.objectContaining({
      level: 30,
      msg: 'provider call',
      jobId,
      requestId: 'my-trace-123',
      provider: 'openai',
      model: 'gpt-4o-mini',
      outcome: 'succeeded',
      statusCode: 200,
      latencyMs: expect.any(Number) as unknown,
    }),
  ]);
});

test('a refused request answers with its X-Request-Id in the header and in the error', async () => {
  const refused = await submit({ 'X-Request-Id': 'my-trace-400' }, { model: 42 });
  expect(refused.status).toBe(400);
  expect(refused.headers.get('x-request-id')).toBe('my-trace-400');
  expect(refused.body.error.request_id).toBe('my-trace-400');
  const line = await stack.logs!.waitFor('api', { requestId: 'my-trace-400' });
  expect(line.entry).toMatchObject({ level: 30, tenantId, res: { statusCode: 400 } });
});

test('a 401 has a request ID too, and its line no tenant', async () => {
  const refused = await http(`${stack.api.url}/v1/jobs`, {
    token: 'sy_live_not-a-key',
    headers: { 'X-Request-Id': 'my-trace-401' },
  });
  expect([refused.status, refused.body.error.request_id]).toEqual([401, 'my-trace-401']);
  const line = await stack.logs!.waitFor('api', { requestId: 'my-trace-401' });
  expect(line.entry).toMatchObject({ route: '/v1/jobs', res: { statusCode: 401 } });
  expect('tenantId' in line.entry).toBe(false);
});

test.each([
  ['absent', {}],
  ['too long', { 'X-Request-Id': 'a'.repeat(129) }],
  ['not a token', { 'X-Request-Id': 'a trace, with "quotes"' }],
])('an X-Request-Id that is %s is replaced, the same everywhere', async (_case, headers) => {
  const refused = await submit(headers, { model: 42 });
  const id = refused.headers.get('x-request-id')!;
  expect(id).toMatch(GENERATED);
  expect(refused.body.error.request_id).toBe(id);
  await stack.logs!.waitFor('api', { requestId: id });
});

test('a job submitted without X-Request-Id carries the generated one to its webhook', async () => {
  const submitted = await submit({}, job('Untraced', { webhook: receiver.url }));
  const id = submitted.headers.get('x-request-id')!;
  expect(id).toMatch(GENERATED);
  const [delivery] = await receiver.requests(1);
  expect(delivery!.headers['x-request-id']).toBe(id);
});

test('a job recorded before request IDs were kept runs and is delivered without one', async () => {
  // Written as the API wrote records before: no request_id in the document.
  const now = Date.now();
  const record = newJobRecord({
    id: newJobId(),
    tenantId,
    request: JobRequest.parse(job('From before', { webhook: receiver.url })),
    chain: ['openai/gpt-4o-mini'],
    now,
    deadlineAt: null,
  });
  const { store, queues } = stack.api.deps;
  expect(await store.create(record)).toBe('created');
  await queues.enqueue(record, now);

  const [delivery] = await receiver.requests(1);
  expect(JSON.parse(delivery!.body).data.id).toBe(record.id);
  expect('x-request-id' in delivery!.headers).toBe(false);
  const [line] = stack.logs!.find('worker', { jobId: record.id, msg: 'provider call' });
  expect(line!.entry).toMatchObject({ outcome: 'succeeded', statusCode: 200 });
  expect('requestId' in line!.entry).toBe(false);
});
