import { isFinalStatus } from '@switchyard/core';
import type { Keys } from '@switchyard/redis-kit';
import { batchCounterOf } from './batch-record';
import type { JobRecord } from './job-record';
import { newWebhookEvent } from './webhook-event';

/** The batch arguments of transitionJobScript (all '' when the write ends no job of a batch). */
export interface BatchEndArgs {
  batch_key: string;
  batch_counter: string;
  batch_member: string;
  batch_event: string;
}

const NONE: BatchEndArgs = { batch_key: '', batch_counter: '', batch_member: '', batch_event: '' };

/**
 * What a job's write tells its batch: nothing, unless it ends the job (a status that was not
 * final becomes final; a later write to an ended job, such as an attempt appended after a
 * cancel, counts nothing). The compare-and-set on `rev` makes `before` the status stored, so
 * each job's end counts exactly once. The `batch.completed` event is made here in case this end
 * is the batch's last; the script drops it otherwise, or when the batch has no webhook.
 */
export function batchEndOf(
  keys: Keys,
  before: JobRecord,
  after: JobRecord,
  now: number,
): BatchEndArgs {
  const batch = after.batch;
  if (!batch || isFinalStatus(before.status) || !isFinalStatus(after.status)) return NONE;
  return {
    batch_key: keys.batch(batch.id),
    batch_counter: batchCounterOf(after.status),
    batch_member: `${after.tenant_id}|batches|${batch.id}`,
    batch_event: JSON.stringify(newWebhookEvent('batch.completed', batch.id, now)),
  };
}
