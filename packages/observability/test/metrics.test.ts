import { createMetrics } from '../src';

test('each process has its own registry with a service label', async () => {
  const api = createMetrics('api');
  const worker = createMetrics('worker');
  api.jobsSubmitted.inc({ lane: 'interactive' });
  const text = await api.registry.metrics();
  expect(text).toMatch(/^switchyard_jobs_submitted_total\{lane="interactive",service="api"\} 1$/m);
  // Counted in one registry only: the other has the metric declared but no sample.
  const other = await worker.registry.metrics();
  expect(other).toContain('# TYPE switchyard_jobs_submitted_total counter');
  expect(other).not.toMatch(/^switchyard_jobs_submitted_total\{/m);
});
