import { Job } from '@switchyard/core';
import { SwitchyardClient, verifyWebhook, WebhookVerificationError } from '@switchyard/sdk';
import { startStack, type Stack, WebhookReceiver } from '../src';

// The SDK's verifyWebhook (Web Crypto) on a delivery made by the real webhook dispatcher.

let stack: Stack;
let receiver: WebhookReceiver;
let client: SwitchyardClient;
let secret: string;
beforeAll(async () => {
  receiver = await WebhookReceiver.start();
  stack = await startStack({ dispatcher: true, allowPrivateWebhooks: true });
  const created = await stack.admin.createTenant('sdk-hooked');
  secret = created.webhook_secret;
  client = new SwitchyardClient({ baseUrl: stack.api.url, apiKey: created.api_key.key });
});
afterAll(async () => {
  await stack.close();
  await receiver.close();
});

test('a job.succeeded delivery verifies with the tenant’s secret, and a tampered one does not', async () => {
  const { job } = await client.submit({
    model: 'openai/gpt-4o-mini',
    input: { messages: [{ role: 'user', content: `Hook ${Date.now()}` }] },
    webhook: receiver.url,
  });
  const [delivery] = await receiver.requests(1);
  const event = (await verifyWebhook(delivery!.body, delivery!.headers, secret)) as {
    type: string;
    data: unknown;
  };
  expect(event.type).toBe('job.succeeded');
  expect(Job.parse(event.data)).toMatchObject({ id: job.id, status: 'succeeded' });

  const tampered = delivery!.body.replace('succeeded', 'failed');
  const refused = await verifyWebhook(tampered, delivery!.headers, secret).catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(WebhookVerificationError);
  expect(refused).toMatchObject({ reason: 'no_matching_signature' });
});
