import { ConfigError, maskUrlPassword } from '@switchyard/core';
import { Redis } from 'ioredis';

/** What start-up reads from `INFO` (not CONFIG GET, which managed Redis services often disable). */
export interface RedisFacts {
  version: string;
  maxmemoryPolicy: string;
  aofEnabled: boolean;
}

export interface RedisRequirements {
  /**
   * Run even though Redis may evict keys (SWITCHYARD_ALLOW_REDIS_EVICTION). Under eviction Redis
   * silently drops queue keys, i.e. loses jobs; for the brave only. @defaultValue false
   */
  allowEviction: boolean;
}

/**
 * Oldest Redis we run on: BullMQ 6's scripts use commands and options of Redis 6.2 (`LMOVE`,
 * `ZADD GT`, `GETDEL`…), and older servers fail them at run time, not at connect.
 */
export const MIN_REDIS_VERSION = '6.2.0';

/** How long start-up tries to reach Redis before it says so and stops (within 10 s of launch). */
export const REDIS_REACH_TIMEOUT_MS = 8_000;

/** Reads the facts start-up checks from the text of `INFO` (all sections or the needed ones). */
export function readRedisFacts(info: string): RedisFacts {
  const field = (name: string) => new RegExp(`^${name}:(\\S*)`, 'm').exec(info)?.[1];
  return {
    version: field('redis_version') ?? 'unknown',
    maxmemoryPolicy: field('maxmemory_policy') ?? 'unknown',
    aofEnabled: field('aof_enabled') === '1',
  };
}

/** Why Switchyard must not run on this Redis, as one line with the way out; undefined if fine. */
export function redisProblem(
  facts: RedisFacts,
  requirements: RedisRequirements,
): string | undefined {
  if (compareVersions(facts.version, MIN_REDIS_VERSION) < 0) {
    return `Redis ${facts.version} is too old; Switchyard needs Redis ${MIN_REDIS_VERSION} or newer`;
  }
  if (facts.maxmemoryPolicy !== 'noeviction' && !requirements.allowEviction) {
    return `Redis maxmemory-policy is "${facts.maxmemoryPolicy}"; Switchyard needs "noeviction" (under eviction Redis drops queued jobs). Set it with: redis-cli CONFIG SET maxmemory-policy noeviction (or SWITCHYARD_ALLOW_REDIS_EVICTION=true to run anyway)`;
  }
  return undefined;
}

/** Things worth a warning at start-up that do not stop it. */
export function redisWarnings(facts: RedisFacts, requirements: RedisRequirements): string[] {
  const warnings: string[] = [];
  if (!facts.aofEnabled) {
    warnings.push(
      'Redis runs with AOF off: a Redis crash loses every job written since its last snapshot (set appendonly yes, appendfsync everysec)',
    );
  }
  if (facts.maxmemoryPolicy !== 'noeviction' && requirements.allowEviction) {
    warnings.push(
      `Redis maxmemory-policy is "${facts.maxmemoryPolicy}" and SWITCHYARD_ALLOW_REDIS_EVICTION is set: jobs may be lost under memory pressure`,
    );
  }
  return warnings;
}

export type RedisPreflight =
  { ok: true; facts: RedisFacts; warnings: string[] } | { ok: false; problem: string };

/**
 * Start-up's look at Redis on a connection of its own: reachable within `timeoutMs` (retrying
 * meanwhile, as a Redis starting next to us may need a moment), recent enough, and safe for
 * queues. Never hangs: an unreachable Redis is one line naming the URL (password masked) and the
 * last connection error.
 */
export async function preflightRedis(
  url: string,
  requirements: RedisRequirements,
  timeoutMs = REDIS_REACH_TIMEOUT_MS,
): Promise<RedisPreflight> {
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: Math.min(timeoutMs, 5_000),
    retryStrategy: () => 250,
    connectionName: 'switchyard:preflight',
    // ioredis keeps a timer (2 s by default) for a socket that never connected when told to
    // disconnect; a short-lived check should not hold its process that long.
    disconnectTimeout: 50,
  });
  let lastError = 'no answer';
  redis.on('error', (error: Error) => (lastError = error.message || error.name));
  let timer: NodeJS.Timeout | undefined;
  try {
    const reached = await Promise.race([
      new Promise<true>((resolve) => {
        redis.once('ready', () => resolve(true));
        redis.connect().catch(() => undefined); // retried by retryStrategy; errors seen above
      }),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
    ]);
    if (!reached) {
      return {
        ok: false,
        problem: `REDIS_URL: cannot reach Redis at ${maskUrlPassword(url)} within ${Math.round(timeoutMs / 1_000)} s (${lastError})`,
      };
    }
    const facts = readRedisFacts(await redis.info());
    const problem = redisProblem(facts, requirements);
    return problem
      ? { ok: false, problem }
      : { ok: true, facts, warnings: redisWarnings(facts, requirements) };
  } catch (error) {
    return {
      ok: false,
      problem: `REDIS_URL: Redis at ${maskUrlPassword(url)} did not answer INFO (${(error as Error).message})`,
    };
  } finally {
    clearTimeout(timer);
    redis.disconnect();
  }
}

/**
 * Every process's start: the preflight, its facts logged (AOF state included) and its warnings
 * logged, or a ConfigError whose one line says why this Redis will not do.
 */
export async function requireSafeRedis(
  url: string,
  requirements: RedisRequirements,
  logger: {
    info(fields: object, message: string): void;
    warn(fields: object, message: string): void;
  },
): Promise<RedisFacts> {
  const preflight = await preflightRedis(url, requirements);
  if (!preflight.ok) throw new ConfigError(preflight.problem);
  logger.info({ redis: { url: maskUrlPassword(url), ...preflight.facts } }, 'redis checked');
  for (const warning of preflight.warnings) logger.warn({ redis: preflight.facts }, warning);
  return preflight.facts;
}

/**
 * Checks the Redis a long-lived connection lands on every time it becomes ready: a failover may
 * land on a Redis configured differently. `onProblem` is told once; the caller decides (the apps
 * exit, so the orchestrator restarts them and the log says why).
 */
export function watchRedisPolicy(
  redis: Redis,
  requirements: RedisRequirements,
  onProblem: (problem: string) => void,
): void {
  let told = false;
  const check = () =>
    redis.info().then(
      (info) => {
        const problem = redisProblem(readRedisFacts(info), requirements);
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

/** Compares dotted versions numerically (`6.10.0` > `6.2.0`); unparsable parts count as 0. */
export function compareVersions(a: string, b: string): number {
  const left = a.split('.').map((part) => Number.parseInt(part, 10) || 0);
  const right = b.split('.').map((part) => Number.parseInt(part, 10) || 0);
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const difference = (left[i] ?? 0) - (right[i] ?? 0);
    if (difference !== 0) return Math.sign(difference);
  }
  return 0;
}
