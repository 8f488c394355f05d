import { FINAL_STATUSES, type JobStatus } from '@switchyard/core';
import type { Keys } from '@switchyard/queue';
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
