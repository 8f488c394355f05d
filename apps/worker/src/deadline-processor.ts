import { isFinalStatus } from '@switchyard/core';
import type { Keys } from '@switchyard/redis-kit';
import {
  broadcastCancel,
  type DeadlineJobData,
  endAtDeadline,
  type JobQueues,
  type JobStore,
} from '@switchyard/queue';
import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { RunMetrics } from './run-metrics';

/**
 * Fires at a job's `cancel_after` deadline: a job still queued expires (its lane item is
 * dropped), a running one is cancelled and every worker is told to abort its call.
 */
export function deadlineProcessor(deps: {
  store: JobStore;
  queues: JobQueues;
  redis: Redis;
  keys: Keys;
  count: RunMetrics;
}) {
  return async (job: Job<DeadlineJobData>): Promise<void> => {
    const record = await deps.store.get(job.data.jobId);
    if (!record || isFinalStatus(record.status)) return;
    const ended = await deps.store.update(
      record.id,
      endAtDeadline(Date.now(), record.request.cancel_after ?? ''),
    );
    if (!ended?.changed) return;
    deps.count.finished(ended.record);
    if (ended.record.status === 'canceled') await broadcastCancel(deps.redis, deps.keys, record.id);
    await deps.queues.discard(record);
  };
}
