import { startStack, type Stack } from '@switchyard/integration-tests';
import { LANE_QUEUES } from '@switchyard/queue';
import { createRedis, Keys } from '@switchyard/redis-kit';
import { startRedisServer } from '@switchyard/redis-server';
import type { Redis } from 'ioredis';
import { reportFigures, scanKeys, statusesOf, submitOnce, tally, uniqueJob } from '../src';

let stack: Stack;
let probe: Redis;
beforeAll(async () => {
  const redis = await startRedisServer({ appendOnly: true });
  // No worker: every accepted job stays in Redis, so the submits themselves fill it up.
  stack = await startStack({ redis, worker: false });
  probe = createRedis(redis.url, 'worker', 'fault-test-probe');
}, 60_000);
afterAll(async () => {
  probe.disconnect();
  await stack.close();
  await stack.redis.stop();
}, 60_000);

/** Room left above what the stack uses at rest: a few hundred jobs of ~8 KB. */
const HEADROOM_BYTES = 3 * 1024 * 1024;
/** A prompt this long makes each job ~8 KB, so Redis fills in seconds. */
const PADDING = 'x'.repeat(8_000);
/** Refusals in a row that say Redis is full, not a passing hiccup. */
const REFUSALS_IN_A_ROW = 20;

const memoryField = async (name: string) =>
  Number(new RegExp(`${name}:(\\d+)`).exec(await probe.info())![1]);

test('Redis at maxmemory (noeviction): submit answers a clear 503, zero keys evicted, nothing half-written', async () => {
  const tenant = await stack.tenant({ rpm: 1_000_000 });
  const used = await memoryField('used_memory');
  await probe.config('SET', 'maxmemory', String(used + HEADROOM_BYTES));
  const answers = [];
  for (let i = 0, refusedInARow = 0; refusedInARow < REFUSALS_IN_A_ROW; i++) {
    const answer = await submitOnce(stack.api.url, tenant.apiKey, uniqueJob(`full ${PADDING}`, i));
    answers.push(answer);
    refusedInARow = answer.status === 202 ? 0 : refusedInARow + 1;
  }
  const refusals = answers.filter((a) => a.status !== 202);
  const refusal = await fetch(`${stack.api.url}/v1/jobs`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tenant.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(uniqueJob(`full ${PADDING}`, -1)),
  });
  const refusalBody = (await refusal.json()) as { error: { type: string; message: string } };
  const evicted = await memoryField('evicted_keys');

  // Nothing half-written: every record has its queue item and every queue item its record.
  const keys = new Keys(stack.namespace);
  const records = (await scanKeys(probe, `${keys.job('')}*`)).map((k) =>
    k.slice(keys.job('').length),
  );
  const item = new RegExp(`^${keys.bullPrefix}:${LANE_QUEUES.interactive}:(job_[a-z0-9]+)$`);
  const items = (
    await scanKeys(probe, `${keys.bullPrefix}:${LANE_QUEUES.interactive}:job_*`)
  ).flatMap((k) => item.exec(k)?.[1] ?? []);
  const accepted = answers.flatMap((a) => (a.status === 202 ? [a.id!] : []));
  const acceptedStatuses = tally(await statusesOf(probe, keys, accepted));

  // Room again: submits are accepted at once.
  await probe.config('SET', 'maxmemory', '0');
  const after = await submitOnce(stack.api.url, tenant.apiKey, uniqueJob('room again', 0));
  reportFigures(
    `redis maxmemory (noeviction): ${accepted.length} jobs accepted, then ${refusals.length} refused ` +
      `(${JSON.stringify(tally(refusals.map((a) => `${a.status} ${a.errorType}`)))}), ` +
      `"${refusalBody.error.message}", ${evicted} keys evicted, ${records.length} records, ` +
      `${items.length} queue items; ${after.status} once memory was freed`,
  );
  expect(evicted).toBe(0);
  expect(accepted.length).toBeGreaterThan(0);
  expect(tally(refusals.map((a) => `${a.status} ${a.errorType}`))).toEqual({
    '503 service_unavailable': refusals.length,
  });
  expect(acceptedStatuses).toEqual({ queued: accepted.length });
  expect(records.sort()).toEqual(items.sort());
  expect(after.status).toBe(202);
  // Clear: it says the store is full, not that it is unreachable.
  expect([refusal.status, refusal.headers.get('retry-after')]).toEqual([503, expect.any(String)]);
  expect(refusalBody.error.message).toMatch(/\bstore\b.*\bfull\b/i);
  expect(refusalBody.error.message).not.toMatch(/unreachable/i);
}, 120_000);
