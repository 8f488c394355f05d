import { randomUUID } from 'node:crypto';
import type { Settings } from '@switchyard/config';
import { settlesWithin } from '@switchyard/core';
import {
  createDispatcherMetrics,
  type DispatcherMetrics,
  exitOnFatal,
  type Logger,
  type OpsServer,
  startOpsServer,
} from '@switchyard/observability';
import { createRedis, Keys, requireSafeRedis, watchRedisPolicy } from '@switchyard/redis-kit';
import { ConsumerHealth, WEBHOOK_QUEUE } from '@switchyard/queue';
import { DeliveryLog } from '@switchyard/outbox';
import { ExpiringCache, operatorScrapeGate, WebhookSecrets } from '@switchyard/tenancy';
import { destroyWebhookAgents } from '@switchyard/webhooks';
import { type JobsOptions, Queue, Worker } from 'bullmq';
import {
  type DeliveryItem,
  firstAttempt,
  itemId,
  itemsOf,
  type PendingDelivery,
} from './delivery-item';
import { deliveryProcessor } from './delivery-processor';
import { OutboxReader } from './outbox-reader';
import { Slots } from './slots';

export interface DispatcherAppOptions {
  settings: Settings;
  redisUrl: string;
  logger: Logger;
  /** Key namespace; tests give each file its own. @defaultValue 'sy' */
  namespace?: string;
  /** Called when the process can no longer run safely. @defaultValue log and exit 1 */
  onFatal?: (reason: string) => void;
  /** Port of `/metrics`, `/healthz` and `/readyz`; 0 picks a free one. @defaultValue METRICS_PORT */
  metricsPort?: number;
  /** @defaultValue '0.0.0.0' */
  metricsHost?: string;
}

export interface DispatcherApp {
  readonly id: string;
  readonly metrics: DispatcherMetrics;
  /** Where `/metrics`, `/healthz` and `/readyz` are served. */
  readonly ops: OpsServer;
  /** Stops reading events and sending, lets sends in progress finish, closes connections. */
  close(): Promise<void>;
}

/**
 * A tenant's signing secrets, read at most every five seconds: a rotation reaches the signatures
 * within that time, while the old secret keeps signing for a day anyway.
 */
function secretCache(secrets: WebhookSecrets): Pick<WebhookSecrets, 'active'> {
  const cache = new ExpiringCache((tenantId) => secrets.active(tenantId), 5_000);
  return { active: (tenantId) => cache.get(tenantId) };
}

/** Beyond the webhook timeout, how long a stopping dispatcher waits for deliveries in progress. */
const CLOSE_MARGIN_MS = 5_000;

/** BullMQ Workers fetching items in parallel. */
const FETCHERS = 8;
/**
 * Every `webhooks` queue item: done items stay an hour for Bull Board (the attempts log is the
 * record; items carry job copies, hence the count); an item whose attempts could not be recorded
 * is run again with backoff, and one that still fails stays a week in the failed set.
 */
const ITEM_OPTIONS: JobsOptions = {
  removeOnComplete: { age: 3_600, count: 1_000 },
  removeOnFail: { age: 7 * 24 * 3_600 },
  attempts: 5,
  backoff: { type: 'exponential', delay: 1_000 },
};

/**
 * The webhook dispatcher: moves events from the job store's outbox into the `webhooks` queue
 * (first attempts in batches, each item's ID derived from its events, so events handed on twice
 * are queued once) and delivers them with BullMQ workers; retries are delayed items of their own.
 */
