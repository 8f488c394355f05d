import { randomUUID } from 'node:crypto';
import type { Settings } from '@switchyard/config';
import { parseModelRef, settlesWithin } from '@switchyard/core';
import {
  createWorkerMetrics,
  exitOnFatal,
  type Logger,
  type OpsServer,
  startOpsServer,
  type WorkerMetrics,
} from '@switchyard/observability';
import {
  CircuitBreaker,
  createProviderPools,
  type ProviderPools,
  RequestDedup,
  ResponseCache,
  SharedLimiter,
} from '@switchyard/providers';
import {
  createRedis,
  Keys,
  requireSafeRedis,
  watchRedisPolicy,
  whenReady,
} from '@switchyard/redis-kit';
import {
  beat,
  ConsumerHealth,
  DEADLINE_QUEUE,
  type DeadlineJobData,
  JobQueues,
  JobStore,
  LANE_QUEUES,
  onCancelBroadcast,
  removeWorker,
  type RunJobData,
  fail,
} from '@switchyard/queue';
import { operatorScrapeGate, SpendLedger, TenantCache, TenantStore } from '@switchyard/tenancy';
import { type Job, Worker } from 'bullmq';
import { deadlineProcessor } from './deadline-processor';
import { CallAdmission } from './call-admission';
import { CircuitView } from './circuit-view';
import { CallStep } from './call-step';
import { InFlight } from './in-flight';
import { JobEndedError } from './job-ended-error';
import { JobRunner, SHUTDOWN_REASON } from './job-runner';
import { LostCalls } from './lost-call';
import { RunMetrics } from './run-metrics';

export interface WorkerAppOptions {
  settings: Settings;
  redisUrl: string;
  logger: Logger;
  /** Key namespace; tests give each file its own. @defaultValue 'sy' */
  namespace?: string;
  /** Provider adapters per API key; defaults to the ones the settings describe. */
  pools?: ProviderPools;
  /**
   * On close, how long running calls may finish before they are aborted and handed back to the
   * queue for another worker. @defaultValue settings.worker.shutdownGraceMs (10 s)
   */
  shutdownGraceMs?: number;
  /** Port of `/metrics`, `/healthz` and `/readyz`; 0 picks a free one. @defaultValue METRICS_PORT */
  metricsPort?: number;
  /** @defaultValue '0.0.0.0' */
  metricsHost?: string;
  /**
   * How often BullMQ looks for items whose worker died (their lock expired). Tests shorten it.
   * @defaultValue BullMQ's (30 s)
   */
  stalledIntervalMs?: number;
  /** Called when the worker can no longer run safely. @defaultValue log and exit 1 */
  onFatal?: (reason: string) => void;
}

export interface WorkerApp {
  readonly id: string;
  readonly metrics: WorkerMetrics;
  /** Where `/metrics`, `/healthz` and `/readyz` are served. */
  readonly ops: OpsServer;
  /** Stops taking jobs, lets running calls finish (up to the grace), then closes connections. */
  close(): Promise<void>;
}

const SWEEP_INTERVAL_MS = 60_000;
/** How long each step of closing may take, beyond the grace period, before we move on. */
const CLOSE_MARGIN_MS = 5_000;
/** Waits for `work` up to CLOSE_MARGIN_MS; shutdown goes on either way. */
const bounded = (work: Promise<unknown>) => settlesWithin(work, CLOSE_MARGIN_MS);
/** Below this many slots another fetcher costs connections and buys nothing. */
const MIN_SLOTS_PER_FETCHER = 25;

