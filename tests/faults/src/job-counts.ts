import { FINAL_STATUSES, type JobStatus } from '@switchyard/core';
import type { Keys } from '@switchyard/redis-kit';
import type { Redis } from 'ioredis';

const STATUSES: readonly JobStatus[] = ['queued', 'running', ...FINAL_STATUSES];

/** How many of a tenant's jobs are in each status, read from the store's status indexes. */
export async function jobCounts(
  redis: Redis,
  keys: Keys,
  tenantId: string,
): Promise<Map<JobStatus, number>> {
  const sizes = await Promise.all(
    STATUSES.map((status) => redis.zcard(keys.tenantJobsByStatus(tenantId, status))),
  );
  return new Map(STATUSES.map((status, i) => [status, sizes[i]!]));
}

/** Jobs in a final status. */
export function finalCount(counts: Map<JobStatus, number>): number {
  return FINAL_STATUSES.reduce((sum, status) => sum + (counts.get(status) ?? 0), 0);
}

/** `497 succeeded, 3 failed`: the statuses present, for a summary line. */
export function describeCounts(counts: Map<JobStatus, number>): string {
  return [...counts]
    .filter(([, count]) => count > 0)
    .map(([status, count]) => `${count} ${status}`)
    .join(', ');
}

/** Each job's status as stored (`missing` when there is no record), in one pipeline. */
export async function statusesOf(
  redis: Redis,
  keys: Keys,
  ids: readonly string[],
): Promise<Array<JobStatus | 'missing'>> {
  const pipeline = redis.pipeline();
  for (const id of ids) pipeline.hget(keys.job(id), 'status');
  const replies = (await pipeline.exec()) ?? [];
  return replies.map(([, status]) => (status ?? 'missing') as JobStatus | 'missing');
}

/** How many times each value occurs: `{ succeeded: 12, missing: 1 }`, for a message or a line. */
export function tally(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = Object.create(null);
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
