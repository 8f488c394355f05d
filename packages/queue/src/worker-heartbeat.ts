import type { Redis } from 'ioredis';
import type { Keys } from '@switchyard/redis-kit';

/** A worker that has not beaten for this long is presumed gone. */
export const HEARTBEAT_TTL_MS = 15_000;

/** What a worker says of itself with each beat. */
export interface WorkerStatus {
  /** False when a queue it serves has work and free slots but it takes nothing (stalled). */
  consuming: boolean;
  /** Queues it is stalled on. */
  stalled: string[];
  in_flight: number;
  capacity: number;
}

/** One beat: alive now, with its status, which expires with the beat. */
export async function beat(
  redis: Redis,
  keys: Keys,
  workerId: string,
  now: number,
  status: WorkerStatus,
): Promise<void> {
  await redis
    .multi()
    .zadd(keys.workers, now, workerId)
    .zremrangebyscore(keys.workers, '-inf', now - HEARTBEAT_TTL_MS)
    .set(keys.workerStatus(workerId), JSON.stringify(status), 'PX', HEARTBEAT_TTL_MS)
    .exec();
}

export async function removeWorker(redis: Redis, keys: Keys, workerId: string): Promise<void> {
  await redis.multi().zrem(keys.workers, workerId).del(keys.workerStatus(workerId)).exec();
}

export interface WorkerCensus {
  /** Worker processes that beat within the TTL. */
  live: number;
  /** Of those, the ones that are taking work (not stalled). Readiness needs at least one. */
  consuming: number;
}

/** Counts the live workers and the consuming ones, in two round trips. */
export async function readWorkerCensus(
  redis: Redis,
  keys: Keys,
  now: number,
): Promise<WorkerCensus> {
  const ids = await redis.zrangebyscore(keys.workers, now - HEARTBEAT_TTL_MS, '+inf');
  if (ids.length === 0) return { live: 0, consuming: 0 };
  const statuses = await redis.mget(ids.map((id) => keys.workerStatus(id)));
  const consuming = statuses.filter((status) => status === null || isConsuming(status)).length;
  return { live: ids.length, consuming };
}

/** A status that does not parse counts as consuming: only a worker's own "stalled" says not. */
function isConsuming(status: string): boolean {
  try {
    return (JSON.parse(status) as Partial<WorkerStatus>).consuming !== false;
  } catch {
    return true;
  }
}
