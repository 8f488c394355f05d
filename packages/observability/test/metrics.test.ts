import { createApiMetrics, createDispatcherMetrics, createWorkerMetrics } from '../src';

test('each process has its own registry with a service label', async () => {
  const api = createApiMetrics();
  const other = createApiMetrics('api-2');
  api.jobsSubmitted.inc({ model: 'openai/gpt-4o-mini', lane: 'interactive' });
  expect(await api.registry.metrics()).toMatch(
    /^switchyard_jobs_submitted_total\{model="openai\/gpt-4o-mini",lane="interactive",service="api"\} 1$/m,
  );
  // Counted in one registry only: the other has the metric declared but no sample.
  const text = await other.registry.metrics();
  expect(text).toContain('# TYPE switchyard_jobs_submitted_total counter');
  expect(text).not.toMatch(/^switchyard_jobs_submitted_total\{/m);
});

test('each process declares only its own series', async () => {
  const names = async (registry: { getMetricsAsJSON(): Promise<Array<{ name: string }>> }) =>
    (await registry.getMetricsAsJSON())
      .map((metric) => metric.name)
      .filter((name) => name.startsWith('switchyard_'))
      .sort();
  expect(await names(createApiMetrics().registry)).toEqual([
    'switchyard_http_request_duration_seconds',
    'switchyard_http_requests_total',
    'switchyard_jobs_finished_total',
    'switchyard_jobs_submitted_total',
    'switchyard_queue_backlog',
    'switchyard_queue_jobs',
    'switchyard_queue_oldest_wait_seconds',
    'switchyard_queue_paused',
    'switchyard_redis_up',
    'switchyard_webhook_outbox_events',
    'switchyard_workers_live',
  ]);
  expect(await names(createDispatcherMetrics().registry)).toEqual([
    'switchyard_redis_up',
    'switchyard_webhook_deliveries_total',
    'switchyard_webhook_delivery_duration_seconds',
  ]);
  expect(await names(createWorkerMetrics().registry)).toEqual(
    expect.arrayContaining(['switchyard_cost_usd_total', 'switchyard_redis_up']),
  );
});

test('switchyard_redis_up reads 0 until the process watches its connection', async () => {
  expect(await createWorkerMetrics().registry.metrics()).toMatch(
    /^switchyard_redis_up\{service="worker"\} 0$/m,
  );
});
