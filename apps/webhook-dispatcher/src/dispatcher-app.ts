import { randomUUID } from 'node:crypto';
import { ConfigError, type Settings } from '@switchyard/config';
import { createMetrics, exitOnFatal, type Logger, type Metrics } from '@switchyard/observability';
import {
  checkRedisForQueues,
  createRedis,
  DeliveryLog,
  JobStore,
  Keys,
  watchRedisPolicy,
} from '@switchyard/queue';
import { ExpiringCache, WebhookSecrets } from '@switchyard/tenancy';
import { destroyWebhookAgents } from '@switchyard/webhooks';
import { Queue, Worker } from 'bullmq';
import { type DeliveryJobData, deliveryProcessor } from './delivery-processor';
import { OutboxReader } from './outbox-reader';

export interface DispatcherAppOptions {
  settings: Settings;
  redisUrl: string;
  logger: Logger;
  /** Key namespace; tests give each file its own. @defaultValue 'sy' */
  namespace?: string;
  /** Called when the process can no longer run safely. @defaultValue log and exit 1 */
  onFatal?: (reason: string) => void;
}

export interface DispatcherApp {
  readonly id: string;
  readonly metrics: Metrics;
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

/** BullMQ Workers fetching deliveries in parallel. */
const FETCHERS = 8;
/** Keep finished delivery items this long for Bull Board; the attempts log is the record. */
const KEEP = { age: 3_600, count: 10_000 };

/**
 * The webhook dispatcher: moves events from the job store's outbox into the `webhooks` queue
 * (one item per event, its ID the event's, so an event handed on twice is queued once) and
 * delivers them with BullMQ workers.
 */
export async function startDispatcherApp(options: DispatcherAppOptions): Promise<DispatcherApp> {
  const { settings, logger } = options;
  const id = `dispatcher-${randomUUID()}`;
  const keys = new Keys(options.namespace);
  const metrics = createMetrics('webhook-dispatcher');
  const redis = createRedis(options.redisUrl, 'worker', `${id}:store`);
  const reader = createRedis(options.redisUrl, 'worker', `${id}:outbox`);
  const problem = await checkRedisForQueues(redis);
  if (problem) {
    redis.disconnect();
    reader.disconnect();
    throw new ConfigError(problem);
  }
  watchRedisPolicy(redis, options.onFatal ?? exitOnFatal(logger));
  const common = { connection: redis, prefix: keys.bullPrefix };
  const queue = new Queue<DeliveryJobData>(keys.webhookQueue, common);
  const publicUrl = settings.api.publicUrl ?? `http://localhost:${settings.env.PORT}`;
  const processor = deliveryProcessor({
    settings,
    store: new JobStore(redis, keys, settings.jobs.retentionMs),
    secrets: secretCache(new WebhookSecrets(redis, keys)),
    log: new DeliveryLog(redis, keys, settings.jobs.retentionMs),
    logger,
    metrics,
    publicUrl,
  });
  // One BullMQ Worker fetches one item per Redis round trip; several share the concurrency and
  // fetch in parallel (as the job workers do; docs/PERFORMANCE.md).
  const fetchers = Math.max(1, Math.min(FETCHERS, Math.floor(settings.webhooks.concurrency / 25)));
  const workers = Array.from(
    { length: fetchers },
    (_, i) =>
      new Worker<DeliveryJobData>(keys.webhookQueue, processor, {
        ...common,
        name: id,
        concurrency:
          Math.floor(settings.webhooks.concurrency / fetchers) +
          (i < settings.webhooks.concurrency % fetchers ? 1 : 0),
      }),
  );
  for (const worker of workers) {
    worker.on('error', (error) => logger.error({ err: error }, 'dispatcher worker error'));
  }
  const outbox = new OutboxReader(
    reader,
    keys,
    id,
    async (events) => {
      await queue.addBulk(
        events.map((event) => ({
          name: 'deliver',
          data: { event, attempts: 0 },
          opts: { jobId: event.id, removeOnComplete: KEEP, removeOnFail: KEEP },
        })),
      );
    },
    (error) => logger.warn({ err: error }, 'reading the webhook outbox failed; retrying'),
  );
  await outbox.start();
  logger.info({ id, concurrency: settings.webhooks.concurrency }, 'webhook dispatcher started');

  return {
    id,
    metrics,
    close: async () => {
      // The outbox read blocks for up to half a second, or for ever while Redis is away.
      await Promise.race([
        outbox.stop(),
        new Promise((resolve) => setTimeout(resolve, 2_000).unref()),
      ]);
      reader.disconnect();
      await Promise.all(workers.map((worker) => worker.close()));
      await queue.close();
      destroyWebhookAgents();
      redis.disconnect();
      logger.info({ id }, 'webhook dispatcher stopped');
    },
  };
}
