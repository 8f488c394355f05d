import { Batch } from '@switchyard/core';
import {
  batchResults,
  http,
  startStack,
  type Stack,
  type TenantHandle,
  waitForBatch,
} from '../src';

// A full-size batch, 10,000 requests (the most one takes), through the simulator to the end.
let stack: Stack;
let tenant: TenantHandle;
beforeAll(async () => {
  stack = await startStack({ config: { worker: { batch_concurrency: 500 } } });
  tenant = await stack.tenant();
});
afterAll(() => stack.close());

const SIZE = 10_000;

test('10,000 requests: accepted at once, every custom_id in the results exactly once', async () => {
  const run = Date.now();
  const requests = Array.from({ length: SIZE }, (_, i) => ({
    custom_id: `item-${i}`,
    model: 'openai/gpt-4o-mini',
    input: { messages: [{ role: 'user', content: `Item ${i} of run ${run}` }], max_tokens: 8 },
  }));
  const { status, body } = await http(`${stack.api.url}/v1/batches`, {
    token: tenant.apiKey,
    body: { requests },
  });
  expect(status).toBe(202);
  expect(Batch.parse(body).request_counts.total).toBe(SIZE);

  const done = await waitForBatch(stack.api.url, tenant.apiKey, body.id);
  expect([done.status, done.request_counts]).toEqual([
    'completed',
    { total: SIZE, completed: SIZE, failed: 0, canceled: 0 },
  ]);
  const { lines } = await batchResults(stack.api.url, tenant.apiKey, body.id);
  expect(lines).toHaveLength(SIZE);
  // In submission order, so each custom_id is where it was sent, once.
  expect(lines.map((line) => line.custom_id)).toEqual(requests.map((r) => r.custom_id));
  expect(new Set(lines.map((line) => line.id)).size).toBe(SIZE);
  expect(lines.every((line) => line.response?.status_code === 200 && line.error === null)).toBe(
    true,
  );
  expect(stack.simulator.stats().requests).toBeGreaterThanOrEqual(SIZE);
}, 180_000);
