import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Seconds buckets spanning a fast cache hit to a slow model call. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

/**
 * The metric definitions of one process, on their own registry (tests make many processes'
 * worth of metrics in one Node process; the global registry would collide).
 */
export function createMetrics(service: string) {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpRequests: new Counter({
      name: 'switchyard_http_requests_total',
      help: 'HTTP requests answered, by route and status.',
      labelNames: ['method', 'route', 'status'] as const,
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'switchyard_http_request_duration_seconds',
      help: 'Time to answer an HTTP request (long-polls included).',
      labelNames: ['method', 'route'] as const,
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    jobsSubmitted: new Counter({
      name: 'switchyard_jobs_submitted_total',
      help: 'Jobs accepted by the API, by lane.',
      labelNames: ['lane'] as const,
      registers: [registry],
    }),
    jobsFinished: new Counter({
      name: 'switchyard_jobs_finished_total',
      help: 'Jobs that reached a final status, by status.',
      labelNames: ['status'] as const,
      registers: [registry],
    }),
    jobDuration: new Histogram({
      name: 'switchyard_job_duration_seconds',
      help: 'From submission to final status.',
      labelNames: ['status'] as const,
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    providerCalls: new Counter({
      name: 'switchyard_provider_calls_total',
      help: 'Provider calls, by provider, model and outcome.',
      labelNames: ['provider', 'model', 'outcome'] as const,
      registers: [registry],
    }),
    providerLatency: new Histogram({
      name: 'switchyard_provider_call_duration_seconds',
      help: 'Duration of one provider call.',
      labelNames: ['provider', 'model'] as const,
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    limiterWaits: new Counter({
      name: 'switchyard_limiter_waits_total',
      help: 'Jobs sent back to wait (delayed) because their provider limits had no slot soon.',
      labelNames: ['provider', 'model'] as const,
      registers: [registry],
    }),
    webhookDeliveries: new Counter({
      name: 'switchyard_webhook_deliveries_total',
      help: 'Webhook delivery attempts by result: delivered, retrying, gone, exhausted, dropped.',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
    jobsInFlight: new Gauge({
      name: 'switchyard_worker_jobs_in_flight',
      help: 'Jobs this worker process is running now.',
      registers: [registry],
    }),
    queueDepth: new Gauge({
      name: 'switchyard_queue_jobs',
      help: 'Jobs in each BullMQ queue by state, read from Redis at scrape time.',
      labelNames: ['queue', 'state'] as const,
      registers: [registry],
    }),
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
