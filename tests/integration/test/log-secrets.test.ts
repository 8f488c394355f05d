import { createRedis, whenReady } from '@switchyard/redis-kit';
import { SwitchyardClient } from '@switchyard/sdk';
import { simulateCompletion } from '@switchyard/simulator';
import { http, type LogLine, startStack, type Stack, WebhookReceiver } from '../src';

/**
 * What an operator reads: every line the API, worker and dispatcher write at `info` and above
 * while a real stack serves the requests most likely to leak (a prompt and its output, a failing
 * call, a webhook, a tenant created with its key and secret, admin calls, a wrong key), checked
 * for every secret and every piece of job text.
 */
let stack: Stack;
let receiver: WebhookReceiver;
beforeAll(async () => {
  receiver = await WebhookReceiver.start();
  stack = await startStack({
    dispatcher: true,
    allowPrivateWebhooks: true,
    captureLogs: true,
    // One call per model, so the failing job fails at once.
    config: { retry: { max_attempts: 1 } },
  });
});
afterAll(async () => {
  await stack.close();
  await receiver.close();
});

const PROMPT = 'Summarise the zebra-quartz-7731 memo for Ottoline Vasquez-Brandt';
const FAILING_PROMPT = 'Translate the heliotrope-9904 contract [[sim: fault=400]]';
const WRONG_KEY = 'sy_live_wrong0000000000000000000000000000';

test('no secret and no job text is logged at info, and the request-ID lines are there', async () => {
  const admin = (path: string, body?: object) =>
    http(`${stack.api.url}${path}`, {
      token: stack.adminToken,
      headers: { 'X-Request-Id': 'admin-call' },
      ...(body && { body }),
    });
  const created = await admin('/admin/tenants', { name: 'logged' });
  expect(created.status).toBe(201);
  const apiKey = created.body.api_key.key as string;
  const webhookSecret = created.body.webhook_secret as string;
  expect((await admin('/admin/tenants')).status).toBe(200);

  const submit = (requestId: string, content: string, extra: object = {}) =>
    http(`${stack.api.url}/v1/jobs`, {
      token: apiKey,
      headers: {
        'X-Request-Id': requestId,
        'Idempotency-Key': `${requestId}-ottoline@example.com`,
      },
      body: {
        model: 'openai/gpt-4o-mini',
        input: { messages: [{ role: 'user', content }] },
        ...extra,
      },
    });
  const ok = await submit('trace-ok', PROMPT, { webhook: receiver.url });
  const failing = await submit('trace-fail', FAILING_PROMPT);
  const refused = await http(`${stack.api.url}/v1/jobs`, {
    token: WRONG_KEY,
    headers: { 'X-Request-Id': 'trace-401' },
  });
  expect([ok.status, failing.status, refused.status]).toEqual([202, 202, 401]);

  const [delivery] = await receiver.requests(1);
  expect(delivery!.headers['x-request-id']).toBe('trace-ok');
  const client = new SwitchyardClient({ baseUrl: stack.api.url, apiKey });
  const done = await client.waitFor(ok.body.id as string);
  const failed = await client.waitFor(failing.body.id as string);
  expect([done.status, failed.status]).toEqual(['succeeded', 'failed']);
  const output = simulateCompletion({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: PROMPT }],
  }).text;
  expect(done.output?.text).toBe(output);

  // A real Redis error as ioredis makes it, logged the way the processes log errors.
  const redis = createRedis(stack.redis.url, 'worker', `${stack.namespace}:log-test`);
  await whenReady(redis);
  const authError = (await redis.auth('hunter2-redis-password').then(
    () => new Error('AUTH was accepted'),
    (error: unknown) => error,
  )) as Error;
  redis.disconnect();
  stack.logs!.logger('worker').error({ err: authError }, 'redis command failed');

  // The lines that must be there: each process's line for the traced request.
  await stack.logs!.waitFor('api', { requestId: 'trace-ok', msg: 'request completed' });
  await stack.logs!.waitFor('api', { requestId: 'trace-401', res: { statusCode: 401 } });
  await stack.logs!.waitFor('api', { requestId: 'admin-call', route: '/admin/tenants' });
  expect(stack.logs!.find('worker', { requestId: 'trace-ok', msg: 'provider call' })).toEqual([
    expect.objectContaining({
      entry: expect.objectContaining({ jobId: ok.body.id, outcome: 'succeeded' }) as unknown,
    }),
  ]);
  expect(stack.logs!.find('worker', { requestId: 'trace-fail', msg: 'provider call' })).toEqual([
    expect.objectContaining({
      entry: expect.objectContaining({
        jobId: failing.body.id,
        outcome: 'terminal_error',
        statusCode: 400,
      }) as unknown,
    }),
  ]);
  expect(stack.logs!.find('worker', { msg: 'redis command failed' })).toEqual([
    expect.objectContaining({
      entry: expect.objectContaining({
        err: expect.objectContaining({ command: { name: 'auth' } }),
      }) as unknown,
    }),
  ]);

  // And what must never be there, in any line of any process.
  const secrets: Record<string, string> = {
    prompt: PROMPT,
    'a word of the prompt': 'zebra-quartz-7731',
    'a name in the prompt': 'Ottoline',
    'the failing prompt': 'heliotrope-9904',
    output,
    'the tenant API key': apiKey,
    'the webhook secret': webhookSecret,
    "the webhook secret's key": webhookSecret.replace(/^whsec_/, ''),
    'the admin token': stack.adminToken,
    'the OpenAI key': stack.providerKeys.openai,
    'the Anthropic key': stack.providerKeys.anthropic,
    'the wrong key': WRONG_KEY,
    'the Redis password': 'hunter2-redis-password',
    'an idempotency key': 'ottoline@example.com',
  };
  const leaks = (lines: LogLine[]) =>
    Object.entries(secrets).flatMap(([what, value]) =>
      lines.filter((line) => line.text.includes(value)).map((line) => `${what} in ${line.text}`),
    );
  expect(leaks(stack.logs!.lines)).toEqual([]);
});
