import { ConflictError, isFinalStatus, type JobStatus } from '@switchyard/core';
import { assembleRecord, BATCH_SLICE, type BatchRecord, RECORD_FIELDS } from '@switchyard/queue';
import type { ApiDeps } from '../api-deps';
import { getBatch } from './batch-queries';
import { cancelRecord } from './cancel-job';

/**
 * Cancels a batch: it turns `canceling` first (atomically, so a batch whose last job just ended
 * is `completed` and answers 409), then every job of it not yet ended is canceled the way a
 * single job is (cancel-job.ts), a slice at a time. Each cancel counts in the batch in the job's
 * own step, and the last end closes the batch as `canceled`. A cancel cut short (the process
 * died) leaves the batch `canceling`: its remaining jobs still end (by running, or by a repeated
 * cancel, which is allowed and does the rest).
 */
export async function cancelBatch(
  deps: ApiDeps,
  tenantId: string,
  batchId: string,
): Promise<BatchRecord> {
  const batch = await getBatch(deps, tenantId, batchId);
  const before = await deps.batches.markCanceling(batch.id);
  if (before === 'completed') {
    throw new ConflictError(`Batch ${batch.id} already completed; it cannot be canceled.`);
  }
  if (before === 'in_progress' || before === 'canceling') await cancelJobs(deps, batch.id);
  return (await deps.batches.get(batch.id)) ?? batch;
}

/** Cancels the batch's jobs that have not ended, BATCH_SLICE at a time. */
async function cancelJobs(deps: ApiDeps, batchId: string): Promise<void> {
  for (let start = 0; ; start += BATCH_SLICE) {
    const ids = await deps.batches.jobIds(batchId, start, start + BATCH_SLICE - 1);
    if (!ids.length) return;
    const rows = await deps.redis
      .pipeline(ids.map((id) => ['hmget', deps.keys.job(id), ...RECORD_FIELDS]))
      .exec();
    const open = (rows ?? []).flatMap(([error, row]) => {
      if (error) throw error;
      const [doc, status, rev, startedAt] = row as Array<string | null>;
      if (!doc || isFinalStatus(status as JobStatus)) return [];
      return [assembleRecord(doc, status!, rev!, startedAt ?? null)];
    });
    await Promise.all(open.map((record) => cancelRecord(deps, record)));
  }
}
