import type { Redis } from 'ioredis';
import type { Keys } from './keys';

/** A worker that has not beaten for this long is presumed gone. */
export const HEARTBEAT_TTL_MS = 15_000;

export async function beat(redis: Redis, keys: Keys, workerId: string, now: number): Promise<void> {
  await redis
    .multi()
    .zadd(keys.workers, now, workerId)
    .zremrangebyscore(keys.workers, '-inf', now - HEARTBEAT_TTL_MS)
    .exec();
}

export async function removeWorker(redis: Redis, keys: Keys, workerId: string): Promise<void> {
  await redis.zrem(keys.workers, workerId);
}

/** Worker processes that beat within the TTL: readiness needs at least one. */
export async function countLiveWorkers(redis: Redis, keys: Keys, now: number): Promise<number> {
  return redis.zcount(keys.workers, now - HEARTBEAT_TTL_MS, '+inf');
}
