import type { Redis } from 'ioredis';

/**
 * Checks that Redis is safe for queues. BullMQ only warns on an eviction policy, but under
 * eviction Redis silently drops queue keys, i.e. loses jobs; we refuse to run instead.
 * Reads INFO (not CONFIG GET, which managed Redis services often disable).
 * Returns a problem description, or undefined when all is well.
 */
export async function checkRedisForQueues(redis: Redis): Promise<string | undefined> {
  const info = await redis.info('memory');
  const policy = /^maxmemory_policy:(\S+)/m.exec(info)?.[1];
  if (policy && policy !== 'noeviction') {
    return `Redis maxmemory-policy is "${policy}"; Switchyard needs "noeviction" (under eviction Redis drops queued jobs). Set it with: redis-cli CONFIG SET maxmemory-policy noeviction`;
  }
  return undefined;
}

/**
 * Runs the check again every time the connection becomes ready: a failover may land on a Redis
 * configured differently. `onProblem` is told once; the caller decides (the apps exit, so the
 * orchestrator restarts them and the log says why).
 */
export function watchRedisPolicy(redis: Redis, onProblem: (problem: string) => void): void {
  let told = false;
  const check = () =>
    checkRedisForQueues(redis).then(
      (problem) => {
        if (problem && !told) {
          told = true;
          onProblem(problem);
        }
      },
      () => undefined, // unreachable again already: the next 'ready' checks
    );
  redis.on('ready', () => void check());
  if (redis.status === 'ready') void check();
}
