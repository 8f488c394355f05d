import { createLogger, MemoryLines } from '@switchyard/observability';
import type { DeliveryOutcome } from '@switchyard/webhooks';
import type { PendingDelivery } from '../src';
import { logAttempt } from '../src/attempt-log';

const pending: PendingDelivery = {
  event: { id: 'msg_1', type: 'job.succeeded', job_id: 'job_1', at: 1_000 },
  tenant_id: 'ten_1',
  url: 'https://hooks.example.com/a?token=receiver-secret',
  body: '{"data":{"output":{"text":"the answer"}}}',
  attempt: 2,
  request_id: 'my-trace-123',
};
const delivered: DeliveryOutcome = { kind: 'delivered', statusCode: 204, latencyMs: 12 };
const refused: DeliveryOutcome = {
  kind: 'failed',
  reason: 'network',
  error: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 10.0.0.1:443' },
  latencyMs: 3,
  retryable: true,
};

test('an attempt is one line with the job, the request ID and how it went, never URL or body', () => {
  const sink = new MemoryLines();
  logAttempt(createLogger('webhook-dispatcher', 'debug', sink), pending, refused, 'retrying');
  expect(sink.lines).toEqual([
    expect.objectContaining({
      level: 30,
      msg: 'webhook delivery',
      jobId: 'job_1',
      requestId: 'my-trace-123',
      eventId: 'msg_1',
      type: 'job.succeeded',
      attempt: 2,
      result: 'retrying',
      statusCode: null,
      error: 'ECONNREFUSED',
      latencyMs: 3,
    }),
  ]);
  expect(JSON.stringify(sink.lines)).not.toMatch(/receiver-secret|the answer|hooks\.example/);
});

test.each([
  ['delivered', 20, delivered, 'webhook delivery'],
  ['gone', 30, { kind: 'gone', statusCode: 410, latencyMs: 5 } as const, 'webhook delivery'],
  ['retrying', 30, refused, 'webhook delivery'],
  ['exhausted', 40, refused, 'webhook delivery exhausted its retries'],
] as const)('%s is logged at level %i', (result, level, outcome, msg) => {
  const sink = new MemoryLines();
  logAttempt(createLogger('webhook-dispatcher', 'debug', sink), pending, outcome, result);
  expect(sink.lines.map((line) => [line.level, line.msg])).toEqual([[level, msg]]);
});

test('a delivery without a request ID logs none', () => {
  const sink = new MemoryLines();
  const { request_id: _none, ...old } = pending;
  logAttempt(createLogger('webhook-dispatcher', 'debug', sink), old, delivered, 'delivered');
  expect('requestId' in sink.lines[0]!).toBe(false);
});
