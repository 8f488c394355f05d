import { randomBytes } from 'node:crypto';
import { parseEnv, resolveSettings } from '@switchyard/config';
import { createDispatcherMetrics, createLogger } from '@switchyard/observability';
import { createRedis, Keys, whenReady } from '@switchyard/redis-kit';
import { DeliveryLog, type DeliveryRecord } from '@switchyard/outbox';
import { type RedisServer, startRedisServer } from '@switchyard/redis-server';
import { generateWebhookSecret } from '@switchyard/webhooks';
import {
  type DeliveryItem,
  deliveryProcessor,
  type PendingDelivery,
  Slots,
} from '@switchyard/webhook-dispatcher';
import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { WebhookReceiver } from '../src';

// The delivery processor on its own, with a real Redis for the attempts log and a real
// receiver: how it works through an item, and what it does when run again.

let server: RedisServer;
let redis: Redis;
let receiver: WebhookReceiver;
beforeAll(async () => {
  server = await startRedisServer();
  redis = createRedis(server.url, 'worker');
  await whenReady(redis);
  receiver = await WebhookReceiver.start();
});
afterAll(async () => {
  redis.disconnect();
  await receiver.close();
  await server.stop();
});
beforeEach(() => receiver.reset());

const settings = resolveSettings(parseEnv({ SWITCHYARD_WEBHOOK_ALLOW_PRIVATE: 'true' }), {
  webhooks: { retry_schedule: [60_000], timeout: 1_000 },
});
const secret = generateWebhookSecret();

function setup(secrets: (tenantId: string) => Promise<string[]> = async () => [secret]) {
  const log = new DeliveryLog(redis, new Keys(`t${randomBytes(4).toString('hex')}`), 60_000);
  const retries: Array<{ next: PendingDelivery; delayMs: number }> = [];
  const processor = deliveryProcessor({
    settings,
    secrets: {
      active: async (tenantId) =>
        (await secrets(tenantId)).map((s) => ({ secret: s, created_at: '', expires_at: null })),
    },
    log,
    logger: createLogger('test', 'silent'),
    metrics: createDispatcherMetrics('test'),
    scheduleRetry: async (next, delayMs) => void retries.push({ next, delayMs }),
    slots: new Slots(10),
  });
  /** Runs the processor as BullMQ would, on the `attemptsStarted`-th start of the item. */
  const run = (item: DeliveryItem, attemptsStarted = 1) =>
    processor({ data: item, attemptsStarted } as Job<DeliveryItem>);
  return { log, retries, run };
}

function delivery(i: number, tenant = 'ten_a'): PendingDelivery {
  return {
    event: { id: `msg_${i}`, type: 'job.succeeded', job_id: `job_${i}`, at: 1_000 },
    tenant_id: tenant,
    url: receiver.url,
    body: JSON.stringify({ type: 'job.succeeded', data: { id: `job_${i}` } }),
    attempt: 1,
  };
}

const ids = () => receiver.received.map((r) => r.headers['webhook-id']).sort();
const results = (records: DeliveryRecord[]) => records.map((r) => [r.attempt, r.result]);

test('every delivery of an item gets one attempt, each recorded on its own job', async () => {
  const { log, run } = setup();
  await run({ deliveries: [delivery(1), delivery(2), delivery(3)] });
  expect(ids()).toEqual(['msg_1', 'msg_2', 'msg_3']);
  for (const i of [1, 2, 3])
    expect(results(await log.list(`job_${i}`))).toEqual([[1, 'delivered']]);
});

test('an item run again skips the attempts its log shows, and sends the others', async () => {
  const { log, run } = setup();
  const item = { deliveries: [delivery(1), delivery(2), delivery(3)] };
  // As if the first run died after delivering and recording msg_2.
  await log.add('job_2', {
    object: 'webhook_delivery',
    event_id: 'msg_2',
    type: 'job.succeeded',
    attempt: 1,
    at: new Date().toISOString(),
    url: receiver.url,
    status_code: 204,
    error: null,
    latency_ms: 1,
    next_retry_at: null,
    result: 'delivered',
  });
  await run(item, 2);
  expect(ids()).toEqual(['msg_1', 'msg_3']);
  expect(results(await log.list('job_2'))).toEqual([[1, 'delivered']]);
});

test('a first run does not read the log: an earlier attempt of the same number is no reason to skip', async () => {
  const { log, run } = setup();
  await run({ deliveries: [delivery(1)] });
  await run({ deliveries: [delivery(1)] });
  expect(ids()).toEqual(['msg_1', 'msg_1']);
  expect(results(await log.list('job_1'))).toEqual([
    [1, 'delivered'],
    [1, 'delivered'],
  ]);
});

test('a failed attempt queues the next one before it is recorded as retrying', async () => {
  receiver.reset((res) => res.writeHead(503).end());
  const { log, retries, run } = setup();
  await run({ deliveries: [delivery(1)] });
  expect(retries).toEqual([{ next: { ...delivery(1), attempt: 2 }, delayMs: expect.any(Number) }]);
  // The 60 s step of the schedule, ±20% jitter.
  expect(retries[0]!.delayMs).toBeGreaterThanOrEqual(48_000);
  expect(retries[0]!.delayMs).toBeLessThanOrEqual(72_000);
  const [record] = await log.list('job_1');
  expect([record!.result, record!.status_code]).toEqual(['retrying', 503]);
});

test('an attempt that cannot be made fails the item, after the others were made and recorded', async () => {
  const { log, run } = setup(async (tenantId) => {
    if (tenantId === 'ten_gone') throw new Error('no secrets for ten_gone');
    return [secret];
  });
  await expect(
    run({ deliveries: [delivery(1), delivery(2, 'ten_gone'), delivery(3)] }),
  ).rejects.toThrow('no secrets for ten_gone');
  expect(ids()).toEqual(['msg_1', 'msg_3']);
  expect(results(await log.list('job_3'))).toEqual([[1, 'delivered']]);
  expect(await log.list('job_2')).toEqual([]);
});
