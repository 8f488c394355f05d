import { modelLabel } from '@switchyard/config';
import { ConflictError, isFinalStatus } from '@switchyard/core';
import {
  broadcastCancel,
  cancelByRequest,
  type JobRecord,
  type UpdateResult,
} from '@switchyard/queue';
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
  const result = isFinalStatus(record.status) ? undefined : await cancelRecord(deps, record);
  if (!result?.changed) {
    const ended = result?.record ?? record;
    throw new ConflictError(`Job ${jobId} already ended (${ended.status}); it cannot be canceled.`);
  }
  return result.record;
}

/**
 * Cancels a job not yet ended (a batch's cancel runs this for each of its jobs): `changed` is
 * false when it ended meanwhile, and undefined comes back for a job that is gone.
 */
export async function cancelRecord(
  deps: ApiDeps,
  record: JobRecord,
): Promise<UpdateResult | undefined> {
  const result = await deps.store.update(record.id, cancelByRequest(Date.now()), record);
  if (!result?.changed) return result;
  deps.metrics.jobsFinished.inc({
    model: modelLabel(deps.settings, record.request.model),
    status: 'canceled',
  });
  await broadcastCancel(deps.redis, deps.keys, record.id);
  await deps.queues.discard(result.record);
  return result;
}
