import { Batch } from '@switchyard/core';
import { Keys } from '@switchyard/redis-kit';
import { Webhook } from 'standardwebhooks';
import { http, startStack, type Stack, waitForBatch, WebhookReceiver } from '../src';

// batch.completed: written in the step that ends the batch's last job, delivered by the
// dispatcher once, signed with the tenant's secret.
let stack: Stack;
let receiver: WebhookReceiver;
let apiKey: string;
let secret: string;
beforeAll(async () => {
  receiver = await WebhookReceiver.start();
  stack = await startStack({ dispatcher: true, allowPrivateWebhooks: true });
  const created = await stack.admin.createTenant('batch-hooks');
  secret = created.webhook_secret;
  apiKey = created.api_key.key;
});
afterAll(async () => {
  await stack.close();
  await receiver.close();
});

const item = (i: number) => ({
  custom_id: `w${i}`,
  model: 'openai/gpt-4o-mini',
  input: { messages: [{ role: 'user', content: `Webhook batch ${i} ${Date.now()}` }] },
});

test('a batch with a webhook gets one batch.completed, signed, with the batch as it ended', async () => {
  const { status, body } = await http(`${stack.api.url}/v1/batches`, {
    token: apiKey,
    body: { requests: Array.from({ length: 25 }, (_, i) => item(i)), webhook: receiver.url },
  });
  expect(status).toBe(202);
  const [delivery] = await receiver.requests(1);
  const payload = new Webhook(secret).verify(
    delivery!.body,
    delivery!.headers as Record<string, string>,
  ) as { type: string; timestamp: string; data: unknown };
  expect(payload.type).toBe('batch.completed');
  const sent = Batch.parse(payload.data);
  expect([sent.id, sent.status, sent.request_counts]).toEqual([
    body.id,
    'completed',
    { total: 25, completed: 25, failed: 0, canceled: 0 },
  ]);
  expect(delivery!.headers['webhook-id']).toMatch(/^msg_/);
  // The batch as the API shows it is the one the webhook carried (links aside: the dispatcher
  // roots them at the configured public URL, the API at the request's origin).
  const { urls: _apiUrls, ...shown } = await waitForBatch(stack.api.url, apiKey, body.id);
  const { urls: _sentUrls, ...carried } = sent;
  expect(shown).toEqual(carried);

  // The dispatcher logs each attempt under the batch once it is made: one, delivered.
  const key = new Keys(stack.namespace).webhookDeliveries(body.id);
  let log: string[] = [];
  while (log.length === 0) {
    log = await stack.api.deps.redis.lrange(key, 0, -1);
    if (log.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  expect(log.map((entry) => (JSON.parse(entry) as { result: string }).result)).toEqual([
    'delivered',
  ]);
  expect(receiver.received).toHaveLength(1);
});

test('a batch without a webhook sends no event', async () => {
  receiver.reset();
  const { body } = await http(`${stack.api.url}/v1/batches`, {
    token: apiKey,
    body: { requests: [item(1)] },
  });
  await waitForBatch(stack.api.url, apiKey, body.id);
  // A job with a webhook, submitted after the batch ended, is the next thing the receiver gets.
  const { body: job } = await http(`${stack.api.url}/v1/jobs`, {
    token: apiKey,
    body: { ...item(2), custom_id: undefined, webhook: receiver.url },
  });
  const [first] = await receiver.requests(1);
  expect(JSON.parse(first!.body).data.id).toBe(job.id);
});
