import type { Settings } from '@switchyard/config';
import { type Attempt, type JobError, isFinalStatus, parseModelRef } from '@switchyard/core';
import type { Logger, Metrics } from '@switchyard/observability';
import {
  type CallFailure,
  costUsd,
  decideAfterFailure,
  type ProviderAdapter,
  ProviderCallError,
} from '@switchyard/providers';
import {
  appendAttempt,
  endAtDeadline,
  fail,
  type JobRecord,
  type JobStore,
  recordFallback,
  recordRetry,
  type RunJobData,
  succeed,
} from '@switchyard/queue';
import type { SpendLedger, TenantStore } from '@switchyard/tenancy';
import { DelayedError, type Job } from 'bullmq';
import { JobEndedError } from './job-ended-error';
import { failedAttempt, providerRequest, succeededAttempt } from './provider-call';

export interface JobRunnerDeps {
  settings: Settings;
  store: JobStore;
  /** Tenant lookups for budgets; a short-lived cache is fine (see TenantCache). */
  tenants: Pick<TenantStore, 'get'>;
  spend: SpendLedger;
  adapters: Map<string, ProviderAdapter>;
  logger: Logger;
  metrics: Metrics;
}

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
    let record = await store.claimRun(job.data.jobId, Date.now());
    // Cancelled, expired or deleted before we got here: nothing to do.
    if (!record || isFinalStatus(record.status)) return;
    if (record.status === 'queued') {
      // Still queued after a claim: its deadline has passed.
      await store.update(
        record.id,
        endAtDeadline(Date.now(), record.request.cancel_after ?? ''),
        record,
      );
      return;
    }
    if (record.attempts.length === 0 && record.hop_calls === 0) {
      const overBudget = await this.budgetProblem(record);
      if (overBudget) {
        await store.update(record.id, fail(Date.now(), overBudget), record);
        return;
      }
    }

    for (;;) {
      const entry = record.chain[record.hop]!;
      const target = parseModelRef(entry)!;
      const adapter = this.deps.adapters.get(target.provider);
      if (!adapter) {
        const error: JobError = {
          type: 'provider_error',
          message: `provider "${target.provider}" is not configured on this worker`,
        };
        await store.update(record.id, fail(Date.now(), error), record);
        throw new JobEndedError(error.message);
      }
      const startedAt = Date.now();
      const timing = () => ({ ...target, startedAt, endedAt: Date.now() });
      let failure: CallFailure;
      try {
        const response = await adapter.complete(providerRequest(record, target.model), {
          signal,
          timeoutMs: this.deps.settings.providers[target.provider]!.timeoutMs,
        });
        const attempt = succeededAttempt(timing(), response.statusCode);
        this.countCall(target.provider, target.model, 'succeeded', attempt.latency_ms);
        const cost = costUsd(
          this.deps.settings.models[entry],
          response.inputTokens,
          response.outputTokens,
        );
        // Spend first: the money is spent once the call answered, whatever happens next, and a
        // client that sees the job end must see its budget already charged.
        if (cost) await this.deps.spend.add(record.tenant_id, cost, new Date());
        const done = await store.update(
          record.id,
          succeed(Date.now(), {
            servedBy: target,
            output: { text: response.text, finish_reason: response.finishReason },
            usage: {
              input_tokens: response.inputTokens,
              output_tokens: response.outputTokens,
              cost_usd: cost,
            },
            attempt,
          }),
          record,
        );
        if (done?.changed) this.countFinished(done.record);
        // Cancelled while the answer was on its way: keep the call on record.
        else await store.update(record.id, appendAttempt(attempt));
        return;
      } catch (error) {
        if (!(error instanceof ProviderCallError)) throw error;
        failure = error.failure;
      }

      const attempt = failedAttempt(timing(), failure);
      this.countCall(target.provider, target.model, attempt.outcome, attempt.latency_ms);
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
        retry: this.deps.settings.retry,
      });
      if (step.action === 'retry') {
        const saved = await store.update(record.id, recordRetry(attempt), record);
        if (!saved?.changed) return this.recordLateCall(record.id, attempt);
        await job.moveToDelayed(Date.now() + step.delayMs, token);
        throw new DelayedError();
      }
      if (step.action === 'fallback') {
        const moved = await store.update(record.id, recordFallback(attempt), record);
        if (!moved?.changed) return this.recordLateCall(record.id, attempt);
        record = moved.record;
        this.deps.logger.info(
          { jobId: record.id, from: entry, to: record.chain[record.hop] },
          'falling back',
        );
        continue;
      }
      const failed = await store.update(record.id, fail(Date.now(), step.error, attempt), record);
      if (!failed?.changed) return this.recordLateCall(record.id, attempt);
      this.countFinished(failed.record);
      // BullMQ marks the item failed without retrying, visible in Bull Board.
      throw new JobEndedError(step.error.message);
    }
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

  private countCall(provider: string, model: string, outcome: string, latencyMs: number): void {
    this.deps.metrics.providerCalls.inc({ provider, model, outcome });
    this.deps.metrics.providerLatency.observe({ provider, model }, latencyMs / 1_000);
  }

  private countFinished(record: JobRecord): void {
    this.deps.metrics.jobsFinished.inc({ status: record.status });
    if (record.completed_at !== null) {
      this.deps.metrics.jobDuration.observe(
        { status: record.status },
        (record.completed_at - record.created_at) / 1_000,
      );
    }
  }
}