/** A worker process: BullMQ workers for both lanes and for deadlines, sharing one runner. */
export async function startWorkerApp(options: WorkerAppOptions): Promise<WorkerApp> {
  const { settings, logger } = options;
  const requirements = { allowEviction: settings.env.SWITCHYARD_ALLOW_REDIS_EVICTION };
  await requireSafeRedis(options.redisUrl, requirements, logger);
  const id = `worker-${randomUUID()}`;
  const keys = new Keys(options.namespace);
  const metrics = createWorkerMetrics();
  const redis = createRedis(options.redisUrl, 'worker', `${id}:store`);
  metrics.redisUp.watch(redis);
  const subscriber = createRedis(options.redisUrl, 'subscriber', `${id}:events`);
  const store = new JobStore(redis, keys, settings.jobs.retentionMs, settings.events.maxLen);
  const queues = new JobQueues(redis, keys);
  const pools = options.pools ?? createProviderPools(settings.providers);
  const running = new InFlight();
  const count = new RunMetrics(settings, metrics);
  const circuit = new CircuitView(
    new CircuitBreaker(redis, keys, settings.circuit),
    (target, state) => count.circuit(parseModelRef(target)!, state),
  );
  const spend = new SpendLedger(redis, keys);
  const lostCalls = new LostCalls({ store, spend, logger });
  const runner = new JobRunner({
    settings,
    store,
    tenants: new TenantCache(new TenantStore(redis, keys)),
    spend,
    pools,
    lostCalls,
    calls: new CallStep({
      settings,
      admission: new CallAdmission(new SharedLimiter(redis), keys, settings, pools),
      circuit,
      dedup: new RequestDedup(
        redis,
        subscriber,
        keys,
        new ResponseCache(redis, keys, { ttlMs: settings.cache.ttlMs }),
      ),
      lostCalls,
      logger,
      redis,
      keys,
    }),
    logger,
    count,
  });

  // BullMQ duplicates this client for each worker's own connections, keeping its class and
  // its options (maxRetriesPerRequest: null, our reconnect strategy).
  const common = {
    connection: redis,
    prefix: keys.bullPrefix,
    name: id,
    ...(options.stalledIntervalMs !== undefined && { stalledInterval: options.stalledIntervalMs }),
  };
  /**
   * A BullMQ Worker fetches its jobs one Redis round trip at a time, so one Worker pulls at
   * most ~1/RTT jobs a second however high its concurrency. `fetchers` Workers share the lane's
   * concurrency and fetch in parallel (docs/PERFORMANCE.md has the measurements).
   */
  const consumers = (queue: string, concurrency: number, fetchers: number) => {
    const count = Math.max(1, Math.min(fetchers, Math.floor(concurrency / MIN_SLOTS_PER_FETCHER)));
    return Array.from({ length: count }, (_, i) =>
      laneWorker(queue, Math.floor(concurrency / count) + (i < concurrency % count ? 1 : 0)),
    );
  };
  // Says with each heartbeat whether this worker still takes jobs (readiness counts on it).
  const health = new ConsumerHealth({
    queues: [
      { queue: queues.interactive, capacity: settings.worker.concurrency },
      { queue: queues.batch, capacity: settings.worker.batchConcurrency },
    ],
    report: (status, now) => beat(redis, keys, id, now, status),
  });
  let closing = false;
  // Bound before any job is taken: a port in use stops the start with nothing held.
  const ops = await startOpsServer({
    port: options.metricsPort ?? settings.env.METRICS_PORT,
    host: options.metricsHost,
    registry: metrics.registry,
    ...operatorScrapeGate({
      admin: settings.env.SWITCHYARD_ADMIN_TOKEN,
      viewer: settings.env.SWITCHYARD_VIEWER_TOKEN,
    }),
    health: () => health.liveness(),
    ready: async () => {
      const ok = !closing && redis.status === 'ready';
      return { ok, body: { status: ok ? 'ready' : 'unavailable', redis: redis.status, closing } };
    },
    beforeScrape: async () => metrics.jobsInFlight.set(health.monitor.inFlight),
  }).catch(async (error: unknown) => {
    await queues.close().catch(() => undefined);
    subscriber.disconnect();
    redis.disconnect();
    throw error;
  });
  const laneWorker = (queue: string, concurrency: number) =>
    new Worker<RunJobData>(
      queue,
      (job, token, signal) =>
        health.monitor.track(queue, () => running.track(() => runner.run(job, token, signal!))),
      { ...common, concurrency },
    );
  const lanes = [
    ...consumers(LANE_QUEUES.interactive, settings.worker.concurrency, settings.worker.fetchers),
    ...consumers(LANE_QUEUES.batch, settings.worker.batchConcurrency, settings.worker.fetchers),
  ];
  const deadlines = new Worker<DeadlineJobData>(
    DEADLINE_QUEUE,
    deadlineProcessor({ store, queues, redis, keys, count }),
    { ...common, concurrency: 50 },
  );

  for (const worker of [...lanes, deadlines]) {
    worker.on('error', (error) => logger.error({ err: error }, 'worker error'));
  }
  for (const worker of lanes) {
    // BullMQ also fails items on its own, e.g. one that stalled too often (a worker died
    // mid-job twice): the job record must end too, or its client would wait forever.
    worker.on('failed', (job: Job<RunJobData> | undefined, error: Error) => {
      if (!job || error instanceof JobEndedError) return;
      logger.error({ jobId: job.data.jobId, err: error }, 'job failed outside the runner');
      const lost = {
        type: 'provider_error' as const,
        message: `the job could not be run: ${error.message}`,
      };
      const jobId = job.data.jobId;
      // A worker died holding it (the usual reason): the call it was making is counted first.
      const recorded = store
        .get(jobId)
        .then((record) => record && lostCalls.recover(record))
        .then(() => store.update(jobId, fail(Date.now(), lost)));
      void recorded.then(
        (failed) => failed?.changed && count.finished(failed.record),
        (err: unknown) => logger.error({ err }, 'could not record failure'),
      );
    });
  }

  watchRedisPolicy(redis, requirements, options.onFatal ?? exitOnFatal(logger));
  // The subscriber fails fast while Redis is away; after an outage it resubscribes by itself.
  await whenReady(subscriber);
  await onCancelBroadcast(subscriber, keys, (jobId) => {
    for (const worker of lanes) worker.cancelJob(jobId, 'canceled');
  });
  await health.start();
  metrics.capacity.set(health.monitor.capacity);
  // Index entries of expired jobs: every worker sweeps (it is idempotent), none depends on it.
  const sweep = () =>
    store.sweepExpired(Date.now()).catch((err: unknown) => logger.warn({ err }, 'sweep failed'));
  const sweeper = setInterval(() => void sweep(), SWEEP_INTERVAL_MS);
  sweeper.unref();
  logger.info(
    {
      id,
      concurrency: settings.worker.concurrency,
      providers: [...pools.keys()],
      metrics: `http://localhost:${ops.port}/metrics`,
    },
    'worker started',
  );

  return {
    id,
    metrics,
    ops,
    close: async () => {
      closing = true;
      clearInterval(sweeper);
      // Off the live list first: readiness stops counting a worker that takes no more jobs.
      health.stop();
      if (redis.status === 'ready') await bounded(removeWorker(redis, keys, id));
      const consumers = [...lanes, deadlines];
      // Shutdown never waits on Redis (it may be the reason we stop): stop fetching (local), let
      // running calls finish for the grace period, abort the rest (they go back to the queue
      // when Redis lets them, or are recovered as stalled), then close BullMQ forcibly.
      await bounded(Promise.all(consumers.map((worker) => worker.pause(true))));
      if (!(await running.drained(options.shutdownGraceMs ?? settings.worker.shutdownGraceMs))) {
        for (const worker of lanes) worker.cancelAllJobs(SHUTDOWN_REASON);
        if (!(await running.drained(CLOSE_MARGIN_MS))) {
          logger.warn({ id, running: running.size }, 'stopping with jobs still unwinding');
        }
      }
      // A close cut short by the bound (a loaded machine, Redis just back) can leave a BullMQ
      // connection reconnecting: then, and only then, end its connections for sure (a test saw a
      // blocking one left open; disconnecting closed ones too piled listeners on their sockets).
      if (!(await bounded(Promise.all(consumers.map((worker) => worker.close(true)))))) {
        await bounded(Promise.all(consumers.map((worker) => worker.disconnect())));
      }
      if (redis.status === 'ready') await bounded(circuit.close());
      await bounded(queues.close());
      subscriber.disconnect();
      redis.disconnect();
      await ops.close();
      logger.info({ id }, 'worker stopped');
    },
  };
}
