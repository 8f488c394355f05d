import type { Redis, RedisOptions } from 'ioredis';
import { ResilientRedis } from './resilient-redis';

/**
 * How a connection is used decides how it must behave when Redis goes away or stops answering:
 * - `api`: fail at once (no offline queue) and give up on a command after COMMAND_TIMEOUT_MS,
 *   so a request is answered 503 promptly instead of waiting on Redis;
 * - `subscriber`: pub/sub for waiters, fails the same way; resubscribes by itself after a
 *   reconnect;
 * - `worker`: queue commands and retry for as long as it takes (what BullMQ workers require),
 *   so a job in flight finishes its bookkeeping once Redis is back instead of being lost;
 * - `bulk`: as `api`, but a command may take up to BULK_COMMAND_TIMEOUT_MS: for the API's few
 *   large writes (a batch of 10,000 jobs is megabytes in one MULTI), kept off the `api`
 *   connection so they neither need its short timeout nor hold up the small commands behind them.
 */
export type ConnectionRole = 'api' | 'subscriber' | 'worker' | 'bulk';

/** Longest an API command may take: Redis answers in microseconds when it is well. */
export const COMMAND_TIMEOUT_MS = 2_000;
/** Longest a `bulk` command may take: writing megabytes on a busy machine takes seconds. */
export const BULK_COMMAND_TIMEOUT_MS = 30_000;

export function createRedis(url: string, role: ConnectionRole, name?: string): Redis {
  const options: RedisOptions = {
    connectionName: name,
    // Reconnect quickly at first, then every 2 s at most: Redis restarts are usually short.
    retryStrategy: (times) => Math.min(50 * 2 ** times, 2_000),
    connectTimeout: 5_000,
  };
  if (role === 'worker') {
    options.maxRetriesPerRequest = null;
  } else {
    options.enableOfflineQueue = false;
    options.maxRetriesPerRequest = 1;
    options.commandTimeout = role === 'bulk' ? BULK_COMMAND_TIMEOUT_MS : COMMAND_TIMEOUT_MS;
  }
  const redis = new ResilientRedis(url, options);
  // Without a listener ioredis would print every reconnect error; callers watch `status`.
  redis.on('error', () => undefined);
  return redis;
}

/** Resolves when the connection is ready (or at once if it already is). */
export function whenReady(redis: Redis): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => redis.once('ready', () => resolve()));
}
