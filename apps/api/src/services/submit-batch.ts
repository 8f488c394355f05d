import { modelLabel } from '@switchyard/config';
import {
  hashJson,
  newBatchId,
  newJobId,
  NotFoundError,
  parseDuration,
  ServiceUnavailableError,
} from '@switchyard/core';
import { type BatchRecord, type JobRecord, newJobRecord } from '@switchyard/queue';
import type { Principal, RateLimitDecision } from '@switchyard/tenancy';
import type { ApiDeps } from '../api-deps';
import type { BatchInput } from './batch-input';
import { admitSubmit, claimIdempotencyKey } from './submit-admission';
import { checkSubmittable, checkWebhook } from './submit-checks';

export interface SubmitBatchInput {
  principal: Principal;
  batch: BatchInput;
  idempotencyKey: string | undefined;
  requestId: string;
}

export interface SubmitBatchResult {
  batch: BatchRecord;
  replayed: boolean;
  rateLimit: RateLimitDecision;
}

/** Seconds a client is told to wait when the webhook outbox is full (as for a job). */
const OUTBOX_FULL_RETRY_AFTER_S = 30;

/**
 * Accepts a batch: every item gets the checks a job gets (model chain, prices, webhook), then
 * the batch as a whole takes one unit of the tenant's submit rate limit (it is one request; its
 * items are paced when they run, by the batch lane's concurrency and the provider limits), the budget is
 * checked, and the Idempotency-Key claimed. The batch and all its job records are written in one
 * MULTI (all or nothing), and enqueued in bulk behind it. A failure rolls everything back, as a
 * job's submit does; a process that dies before enqueueing leaves its jobs in the pending-enqueue
 * set, from which the EnqueueReconciler queues every one.
 */
export async function submitBatch(
  deps: ApiDeps,
  input: SubmitBatchInput,
): Promise<SubmitBatchResult> {
  const { principal, batch: submitted } = input;
  const tenant = await deps.tenants.get(principal.tenantId);
  if (!tenant) throw new NotFoundError('The tenant of this API key no longer exists.');
  const chains = submitted.items.map(({ item, where }) =>
    checkSubmittable(deps.settings, tenant, item, where),
  );
  if (submitted.webhook !== undefined) {
    checkWebhook(deps.settings, submitted.webhook, submitted.webhookPath);
  }

  const rateLimit = await admitSubmit(deps, tenant);
  const id = newBatchId();
  const claim = await claimIdempotencyKey(
    deps,
    tenant.id,
    input.idempotencyKey,
    // Never equal to a job body's hash: a key reused across the two is a mismatch.
    hashJson({ batch: submitted }),
    id,
    async (batchId) => (await deps.batches.getForTenant(tenant.id, batchId)) !== undefined,
  );
  if (claim?.kind === 'replay') {
    const earlier = await deps.batches.getForTenant(tenant.id, claim.jobId);
    if (!earlier) throw new NotFoundError('The batch of this Idempotency-Key no longer exists.');
    return { batch: earlier, replayed: true, rateLimit };
  }

  const now = Date.now();
  const batch: BatchRecord = {
    id,
    tenant_id: tenant.id,
    status: 'in_progress',
    counts: { total: submitted.items.length, completed: 0, failed: 0, canceled: 0 },
    created_at: now,
    completed_at: null,
    canceled_at: null,
    metadata: submitted.metadata,
    webhook: submitted.webhook ?? null,
    request_id: input.requestId,
  };
  const records = submitted.items.map(({ item }, i) => {
    const { custom_id, ...request } = item;
    const cancelAfterMs = request.cancel_after ? parseDuration(request.cancel_after)! : undefined;
    return newJobRecord({
      id: newJobId(),
      tenantId: tenant.id,
      request,
      chain: chains[i]!,
      now,
      deadlineAt: cancelAfterMs === undefined ? null : now + cancelAfterMs,
      requestId: input.requestId,
      batch: { id, custom_id },
    });
  });
  await refuseIfOutboxFull(deps, batch, records);
  await deps.batches.prepare();
  // The records' MULTI goes out first, the queue items right behind it on the same connection
  // (see BatchStore.create): both are awaited together.
  const written = await Promise.allSettled([
    deps.batches.create(batch, records),
    deps.bulkQueues.enqueueMany(records, now),
  ]);
  const failure = written.find((result) => result.status === 'rejected');
  if (failure) {
    // Items whose record is gone are dropped by the worker that takes them (claimRun finds none).
    await deps.batches.remove(batch, records).catch(() => undefined);
    await claim?.release().catch(() => undefined);
    throw failure.reason;
  }
  await claim
    ?.commit()
    .catch((error: unknown) => deps.logger.warn({ err: error }, 'idempotency commit failed'));
  countSubmitted(deps, records);
  return { batch, replayed: false, rateLimit };
}

/**
 * A batch that will write webhook events (its own, or its items') is refused while the outbox is
 * at its limit, as a job with a webhook is; checked once for the whole batch.
 */
async function refuseIfOutboxFull(
  deps: ApiDeps,
  batch: BatchRecord,
  records: readonly JobRecord[],
): Promise<void> {
  const hooks = batch.webhook !== null || records.some((r) => r.request.webhook !== undefined);
  if (!hooks) return;
  const limit = deps.settings.webhooks.outboxLimit;
  if ((await deps.redis.xlen(deps.keys.webhookOutbox)) < limit) return;
  throw new ServiceUnavailableError(
    `The webhook outbox holds its limit of ${limit} events not yet taken by the dispatcher, so batches with a webhook are refused until it drains; retry after the Retry-After delay.`,
    OUTBOX_FULL_RETRY_AFTER_S,
  );
}

function countSubmitted(deps: ApiDeps, records: readonly JobRecord[]): void {
  const counts = new Map<string, { model: string; lane: string; n: number }>();
  for (const record of records) {
    const model = modelLabel(deps.settings, record.request.model);
    const key = `${model}\u0000${record.request.priority}`;
    const entry = counts.get(key) ?? { model, lane: record.request.priority, n: 0 };
    entry.n++;
    counts.set(key, entry);
  }
  for (const { model, lane, n } of counts.values())
    deps.metrics.jobsSubmitted.inc({ model, lane }, n);
}