export async function startDispatcherApp(options: DispatcherAppOptions): Promise<DispatcherApp> {
  const { settings, logger } = options;
  const requirements = { allowEviction: settings.env.SWITCHYARD_ALLOW_REDIS_EVICTION };
  await requireSafeRedis(options.redisUrl, requirements, logger);
  const id = `dispatcher-${randomUUID()}`;
  const keys = new Keys(options.namespace);
  const metrics = createDispatcherMetrics();
  const redis = createRedis(options.redisUrl, 'worker', `${id}:store`);
  metrics.redisUp.watch(redis);
  const reader = createRedis(options.redisUrl, 'worker', `${id}:outbox`);
  watchRedisPolicy(redis, requirements, options.onFatal ?? exitOnFatal(logger));
  const common = { connection: redis, prefix: keys.bullPrefix };
  const queue = new Queue<DeliveryItem>(WEBHOOK_QUEUE, common);
  const publicUrl = settings.api.publicUrl ?? `http://localhost:${settings.env.PORT}`;
  const enqueue = (items: DeliveryItem[], delayMs = 0) =>
    queue.addBulk(
      items.map((item) => ({
        name: 'deliver',
        data: item,
        opts: { ...ITEM_OPTIONS, jobId: itemId(item), ...(delayMs > 0 ? { delay: delayMs } : {}) },
      })),
    );
  const processor = deliveryProcessor({
    settings,
    secrets: secretCache(new WebhookSecrets(redis, keys)),
    log: new DeliveryLog(redis, keys, settings.jobs.retentionMs),
    logger,
    metrics,
    scheduleRetry: async (next: PendingDelivery, delayMs: number) => {
      await enqueue([{ deliveries: [next] }], delayMs);
    },
    slots: new Slots(settings.webhooks.concurrency),
  });
  // One BullMQ Worker fetches one item per Redis round trip; several share the concurrency and
  // fetch in parallel (as the job workers do; docs/PERFORMANCE.md). Each may hold as many items
  // as there are slots, so retries (one delivery each) can fill every slot too.
  const fetchers = Math.max(1, Math.min(FETCHERS, Math.floor(settings.webhooks.concurrency / 25)));
  // A dispatcher that stops taking items while they wait (and slots are free) is restarted.
  const health = new ConsumerHealth({
    queues: [{ queue, capacity: settings.webhooks.concurrency }],
  });
  let closing = false;
  // Bound before any item is taken: a port in use stops the start with nothing held.
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
  }).catch(async (error: unknown) => {
    await queue.close().catch(() => undefined);
    reader.disconnect();
    redis.disconnect();
    throw error;
  });
  const workers = Array.from(
    { length: fetchers },
    (_, i) =>
      new Worker<DeliveryItem>(
        WEBHOOK_QUEUE,
        (item) => health.monitor.track(WEBHOOK_QUEUE, () => processor(item)),
        {
          ...common,
          name: id,
          concurrency:
            Math.floor(settings.webhooks.concurrency / fetchers) +
            (i < settings.webhooks.concurrency % fetchers ? 1 : 0),
        },
      ),
  );
  for (const worker of workers) {
    worker.on('error', (error) => logger.error({ err: error }, 'dispatcher worker error'));
    worker.on('failed', (item, error) => {
      const again = item !== undefined && item.attemptsMade < (item.opts.attempts ?? 1);
      logger.error(
        { err: error, item: item?.id, tries: item?.attemptsMade },
        again
          ? 'webhook queue item failed; it runs again after a backoff'
          : 'webhook queue item failed for good; it stays in the failed set',
      );
    });
  }
  const outbox = new OutboxReader(
    reader,
    keys,
    id,
    async (messages) => {
      const deliveries: PendingDelivery[] = [];
      for (const message of messages) {
        const delivery = firstAttempt(message, publicUrl);
        if (delivery) deliveries.push(delivery);
        else {
          logger.warn({ event: message.event }, 'webhook event of a job without a URL: dropped');
          metrics.webhookDeliveries.inc({ result: 'dropped' });
        }
      }
      await enqueue(itemsOf(deliveries));
    },
    (error) => logger.warn({ err: error }, 'reading the webhook outbox failed; retrying'),
    (entryId, error) => {
      logger.error({ err: error, entryId }, 'unreadable webhook outbox entry: dropped');
      metrics.webhookDeliveries.inc({ result: 'dropped' });
    },
  );
  await outbox.start();
  await health.start();
  logger.info(
    {
      id,
      concurrency: settings.webhooks.concurrency,
      metrics: `http://localhost:${ops.port}/metrics`,
    },
    'webhook dispatcher started',
  );

  return {
    id,
    metrics,
    ops,
    close: async () => {
      closing = true;
      health.stop();
      // The outbox read blocks for up to half a second, or for ever while Redis is away.
      await settlesWithin(outbox.stop(), 2_000);
      reader.disconnect();
      // Deliveries in progress finish (each within the webhook timeout); past that and a margin,
      // the items are let go: a re-run skips the attempts their log shows done.
      const finished = Promise.all(workers.map((worker) => worker.close()));
      const deadline = settings.webhooks.timeoutMs + CLOSE_MARGIN_MS;
      if (!(await settlesWithin(finished, deadline))) {
        logger.warn({ id }, 'deliveries still running at the deadline: letting their items go');
        await Promise.all(workers.map((worker) => worker.close(true)));
      }
      await queue.close();
      destroyWebhookAgents();
      redis.disconnect();
      await ops.close();
      logger.info({ id }, 'webhook dispatcher stopped');
    },
  };
}
