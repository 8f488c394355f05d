import type { Redis } from 'ioredis';
import type { Keys } from '@switchyard/redis-kit';
import { whenReady, isRedisUnavailableError } from '@switchyard/redis-kit';

/** Tells every worker process to abort the job's provider call, if one is running it. */
export async function broadcastCancel(redis: Redis, keys: Keys, jobId: string): Promise<void> {
  await redis.publish(keys.cancelChannel, jobId);
}

/**
 * A worker starting just after an outage can see its first SUBSCRIBE time out on a Redis still
 * catching up (or on its own event loop busy loading code); SUBSCRIBE is idempotent, so it tries
 * again rather than failing the start. A Redis that stays away still fails it.
 */
const SUBSCRIBE_ATTEMPTS = 5;

/** Calls `onCancel(jobId)` for every cancel broadcast; resolves once subscribed. */
export async function onCancelBroadcast(
  subscriber: Redis,
  keys: Keys,
  onCancel: (jobId: string) => void,
): Promise<void> {
  subscriber.on('message', (channel: string, jobId: string) => {
    if (channel === keys.cancelChannel) onCancel(jobId);
  });
  for (let attempt = 1; ; attempt++) {
    try {
      await subscriber.subscribe(keys.cancelChannel);
      return;
    } catch (error) {
      if (attempt === SUBSCRIBE_ATTEMPTS || !isRedisUnavailableError(error)) throw error;
      await whenReady(subscriber);
    }
  }
}
