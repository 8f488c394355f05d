import { type RedisServer, startRedisServer } from '@switchyard/redis-server';
import { trackProcess } from './live-processes';
import type { Scope } from './scope';

/**
 * A redis-server with the product's persistence (AOF, `appendfsync everysec`, as docker-compose
 * and the Kubernetes config run it), in a temporary directory, stopped when `scope` closes.
 * Every scenario and baseline uses it, so a figure and its baseline pay the same for durability.
 */
export async function startBenchRedis(scope: Scope): Promise<RedisServer> {
  const redis = await startRedisServer({ appendOnly: true });
  trackProcess(redis.pid, redis.exited);
  return scope.add(redis, (r) => r.stop());
}
