import { modelLabel } from '@switchyard/config';
import {
  type JobRequest,
  NotFoundError,
  ServiceUnavailableError,
  hashJson,
  newJobId,
  parseDuration,
} from '@switchyard/core';
import { type CreateOutcome, type JobRecord, newJobRecord } from '@switchyard/queue';
import type { Principal, RateLimitDecision } from '@switchyard/tenancy';
import type { ApiDeps } from '../api-deps';
import { admitSubmit, claimIdempotencyKey } from './submit-admission';
import { checkSubmittable } from './submit-checks';

export interface SubmitInput {
  principal: Principal;
  body: JobRequest;
  idempotencyKey: string | undefined;
  /** The submit's `X-Request-Id`, kept in the record for the worker's lines and webhooks. */
  requestId: string;
}

export interface SubmitResult {
  record: JobRecord;
  /** True when an Idempotency-Key matched an earlier request and its job is returned again. */
  replayed: boolean;
  rateLimit: RateLimitDecision;
}

/**
 * Accepts a job: the checks that need no Redis (model chain, prices, webhook), tenant rate
 * limit, budget, idempotency, then the record and its queue item. If the enqueue fails the
 * record is rolled back, so a job the client was told failed (503) never runs, and a job it was
 * told succeeded (202) is always in the queue. A process that dies between the record and the
 * enqueue leaves the job in the pending-enqueue set, from which the EnqueueReconciler queues it
 * (see docs/RELIABILITY.md).
 */
export async function submitJob(deps: ApiDeps, input: SubmitInput): Promise<SubmitResult> {
  const { principal, body } = input;
  const tenant = await deps.tenants.get(principal.tenantId);
  if (!tenant) throw new NotFoundError('The tenant of this API key no longer exists.');
  const chain = checkSubmittable(deps.settings, tenant, body);

  const rateLimit = await admitSubmit(deps, tenant);

  const id = newJobId();
  const claim = await claimIdempotencyKey(
    deps,
    tenant.id,
    input.idempotencyKey,
    hashJson(body),
    id,
    async (jobId) => (await deps.store.getForTenant(tenant.id, jobId)) !== undefined,
  );
  if (claim?.kind === 'replay') {
    const earlier = await deps.store.getForTenant(tenant.id, claim.jobId);
    if (!earlier) throw new NotFoundError('The job of this Idempotency-Key no longer exists.');
    return { record: earlier, replayed: true, rateLimit };
  }

  const now = Date.now();
  const cancelAfterMs = body.cancel_after ? parseDuration(body.cancel_after)! : undefined;
  const record = newJobRecord({
    id,
    tenantId: tenant.id,
    request: body,
    chain,
    now,
    deadlineAt: cancelAfterMs === undefined ? null : now + cancelAfterMs,
    requestId: input.requestId,
  });
  const outboxLimit = deps.settings.webhooks.outboxLimit;
  let created: CreateOutcome;
  try {
    created = await deps.store.create(record, outboxLimit);
    if (created === 'created') await deps.queues.enqueue(record, now);
  } catch (error) {
    await deps.store.remove(record).catch(() => undefined);
    await claim?.release().catch(() => undefined);
    throw error;
  }
  if (created !== 'created') {
    await claim?.release().catch(() => undefined);
    throw refusalOf(created, outboxLimit);
  }
  // The job exists and is queued: a lost commit only costs the next retry a record lookup.
  await claim
    ?.commit()
    .catch((error: unknown) => deps.logger.warn({ err: error }, 'idempotency commit failed'));
  deps.metrics.jobsSubmitted.inc({
    model: modelLabel(deps.settings, body.model),
    lane: body.priority,
  });
  return { record, replayed: false, rateLimit };
}

/** Seconds a client is told to wait when the webhook outbox is full: the dispatcher's catch-up. */
const OUTBOX_FULL_RETRY_AFTER_S = 30;

/** Why a record was not created, as the error the client gets. */
function refusalOf(outcome: Exclude<CreateOutcome, 'created'>, outboxLimit: number): Error {
  if (outcome === 'outbox_full') {
    return new ServiceUnavailableError(
      `The webhook outbox holds its limit of ${outboxLimit} events not yet taken by the dispatcher, so jobs with a webhook are refused until it drains; retry after the Retry-After delay, or submit without a webhook and poll.`,
      OUTBOX_FULL_RETRY_AFTER_S,
    );
  }
  // Job IDs are random: a collision means something is badly wrong, hence a 500.
  return new Error('job ID collision');
}
