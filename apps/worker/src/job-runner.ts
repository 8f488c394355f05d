import type { Settings } from '@switchyard/config';
import { type Attempt, type JobError, isFinalStatus, parseModelRef } from '@switchyard/core';
import type { Logger } from '@switchyard/observability';
import { costUsd, decideAfterFailure, type ProviderPools } from '@switchyard/providers';
import {
  appendAttempt,
  endAtDeadline,
  fail,
  type JobRecord,
  type JobStore,
  recordFallback,
  recordRetry,
  type RunJobData,
  skipHop,
  succeed,
  succeedFromCache,
} from '@switchyard/queue';
import type { SpendLedger, TenantStore } from '@switchyard/tenancy';
import { DelayedError, type Job } from 'bullmq';
import type { HopCaller } from './hop-caller';
import { JobEndedError } from './job-ended-error';
import { jobLogger, logProviderCall } from './job-log';
import { largerWindowHop } from './larger-window';
import { failedAttempt, succeededAttempt } from './provider-call';
import type { RunMetrics } from './run-metrics';

export interface JobRunnerDeps {
  settings: Settings;
  store: JobStore;
  /** Tenant lookups for budgets; a short-lived cache is fine (see TenantCache). */
  tenants: Pick<TenantStore, 'get'>;
  spend: SpendLedger;
  pools: ProviderPools;
  /** Calls the current model of a job's chain (cache, circuit, limits, key, SDK). */
  hops: HopCaller;
  logger: Logger;
  /** What it counts (labels bounded by the config). */
  count: RunMetrics;
}

/** How long a job waits after Redis failed a step before its call. */
const REDIS_RETRY_MS = 1_000;

/** Why a run's signal fired when the job itself is still live: our own shutdown. */
export const SHUTDOWN_REASON = 'worker shutting down';

/**
 * Runs one activation of a lane job: walks the job's model chain, calling providers until one
 * succeeds, the policy gives up, or the job is cancelled. Retries wait in BullMQ's delayed set
 * (not in this process), so a crash loses nothing and a long Retry-After holds no slot.
 */
export class JobRunner {
  constructor(private readonly deps: JobRunnerDeps) {}

