import { modelLabel } from '@switchyard/config';
import { ConflictError, isFinalStatus } from '@switchyard/core';
import { broadcastCancel, cancelByRequest, type JobRecord } from '@switchyard/queue';
import type { ApiDeps } from '../api-deps';
import { getJob } from './job-queries';

/**
 * Cancels a queued or running job: the record turns `canceled` first (so no worker can finish
 * it afterwards), then every worker is told to abort the provider call if one holds it, and a
 * waiting queue item is dropped.
 */
export async function cancelJob(
  deps: ApiDeps,
  tenantId: string,
  jobId: string,
): Promise<JobRecord> {
  const record = await getJob(deps, tenantId, jobId);
  const result = isFinalStatus(record.status)
    ? undefined
    : await deps.store.update(record.id, cancelByRequest(Date.now()));
  if (!result?.changed) {
    const ended = result?.record ?? record;
    throw new ConflictError(`Job ${jobId} already ended (${ended.status}); it cannot be canceled.`);
  }
  deps.metrics.jobsFinished.inc({
    model: modelLabel(deps.settings, record.request.model),
    status: 'canceled',
  });
  await broadcastCancel(deps.redis, deps.keys, record.id);
  await deps.queues.discard(result.record);
  return result.record;
}
