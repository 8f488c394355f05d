import { JobRequest } from '@switchyard/core';
import { type BatchRecord, newJobRecord, toPublicBatch, toPublicJob } from '@switchyard/queue';
import type { JobMessage } from '@switchyard/outbox';
import {
  firstAttempt,
  itemId,
  itemsOf,
  MAX_DELIVERIES_PER_ITEM,
  type PendingDelivery,
} from '../src';

function message(index: number, webhook?: string): JobMessage {
  const job = newJobRecord({
    id: `job_${index}`,
    tenantId: 'ten_a',
    request: JobRequest.parse({
      model: 'openai/gpt-4o-mini',
      input: { messages: [{ role: 'user', content: `hi ${index}` }] },
      ...(webhook ? { webhook } : {}),
    }),
    chain: ['openai/gpt-4o-mini'],
    now: 1_000,
    deadlineAt: null,
  });
  return {
    event: { id: `msg_${index}`, type: 'job.canceled', job_id: job.id, at: 2_000 },
    job: { ...job, status: 'canceled', completed_at: 2_000 },
  };
}

test('a first attempt carries the body every attempt sends: the job as it stood at the event', () => {
  const m = message(1, 'https://hooks.example.com/a');
  expect(firstAttempt(m, 'https://api.example.com')).toEqual({
    event: m.event,
    tenant_id: 'ten_a',
    url: 'https://hooks.example.com/a',
    body: JSON.stringify({
      type: 'job.canceled',
      timestamp: '1970-01-01T00:00:02.000Z',
      data: toPublicJob(m.job, 'https://api.example.com'),
    }),
    attempt: 1,
  });
});

test("a first attempt carries the submit's request ID beside the body, not in it", () => {
  const m = message(1, 'https://hooks.example.com/a');
  const delivery = firstAttempt(
    { ...m, job: { ...m.job, request_id: 'my-trace-123' } },
    'https://api.example.com',
  )!;
  expect(delivery.request_id).toBe('my-trace-123');
  expect(delivery.body).toBe(firstAttempt(m, 'https://api.example.com')!.body);
});

test('a message whose job has no webhook URL makes no delivery', () => {
  expect(firstAttempt(message(1), 'https://api.example.com')).toBeUndefined();
});

test('a batch.completed event goes to the batch webhook with the batch as its data', () => {
  const batch: BatchRecord = {
    id: 'batch_1',
    tenant_id: 'ten_a',
    status: 'completed',
    counts: { total: 2, completed: 1, failed: 1, canceled: 0 },
    created_at: 1_000,
    completed_at: 2_000,
    canceled_at: null,
    metadata: {},
    webhook: 'https://hooks.example.com/b',
    request_id: 'req-9',
  };
  const event = { id: 'msg_b', type: 'batch.completed', job_id: 'batch_1', at: 2_000 };
  expect(firstAttempt({ event, batch }, 'https://api.example.com')).toEqual({
    event,
    tenant_id: 'ten_a',
    url: 'https://hooks.example.com/b',
    body: JSON.stringify({
      type: 'batch.completed',
      timestamp: '1970-01-01T00:00:02.000Z',
      data: toPublicBatch(batch, 'https://api.example.com'),
    }),
    attempt: 1,
    request_id: 'req-9',
  });
  expect(firstAttempt({ event, batch: { ...batch, webhook: null } }, 'x')).toBeUndefined();
});

test('deliveries are grouped into items of at most MAX_DELIVERIES_PER_ITEM, in order', () => {
  const deliveries = Array.from({ length: 2 * MAX_DELIVERIES_PER_ITEM + 3 }, (_, i) =>
    firstAttempt(message(i, 'https://hooks.example.com/a'), 'https://x')!,
  );
  const items = itemsOf(deliveries);
  expect(items.map((item) => item.deliveries.length)).toEqual([
    MAX_DELIVERIES_PER_ITEM,
    MAX_DELIVERIES_PER_ITEM,
    3,
  ]);
  expect(items.flatMap((item) => item.deliveries)).toEqual(deliveries);
  expect(itemsOf([])).toEqual([]);
});

test('item IDs: one delivery is named by its event and attempt, a batch by all of its events', () => {
  const one = (i: number, attempt = 1): PendingDelivery => ({
    ...firstAttempt(message(i, 'https://hooks.example.com/a'), 'https://x')!,
    attempt,
  });
  expect(itemId({ deliveries: [one(7, 3)] })).toBe('msg_7.3');
  const batch = itemId({ deliveries: [one(1), one(2)] });
  expect(batch).toMatch(/^batch_[0-9a-f]{32}$/);
  expect(itemId({ deliveries: [one(1), one(2)] })).toBe(batch);
  // Same first event, another set: another item, so an event is never taken for queued when
  // it is not.
  expect(itemId({ deliveries: [one(1), one(3)] })).not.toBe(batch);
  expect(itemId({ deliveries: [one(1), one(2), one(3)] })).not.toBe(batch);
});
