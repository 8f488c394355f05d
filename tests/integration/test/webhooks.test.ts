import { createRedis, Keys } from '@switchyard/redis-kit';
import { Webhook } from 'standardwebhooks';
import { http, startStack, type Stack, WebhookReceiver } from '../src';

let stack: Stack;
let receiver: WebhookReceiver;
let apiKey: string;
let secret: string;
beforeAll(async () => {
  receiver = await WebhookReceiver.start();
  stack = await startStack({
    dispatcher: true,
    allowPrivateWebhooks: true,
    // A compressed schedule (4 attempts in under 2 s); its longest step caps a Retry-After.
    config: { webhooks: { retry_schedule: [50, 100, 1_500], timeout: 1_000 } },
  });
  const created = await stack.admin.createTenant('hooked');
  secret = created.webhook_secret;
  apiKey = created.api_key.key;
});
afterAll(async () => {
  await stack.close();
  await receiver.close();
});
beforeEach(() => receiver.reset());

const submit = (extra: object = {}) =>
  http(`${stack.api.url}/v1/jobs`, {
    token: apiKey,
    body: {
      model: 'openai/gpt-4o-mini',
      input: { messages: [{ role: 'user', content: `Hook ${Date.now()} ${Math.random()}` }] },
      webhook: receiver.url,
      ...extra,
    },
  });

