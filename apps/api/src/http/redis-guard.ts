import { ServiceUnavailableError } from '@switchyard/core';
import type { RequestHandler } from 'express';
import type { Redis } from 'ioredis';

/**
 * Answers 503 at once while the Redis connection is down, before any command is tried: with
 * the offline queue off a command would fail anyway, this only makes it immediate and uniform.
 */
export function requireRedis(redis: Redis): RequestHandler {
  return (_req, _res, next) => {
    if (redis.status !== 'ready') {
      throw new ServiceUnavailableError('The job store is unreachable; retry shortly.');
    }
    next();
  };
}
