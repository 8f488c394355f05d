import { createLogger } from '@switchyard/observability';
import { startDispatcherApp } from '@switchyard/webhook-dispatcher';
import { http, startStack, type Stack, type TenantHandle, WebhookReceiver } from '../src';

let stack: Stack;
let receiver: WebhookReceiver;
let tenant: TenantHandle;
beforeAll(async () => {
  receiver = await WebhookReceiver.start();
  // No dispatcher at first: the outbox fills, as it does while every dispatcher is down.
  stack = await startStack({
    worker: false,
    allowPrivateWebhooks: true,
    config: { webhooks: { outbox_limit: 2 } },
  });
  tenant = await stack.tenant();
});
afterAll(async () => {
  await stack.close();
  await receiver.close();
});

const submit = (webhook?: string, idempotencyKey?: string) =>
  http(`${stack.api.url}/v1/jobs`, {
    token: tenant.apiKey,
    ...(idempotencyKey && { headers: { 'Idempotency-Key': idempotencyKey } }),
    body: {
      model: 'openai/gpt-4o-mini',
      input: { messages: [{ role: 'user', content: 'Hook me' }] },
      ...(webhook && { webhook }),
    },
  });
const outboxEvents = () => stack.api.deps.redis.xlen(stack.api.deps.keys.webhookOutbox);

test('past its bound the outbox refuses submits with a webhook (503), and drops no event', async () => {
  // Three jobs accepted while the outbox is empty end with no dispatcher running.
  const accepted = await Promise.all([1, 2, 3].map(() => submit(receiver.url)));
  expect(accepted.map((answer) => answer.status)).toEqual([202, 202, 202]);
  await stack.startWorker();
  for (const { body } of accepted) {
    expect((await tenant.client.waitFor(body.id, { timeoutMs: 15_000 })).status).toBe('succeeded');
  }
  // Ends are never refused: all three events are in, one past the bound.
  expect(await outboxEvents()).toBe(3);

  const refused = await submit(receiver.url, 'outbox-full-once');
  expect(refused.status).toBe(503);
  expect(refused.headers.get('retry-after')).toBe('30');
  expect(refused.body).toEqual({
    error: {
      type: 'service_unavailable',
      message:
        'The webhook outbox holds its limit of 2 events not yet taken by the dispatcher, so jobs with a webhook are refused until it drains; retry after the Retry-After delay, or submit without a webhook and poll.',
      request_id: refused.headers.get('x-request-id'),
    },
  });
  const listed = await http(`${stack.api.url}/v1/jobs`, { token: tenant.apiKey });
  expect(listed.body.data).toHaveLength(3); // the refused job left no record
  // A job without a webhook adds nothing to the outbox: it is accepted.
  expect((await submit()).status).toBe(202);

  // A dispatcher comes back: every held event is delivered, and submits with webhooks resume.
  const dispatcher = await startDispatcherApp({
    settings: stack.settings,
    redisUrl: stack.redis.url,
    logger: createLogger('test', 'silent'),
    namespace: stack.namespace,
    metricsPort: 0,
    metricsHost: '127.0.0.1',
    onFatal: () => undefined,
  });
  const delivered = await receiver.requests(3);
  await dispatcher.close(); // its reader finishes the batch it took, acknowledged and removed
  expect(delivered.map((request) => JSON.parse(request.body).data.id).sort()).toEqual(
    accepted.map(({ body }) => body.id).sort(),
  );
  expect(await outboxEvents()).toBe(0);
  // The refusal released its Idempotency-Key: the same request now creates the job.
  const retried = await submit(receiver.url, 'outbox-full-once');
  expect([retried.status, retried.body.status]).toEqual([202, 'queued']);
});
