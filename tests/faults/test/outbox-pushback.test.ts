import { http, startStack, type Stack } from '@switchyard/integration-tests';
import { createRedis, Keys } from '@switchyard/redis-kit';
import type { Redis } from 'ioredis';
import { pollUntil, reportFigures, submitMany, submitOnce, tally, uniqueJob } from '../src';

/** The outbox's admission bound (`webhooks.outbox_limit`), small so filling it is quick. */
const OUTBOX_LIMIT = 2_000;

let stack: Stack;
let probe: Redis;
beforeAll(async () => {
  // No dispatcher: it is down for the whole test, so nothing leaves the outbox.
  stack = await startStack({
    allowPrivateWebhooks: true,
    config: { webhooks: { outbox_limit: OUTBOX_LIMIT } },
    simulator: { latency: { kind: 'fixed', ms: 20_000 } },
  });
  probe = createRedis(stack.redis.url, 'worker', 'fault-test-probe');
}, 60_000);
afterAll(async () => {
  probe.disconnect();
  await stack.close();
}, 60_000);

/** Jobs with a webhook running when the outbox reaches its bound: their events must not be lost. */
const RUNNING = 150;
const WEBHOOK = 'http://127.0.0.1:9/hooks';
const FILL_BATCH = 1_000;

/**
 * Adds events until the outbox holds `total` (what a long dispatcher outage leaves); returns the
 * IDs of the events it added.
 */
async function fillOutbox(outbox: string, total: number): Promise<string[]> {
  const added: string[] = [];
  for (let length = await probe.xlen(outbox); length < total; length = await probe.xlen(outbox)) {
    const pipeline = probe.pipeline();
    for (let i = 0; i < Math.min(FILL_BATCH, total - length); i++) {
      pipeline.xadd(outbox, '*', 'event', '{}', 'doc', '{}', 'status', 'succeeded', 'rev', '2');
    }
    for (const [error, id] of (await pipeline.exec()) ?? []) {
      if (error) throw error;
      added.push(id as string);
    }
  }
  return added;
}

test('dispatcher down: past its bound the outbox pushes back (503 for webhook submits), no event dropped', async () => {
  const keys = new Keys(stack.namespace);
  const tenant = await stack.tenant({ rpm: 1_000_000 });
  const running = await submitMany(stack.api.url, tenant.apiKey, RUNNING, (i) =>
    uniqueJob('hooked', i, { webhook: WEBHOOK }),
  );
  expect(tally(running.map((a) => String(a.status)))).toEqual({ '202': RUNNING });
  await pollUntil(
    'every call open',
    async () => (stack.simulator.stats().inFlight === RUNNING ? true : undefined),
    {
      timeoutMs: 15_000,
    },
  );
  const filler = await fillOutbox(keys.webhookOutbox, OUTBOX_LIMIT);
  const [first] = await probe.xrange(keys.webhookOutbox, '-', '+', 'COUNT', 1);
  const oldest = first![0];

  const hookedJob = uniqueJob('one more', 0, { webhook: WEBHOOK });
  const hooked = await http(`${stack.api.url}/v1/jobs`, { token: tenant.apiKey, body: hookedJob });
  const retryAfter = hooked.headers.get('retry-after');
  const plain = await submitOnce(stack.api.url, tenant.apiKey, uniqueJob('no hook', 0));
  // The jobs accepted before the bound was reached end now, each adding its event past the bound.
  stack.simulator.configure({ latency: null });
  await Promise.all(running.map((a) => tenant.client.waitFor(a.id!, { timeoutMs: 60_000 })));
  await pollUntil(
    'the plain job ended',
    async () => ((await tenant.client.get(plain.id!)).status === 'succeeded' ? true : undefined),
    {
      timeoutMs: 30_000,
    },
  );
  const length = await probe.xlen(keys.webhookOutbox);
  const oldestKept = (await probe.xrange(keys.webhookOutbox, oldest, oldest)).length === 1;

  // The bound releases as the outbox drains: with the filler taken (as a dispatcher takes events,
  // XDEL after handing them on), the same submit with a webhook is accepted.
  await probe.xdel(keys.webhookOutbox, ...filler);
  const afterDrain = await submitOnce(stack.api.url, tenant.apiKey, hookedJob);
  reportFigures(
    `outbox push-back (dispatcher down): outbox at its bound (${OUTBOX_LIMIT} events); ` +
      `submit with a webhook → ${hooked.status} ${hooked.body?.error?.type ?? ''} ` +
      `(Retry-After ${retryAfter ?? 'missing'}), without → ${plain.status}; ` +
      `${RUNNING} running jobs ended → outbox ${length} events (${OUTBOX_LIMIT + RUNNING - length} dropped), ` +
      `oldest event ${oldestKept ? 'kept' : 'TRIMMED'}; ${filler.length} filler events taken → ` +
      `the same submit with a webhook → ${afterDrain.status}`,
  );
  expect([hooked.status, hooked.body?.error?.type]).toEqual([503, 'service_unavailable']);
  expect(Number(retryAfter)).toBeGreaterThan(0);
  expect(plain.status).toBe(202);
  expect(length).toBe(OUTBOX_LIMIT + RUNNING);
  expect(oldestKept).toBe(true);
  expect(afterDrain.status).toBe(202);
}, 180_000);
