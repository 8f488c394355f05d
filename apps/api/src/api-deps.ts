import type { Settings } from '@switchyard/config';
import type { ApiMetrics, Logger } from '@switchyard/observability';
import type { Keys } from '@switchyard/redis-kit';
import type {
  BatchStore,
  IdempotencyStore,
  JobQueues,
  JobStore,
  JobWatcher,
} from '@switchyard/queue';
import type {
  OperatorTokens,
  SpendLedger,
  TenantRateLimiter,
  TenantStore,
  WebhookSecrets,
} from '@switchyard/tenancy';
import type { Redis } from 'ioredis';
import type { Drain } from './http/drain';

/** Everything the API's services and routes use, built once in api-app.ts. */
export interface ApiDeps {
  settings: Settings;
  logger: Logger;
  metrics: ApiMetrics;
  /** Fails fast when Redis is away (no offline queue), so requests get a prompt 503. */
  redis: Redis;
  /** Pub/sub for waiters; fails fast too, and resubscribes by itself after a reconnect. */
  subscriber: Redis;
  keys: Keys;
  store: JobStore;
  batches: BatchStore;
  queues: JobQueues;
  /**
   * The queues on the `bulk` connection, for a batch's items: they must follow the batch's
   * records on the same connection (see BatchStore.create).
   */
  bulkQueues: JobQueues;
  watcher: JobWatcher;
  idempotency: IdempotencyStore;
  tenants: TenantStore;
  limiter: TenantRateLimiter;
  spend: SpendLedger;
  webhookSecrets: WebhookSecrets;
  operators: OperatorTokens;
  /** Begun on SIGTERM: held requests answer at once, readiness fails (see Drain). */
  drain: Drain;
}
