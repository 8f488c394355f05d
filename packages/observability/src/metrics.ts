import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { RedisUpGauge } from './redis-up';

/** Seconds buckets spanning a fast cache hit to a slow model call. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
/** Seconds buckets for time spent waiting in a queue: from instant to a long backlog. */
const WAIT_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3_600];

/**
 * One process's registry, labelled with its service (api, worker, webhook-dispatcher) and holding
 * Node's default process metrics. Each process gets its own (tests run several processes' worth
 * of metrics in one Node process; the global registry would collide).
 */
function newRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  // Gauges named like counters, which `promtool check metrics` rejects; each is the sum of the
  // per-type gauge of the same name without `_total`, which stays.
  for (const name of NAMED_LIKE_COUNTERS) registry.removeSingleMetric(name);
  return registry;
}

const NAMED_LIKE_COUNTERS = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];

/** The API: requests, submissions, and the queues' depth read at scrape time. */
export function createApiMetrics(service = 'api') {
  const registry = newRegistry(service);
  const registers = [registry];
  return {
    registry,
    redisUp: new RedisUpGauge(registers),
    httpRequests: new Counter({
      name: 'switchyard_http_requests_total',
      help: 'HTTP requests answered, by route pattern and status.',
      labelNames: ['method', 'route', 'status'] as const,
      registers,
    }),
    httpDuration: new Histogram({
      name: 'switchyard_http_request_duration_seconds',
      help: 'Time to answer an HTTP request (long-polls included), by route pattern and status.',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    jobsSubmitted: new Counter({
      name: 'switchyard_jobs_submitted_total',
      help: 'Jobs accepted by the API, by requested model and lane.',
      labelNames: ['model', 'lane'] as const,
      registers,
    }),
    jobsFinished: new Counter({
      name: 'switchyard_jobs_finished_total',
      help: 'Jobs that reached a final status, by requested model and status: here, the ones cancelled through the API (workers count the rest).',
      labelNames: ['model', 'status'] as const,
      registers,
    }),
    queueJobs: new Gauge({
      name: 'switchyard_queue_jobs',
      help: 'Items in each BullMQ queue by state, read from Redis at scrape time.',
      labelNames: ['queue', 'state'] as const,
      registers,
    }),
    queueBacklog: new Gauge({
      name: 'switchyard_queue_backlog',
      help: 'Items a worker could start now (waiting + prioritized + delayed items that are due); 0 while the queue is paused. What autoscaling reads.',
      labelNames: ['queue'] as const,
      registers,
    }),
    queueOldestWait: new Gauge({
      name: 'switchyard_queue_oldest_wait_seconds',
      help: 'How long the longest-waiting item a worker could start now has been startable (waiting, prioritized or due delayed); 0 when there is none or the queue is paused.',
      labelNames: ['queue'] as const,
      registers,
    }),
    queuePaused: new Gauge({
      name: 'switchyard_queue_paused',
      help: '1 while the queue is paused (Bull Board or the API), else 0.',
      labelNames: ['queue'] as const,
      registers,
    }),
    webhookOutbox: new Gauge({
      name: 'switchyard_webhook_outbox_events',
      help: 'Webhook events written by the job store and not yet taken by a dispatcher.',
      registers,
    }),
    workersLive: new Gauge({
      name: 'switchyard_workers_live',
      help: 'Worker processes that sent a heartbeat in the last 15 s, and how many of them are taking jobs.',
      labelNames: ['state'] as const,
      registers,
    }),
  };
}
export type ApiMetrics = ReturnType<typeof createApiMetrics>;

/** A worker: jobs run, provider calls, their limits, cache, tokens and money. */
export function createWorkerMetrics(service = 'worker') {
  const registry = newRegistry(service);
  const registers = [registry];
  return {
    registry,
    redisUp: new RedisUpGauge(registers),
    jobsFinished: new Counter({
      name: 'switchyard_jobs_finished_total',
      help: 'Jobs that reached a final status, by requested model and status.',
      labelNames: ['model', 'status'] as const,
      registers,
    }),
    jobDuration: new Histogram({
      name: 'switchyard_job_duration_seconds',
      help: 'From submission to final status, by requested model and status.',
      labelNames: ['model', 'status'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    queueWait: new Histogram({
      name: 'switchyard_job_queue_wait_seconds',
      help: 'From submission to the first start of the job on a worker, by lane.',
      labelNames: ['lane'] as const,
      buckets: WAIT_BUCKETS,
      registers,
    }),
    runDuration: new Histogram({
      name: 'switchyard_job_run_seconds',
      help: 'From the first start on a worker to final status (retries and fallbacks included), by requested model and status.',
      labelNames: ['model', 'status'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    providerCalls: new Counter({
      name: 'switchyard_provider_calls_total',
      help: 'Provider calls, by provider, model and outcome.',
      labelNames: ['provider', 'model', 'outcome'] as const,
      registers,
    }),
    providerLatency: new Histogram({
      name: 'switchyard_provider_call_duration_seconds',
      help: 'Duration of one provider call, by provider, model and outcome.',
      labelNames: ['provider', 'model', 'outcome'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    providerRateLimited: new Counter({
      name: 'switchyard_provider_rate_limited_total',
      help: 'Provider answers of 429 (rate limited or out of quota), by provider and model.',
      labelNames: ['provider', 'model'] as const,
      registers,
    }),
    retries: new Counter({
      name: 'switchyard_retries_total',
      help: 'Failed calls retried later on the same model, by provider and model.',
      labelNames: ['provider', 'model'] as const,
      registers,
    }),
    fallbacks: new Counter({
      name: 'switchyard_fallbacks_total',
      help: 'Jobs moved on to the next model of their chain, by the model left, the one taken and why (failure or circuit_open).',
      labelNames: ['from', 'to', 'reason'] as const,
      registers,
    }),
    circuitState: new Gauge({
      name: 'switchyard_circuit_state',
      help: 'Circuit of a provider model as this worker last saw it: 0 closed, 1 half-open (probing), 2 open.',
      labelNames: ['provider', 'model'] as const,
      registers,
    }),
    limiterWaits: new Counter({
      name: 'switchyard_limiter_waits_total',
      help: 'Jobs sent back to wait (delayed) because their provider limits had no slot soon.',
      labelNames: ['provider', 'model'] as const,
      registers,
    }),
    cacheLookups: new Counter({
      name: 'switchyard_cache_lookups_total',
      help: 'Response cache lookups by result: hit (cached answer), dedup (shared an identical job in flight), miss (called).',
      labelNames: ['result'] as const,
      registers,
    }),
    tokens: new Counter({
      name: 'switchyard_tokens_total',
      help: 'Tokens of provider answers, by model and direction (input or output); cached answers included.',
      labelNames: ['model', 'direction'] as const,
      registers,
    }),
    cost: new Counter({
      name: 'switchyard_cost_usd_total',
      help: 'Money spent on provider calls in US dollars, by model.',
      labelNames: ['model'] as const,
      registers,
    }),
    jobsInFlight: new Gauge({
      name: 'switchyard_worker_jobs_in_flight',
      help: 'Jobs this worker process is running now.',
      registers,
    }),
    capacity: new Gauge({
      name: 'switchyard_worker_capacity',
      help: 'Jobs this worker process can run at once (both lanes).',
      registers,
    }),
  };
}
export type WorkerMetrics = ReturnType<typeof createWorkerMetrics>;

/** The webhook dispatcher: deliveries by result and how long receivers took. */
export function createDispatcherMetrics(service = 'webhook-dispatcher') {
  const registry = newRegistry(service);
  const registers = [registry];
  return {
    registry,
    redisUp: new RedisUpGauge(registers),
    webhookDeliveries: new Counter({
      name: 'switchyard_webhook_deliveries_total',
      help: 'Webhook delivery attempts by result: delivered, retrying, gone, exhausted, dropped.',
      labelNames: ['result'] as const,
      registers,
    }),
    webhookLatency: new Histogram({
      name: 'switchyard_webhook_delivery_duration_seconds',
      help: 'Time from sending a webhook to its answer (or failure), by result.',
      labelNames: ['result'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
  };
}
export type DispatcherMetrics = ReturnType<typeof createDispatcherMetrics>;
