import type { Redis } from 'ioredis';
import type { Keys } from './keys';

/** Tells every worker process to abort the job's provider call, if one is running it. */
export async function broadcastCancel(redis: Redis, keys: Keys, jobId: string): Promise<void> {
  await redis.publish(keys.cancelChannel, jobId);
}

/** Calls `onCancel(jobId)` for every cancel broadcast; resolves once subscribed. */
export async function onCancelBroadcast(
  subscriber: Redis,
  keys: Keys,
  onCancel: (jobId: string) => void,
): Promise<void> {
  subscriber.on('message', (channel: string, jobId: string) => {
    if (channel === keys.cancelChannel) onCancel(jobId);
  });
  await subscriber.subscribe(keys.cancelChannel);
}