/** The attempts log is written just after each response: wait until it holds `count`. */
async function deliveries(jobId: string, count: number) {
  for (;;) {
    const { body } = await http(`${stack.api.url}/v1/jobs/${jobId}/deliveries`, {
      token: apiKey,
    });
    if (body.data.length >= count) return body.data;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('a finished job is delivered once, signed so that standardwebhooks verifies it', async () => {
  const { body: job } = await submit();
  const [delivery] = await receiver.requests(1);
  const payload = new Webhook(secret).verify(
    delivery!.body,
    delivery!.headers as Record<string, string>,
  ) as {
    type: string;
    data: { id: string; status: string };
  };
  expect([payload.type, payload.data.id, payload.data.status]).toEqual([
    'job.succeeded',
    job.id,
    'succeeded',
  ]);
  expect(delivery!.headers['webhook-id']).toMatch(/^msg_/);
  const log = await deliveries(job.id, 1);
  expect(
    log.map((d: { result: string; status_code: number }) => [d.result, d.status_code]),
  ).toEqual([['delivered', 204]]);
});

test('a receiver that fails, then recovers, gets the event with the same webhook-id', async () => {
  receiver.reset((res, index) => res.writeHead(index < 2 ? 500 : 200).end());
  const { body: job } = await submit();
  const received = await receiver.requests(3);
  expect(new Set(received.map((r) => r.headers['webhook-id'])).size).toBe(1);
  const log = await deliveries(job.id, 3);
  expect(log.map((d: { result: string; attempt: number }) => [d.attempt, d.result])).toEqual([
    [1, 'retrying'],
    [2, 'retrying'],
    [3, 'delivered'],
  ]);
});

test('410 stops the retries at once', async () => {
  receiver.reset((res) => res.writeHead(410).end());
  const { body: job } = await submit();
  await receiver.requests(1);
  const log = await deliveries(job.id, 1);
  expect(log.map((d: { result: string }) => d.result)).toEqual(['gone']);
  expect(log[0].next_retry_at).toBeNull();
  // A redelivery is a new event, with its own webhook-id.
  receiver.reset();
  const again = await http(`${stack.api.url}/v1/jobs/${job.id}/redeliver`, {
    token: apiKey,
    method: 'POST',
  });
  expect(again.status).toBe(202);
  const [second] = await receiver.requests(1);
  expect(second!.headers['webhook-id']).toBe(again.body.id);
});

test('a redirect is a failure and is never followed', async () => {
  const other = await WebhookReceiver.start();
  try {
    receiver.reset((res, index) =>
      index === 0 ? res.writeHead(302, { location: other.url }).end() : res.writeHead(204).end(),
    );
    const { body: job } = await submit();
    await receiver.requests(2);
    const log = await deliveries(job.id, 2);
    expect(
      log.map((d: { result: string; status_code: number }) => [d.result, d.status_code]),
    ).toEqual([
      ['retrying', 302],
      ['delivered', 204],
    ]);
    expect(other.received).toEqual([]);
  } finally {
    await other.close();
  }
});

test('an always-failing receiver gets every attempt of the schedule, then the delivery is exhausted', async () => {
  receiver.reset((res) => res.writeHead(503).end());
  const { body: job } = await submit();
  await receiver.requests(4);
  const log = await deliveries(job.id, 4);
  expect(log.map((d: { result: string }) => d.result)).toEqual([
    'retrying',
    'retrying',
    'retrying',
    'exhausted',
  ]);
  expect(log[3].next_retry_at).toBeNull();
});

test('Retry-After is honoured: no attempt before it passes', async () => {
  receiver.reset((res, index) =>
    index === 0 ? res.writeHead(429, { 'retry-after': '1' }).end() : res.writeHead(204).end(),
  );
  await submit();
  const [first, second] = await receiver.requests(2);
  expect(second!.at - first!.at).toBeGreaterThanOrEqual(1_000);
});

test('with start in the filter, the start is announced before the end', async () => {
  await submit({ webhook_events_filter: ['start', 'completed'] });
  const received = await receiver.requests(2);
  expect(received.map((r) => (JSON.parse(r.body) as { type: string }).type).sort()).toEqual([
    'job.started',
    'job.succeeded',
  ]);
});

test('a receiver that is down (connection refused), then up, gets the event with the same webhook-id', async () => {
  const down = await WebhookReceiver.start();
  const url = down.url;
  await down.close(); // nothing listens on its port now
  const { body: job } = await submit({ webhook: url });
  const refused = await deliveries(job.id, 1);
  expect([refused[0].result, refused[0].status_code]).toEqual(['retrying', null]);
  expect(refused[0].error).toMatch(/ECONNREFUSED|connect/);
  const up = await WebhookReceiver.start(Number(new URL(url).port));
  try {
    const [delivery] = await up.requests(1);
    expect(delivery!.headers['webhook-id']).toBe(refused[0].event_id);
  } finally {
    await up.close();
  }
});

test('a slow receiver runs into the deadline without holding up other deliveries', async () => {
  const slow = await WebhookReceiver.start();
  slow.answer = () => undefined; // never answers
  try {
    const { body: stuck } = await submit({ webhook: slow.url });
    await slow.requests(1);
    // While that one hangs, another job's delivery goes through.
    await submit();
    await receiver.requests(1);
    const log = await deliveries(stuck.id, 1);
    expect([log[0].result, log[0].error]).toEqual([
      'retrying',
      expect.stringMatching(/timed? ?out|deadline/i),
    ]);
  } finally {
    await slow.close();
  }
});

test('a retry sends the very body of the first attempt: the job as it stood at the event', async () => {
  const typeOf = (index: number) =>
    (JSON.parse(receiver.received[index]!.body) as { type: string }).type;
  // Refuse the start until the end has been delivered, so the retry goes out after the job ended.
  receiver.reset((res, index) => {
    const ended = receiver.received.some((_, i) => typeOf(i) === 'job.succeeded');
    res.writeHead(typeOf(index) === 'job.started' && !ended ? 500 : 204).end();
  });
  const { body: job } = await submit({ webhook_events_filter: ['start', 'completed'] });
  for (let count = 2; ; count++) {
    const received = await receiver.requests(count);
    const last = received[count - 1]!;
    if (
      typeOf(count - 1) === 'job.started' &&
      received.some((_, i) => typeOf(i) === 'job.succeeded')
    ) {
      const starts = received.filter((_, i) => typeOf(i) === 'job.started');
      expect(starts.length).toBeGreaterThanOrEqual(2);
      expect(new Set(starts.map((s) => s.body)).size).toBe(1);
      expect(new Set(starts.map((s) => s.headers['webhook-id'])).size).toBe(1);
      const sent = JSON.parse(last.body) as {
        data: { id: string; status: string; completed_at: null };
      };
      expect([sent.data.id, sent.data.status, sent.data.completed_at]).toEqual([
        job.id,
        'running',
        null,
      ]);
      break;
    }
  }
});

test('jobs ending together are each delivered once, each with its own webhook-id', async () => {
  const jobs = await Promise.all(Array.from({ length: 60 }, () => submit()));
  const received = await receiver.requests(60);
  const ids = new Set(jobs.map(({ body }) => body.id as string));
  expect(
    new Set(received.map((r) => (JSON.parse(r.body) as { data: { id: string } }).data.id)),
  ).toEqual(ids);
  expect(new Set(received.map((r) => r.headers['webhook-id'])).size).toBe(60);
  for (const id of ids) {
    const log = await deliveries(id, 1);
    expect(log.map((d: { result: string }) => d.result)).toEqual(['delivered']);
  }
});

test('an unreadable outbox entry is dropped and counted without holding up the events after it', async () => {
  const redis = createRedis(stack.redis.url, 'worker');
  try {
    const outbox = new Keys(stack.namespace).webhookOutbox;
    await redis.xadd(outbox, '*', 'event', '{"id": "msg_broken"');
    const { body: job } = await submit();
    const [delivery] = await receiver.requests(1);
    expect((JSON.parse(delivery!.body) as { data: { id: string } }).data.id).toBe(job.id);
    const dropped = (await stack.dispatcher!.metrics.webhookDeliveries.get()).values.find(
      (value) => value.labels.result === 'dropped',
    );
    expect(dropped?.value).toBe(1);
    expect(await redis.xrange(outbox, '-', '+')).toEqual([]);
  } finally {
    redis.disconnect();
  }
});
