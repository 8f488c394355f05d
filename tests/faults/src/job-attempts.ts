import type { Attempt } from '@switchyard/core';
import type { Keys } from '@switchyard/redis-kit';
import type { Redis } from 'ioredis';

/** Each job's recorded provider calls (empty when there is no record), in one pipeline. */
export async function attemptsOf(
  redis: Redis,
  keys: Keys,
  ids: readonly string[],
): Promise<Attempt[][]> {
  const pipeline = redis.pipeline();
  // The attempts live in the record's `doc` field (see @switchyard/queue's job-hash.ts).
  for (const id of ids) pipeline.hget(keys.job(id), 'doc');
  const replies = (await pipeline.exec()) ?? [];
  return replies.map(([error, doc]) => {
    if (error) throw error;
    return doc ? (JSON.parse(doc as string) as { attempts: Attempt[] }).attempts : [];
  });
}