  async run(job: Job<RunJobData>, token: string | undefined, signal: AbortSignal): Promise<void> {
    const { store } = this.deps;
    // One round trip: read the job and, unless it ended or its deadline passed, start it.
    const claimedAt = Date.now();
    let record = await store.claimRun(job.data.jobId, claimedAt);
    // Cancelled, expired or deleted before we got here: nothing to do.
    if (!record || isFinalStatus(record.status)) return;
    // Started by this claim (not a retry or a limiter wait coming back): its wait in the queue.
    if (record.started_at === claimedAt) this.deps.count.started(record, claimedAt);
    const log = jobLogger(this.deps.logger, record);
    if (record.status === 'queued') {
      // Still queued after a claim: its deadline has passed.
      const expired = await store.update(
        record.id,
        endAtDeadline(Date.now(), record.request.cancel_after ?? ''),
        record,
      );
      if (expired?.changed) this.deps.count.finished(expired.record);
      return;
    }
    if (record.attempts.length === 0 && record.hop_calls === 0) {
      const overBudget = await this.budgetProblem(record);
      if (overBudget) {
        const failed = await store.update(record.id, fail(Date.now(), overBudget), record);
        if (failed?.changed) this.deps.count.finished(failed.record);
        return;
      }
    }

    for (;;) {
      const entry = record.chain[record.hop]!;
      const target = parseModelRef(entry)!;
      if (!this.deps.pools.has(target.provider)) {
        return this.failJob(record, {
          type: 'provider_error',
          message: `provider "${target.provider}" is not configured on this worker`,
        });
      }
      const outcome = await this.deps.hops.call(record, entry, signal);

      if (outcome.kind === 'circuit_open') {
        // An open circuit sends the job straight on: no call, so no attempt to record.
        if (record.hop + 1 < record.chain.length) {
          const moved = await store.update(record.id, skipHop(), record);
          if (!moved?.changed) return;
          record = moved.record;
          this.deps.count.fallback(entry, record, 'circuit_open');
          log.info({ from: entry }, 'circuit open: falling back');
          continue;
        }
        return this.failJob(record, {
          type: 'provider_error',
          message: `${entry} is failing (circuit open); it will be tried again in ${Math.ceil(outcome.retryInMs / 1_000)} s`,
        });
      }
      if (outcome.kind === 'no_slot') {
        // No slot soon: wait in BullMQ's delayed set. Not a call, not an attempt.
        this.deps.count.limiterWait(target);
        await job.moveToDelayed(Date.now() + outcome.waitMs, token);
        throw new DelayedError();
      }
      if (outcome.kind === 'redis_unavailable') {
        // Not the job's fault and not a call: back to the queue, to run when Redis answers.
        await job.moveToDelayed(Date.now() + REDIS_RETRY_MS, token);
        throw new DelayedError();
      }
      if (outcome.kind === 'aborted') {
        const current = await store.get(record.id);
        if (!current || isFinalStatus(current.status)) return;
        // Our own shutdown while the job waited: hand it back to the queue.
        await job.moveToDelayed(Date.now(), token);
        throw new DelayedError();
      }
      if (outcome.kind === 'answered') {
        const { response, call } = outcome;
        if (record.request.cache) this.deps.count.cacheLookup(outcome.source);
        // An answer this job did not pay for (cache, or an identical job's call) costs nothing.
        const cost = call
          ? costUsd(this.deps.settings.models[entry], response.inputTokens, response.outputTokens)
          : 0;
        const answer = {
          servedBy: target,
          output: { text: response.text, finish_reason: response.finishReason },
          usage: {
            input_tokens: response.inputTokens,
            output_tokens: response.outputTokens,
            cost_usd: cost,
          },
        };
        this.deps.count.usage(entry, answer.usage);
        // Spend first: the money is spent once the call answered, whatever happens next, and a
        // client that sees the job end must see its budget already charged.
        await this.deps.spend.record(
          record.tenant_id,
          {
            model: entry,
            inputTokens: response.inputTokens,
            outputTokens: response.outputTokens,
            costUsd: cost,
            cached: !call,
          },
          new Date(),
        );
        if (!call) {
          const done = await store.update(record.id, succeedFromCache(Date.now(), answer), record);
          if (done?.changed) this.deps.count.finished(done.record);
          return;
        }
        const attempt = succeededAttempt(call, response.statusCode);
        this.deps.count.call(target, attempt);
        logProviderCall(log, attempt);
        const done = await store.update(
          record.id,
          succeed(Date.now(), { ...answer, attempt }),
          record,
        );
        if (done?.changed) this.deps.count.finished(done.record);
        // Cancelled while the answer was on its way: keep the call on record.
        else await store.update(record.id, appendAttempt(attempt));
        return;
      }

      const { failure } = outcome;
      const attempt = failedAttempt(outcome.call, failure);
      this.deps.count.call(target, attempt);
      logProviderCall(log, attempt);
      if (failure.kind === 'canceled') {
        const current = await store.get(record.id);
        if (current && isFinalStatus(current.status)) {
          await store.update(record.id, appendAttempt(attempt));
          return;
        }
        // Aborted by our own shutdown: hand the job back to the queue for another worker.
        await store.update(record.id, recordRetry({ ...attempt, error: SHUTDOWN_REASON }, false));
        await job.moveToDelayed(Date.now(), token);
        throw new DelayedError();
      }

      const step = decideAfterFailure({
        failure,
        callsOnHop: record.hop_calls + 1,
        hasNextHop: record.hop + 1 < record.chain.length,
        largerWindowHop: largerWindowHop(record.chain, record.hop, this.deps.settings.models),
        retry: this.deps.settings.retry,
      });
      if (step.action === 'retry') {
        const saved = await store.update(record.id, recordRetry(attempt), record);
        if (!saved?.changed) return this.recordLateCall(record.id, attempt);
        this.deps.count.retry(target);
        await job.moveToDelayed(Date.now() + step.delayMs, token);
        throw new DelayedError();
      }
      if (step.action === 'fallback') {
        const moved = await store.update(record.id, recordFallback(attempt, step.toHop), record);
        if (!moved?.changed) return this.recordLateCall(record.id, attempt);
        record = moved.record;
        this.deps.count.fallback(entry, record, 'failure');
        log.info({ from: entry, to: record.chain[record.hop] }, 'falling back');
        continue;
      }
      const failed = await store.update(record.id, fail(Date.now(), step.error, attempt), record);
      if (!failed?.changed) return this.recordLateCall(record.id, attempt);
      this.deps.count.finished(failed.record);
      // BullMQ marks the item failed without retrying, visible in Bull Board.
      throw new JobEndedError(step.error, attempt.status_code);
    }
  }

  /** Fails the job without a call; BullMQ marks the item failed, visible in Bull Board. */
  private async failJob(record: JobRecord, error: JobError): Promise<never> {
    const failed = await this.deps.store.update(record.id, fail(Date.now(), error), record);
    if (failed?.changed) this.deps.count.finished(failed.record);
    throw new JobEndedError(error);
  }

  /** A call that ended after the job did (cancelled or expired meanwhile) stays on record. */
  private async recordLateCall(jobId: string, attempt: Attempt): Promise<void> {
    await this.deps.store.update(jobId, appendAttempt(attempt));
  }

  private async budgetProblem(record: JobRecord): Promise<JobError | undefined> {
    const tenant = await this.deps.tenants.get(record.tenant_id);
    const over = tenant && (await this.deps.spend.overBudget(tenant, new Date()));
    if (!over) return undefined;
    return {
      type: 'budget_exceeded',
      message: `monthly budget of $${over.budgetUsd} is spent ($${over.spentUsd.toFixed(4)} this month)`,
    };
  }
}
