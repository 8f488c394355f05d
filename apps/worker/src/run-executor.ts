import type { Attempt, JobError } from '@switchyard/core';
import type { Logger } from '@switchyard/observability';
import {
  appendAttempt,
  endAtDeadline,
  fail,
  type JobRecord,
  type JobStore,
  recordFallback,
  skipHop,
  succeed,
  recordRetry,
  succeedFromCache,
} from '@switchyard/queue';
import { costUsd } from '@switchyard/providers';
import type { SpendLedger } from '@switchyard/tenancy';
import { settleInterrupted } from './interrupted-call';
import { logProviderCall } from './job-log';
import type { RunAction } from './run-decision';
import type { RunMetrics } from './run-metrics';

/** How a run ends, in BullMQ's terms (the runner turns it into BullMQ's protocol). */
export type RunEnd =
  /** Nothing more to do: the item completes. */
  | { kind: 'done' }
  /** Back to the delayed set until `at` (a retry, a limiter wait, a hand-back). */
  | { kind: 'delayed'; at: number }
  /** The job failed and its record says so: the item fails, without a retry. */
  | { kind: 'failed'; error: JobError; statusCode: number | null };

export type ExecutedStep = { next: JobRecord } | { end: RunEnd };

const DONE: ExecutedStep = { end: { kind: 'done' } };

export interface RunExecutorDeps {
  store: JobStore;
  spend: SpendLedger;
  count: RunMetrics;
}

/**
 * Applies a decision: the record write, the spend, the metrics and the log line. Each write is a
 * compare-and-set from the record the decision saw, so a job cancelled meanwhile is left as it
 * is; only a call that was made is still added to its attempts.
 */
export class RunExecutor {
  constructor(
    private readonly deps: RunExecutorDeps,
    private readonly log: Logger,
  ) {}

  async apply(
    record: JobRecord,
    action: Exclude<RunAction, { do: 'call' }>,
  ): Promise<ExecutedStep> {
    const { store, count } = this.deps;
    const now = Date.now();
    if ('attempt' in action && action.attempt && action.hop) {
      count.call(action.hop.target, action.attempt);
      logProviderCall(this.log, action.attempt);
    }
    switch (action.do) {
      case 'nothing':
        return DONE;
      case 'expire': {
        const expired = await store.update(
          record.id,
          endAtDeadline(now, record.request.cancel_after ?? ''),
          record,
        );
        if (expired?.changed) count.finished(expired.record);
        return DONE;
      }
      case 'succeed': {
        const { hop, answer, attempt } = action;
        if (record.request.cache) count.cacheLookup(action.source);
        count.usage(hop.entry, answer.usage);
        // Spend first: the money is spent once the call answered, whatever happens next, and a
        // client that sees the job end must see its budget already charged.
        await this.deps.spend.record(
          record.tenant_id,
          {
            model: hop.entry,
            inputTokens: answer.usage.input_tokens,
            outputTokens: answer.usage.output_tokens,
            costUsd: answer.usage.cost_usd,
            cached: !attempt,
            // What the cached answer's call cost, at this model's price: the usage report's saving.
            costSavedUsd: attempt
              ? 0
              : costUsd(hop.price, answer.usage.input_tokens, answer.usage.output_tokens),
          },
          new Date(now),
        );
        const mutation = attempt
          ? succeed(now, { ...answer, attempt })
          : succeedFromCache(now, answer);
        const done = await store.update(record.id, mutation, record);
        if (done?.changed) count.finished(done.record);
        // Cancelled while the answer was on its way: keep the call on record.
        else if (attempt) await store.update(record.id, appendAttempt(attempt));
        return DONE;
      }
      case 'retry': {
        const saved = await store.update(record.id, recordRetry(action.attempt), record);
        if (!saved?.changed) return this.lateCall(record, action.attempt);
        count.retry(action.hop.target);
        return { end: { kind: 'delayed', at: now + action.delayMs } };
      }
      case 'move': {
        const { hop, attempt } = action;
        const mutation = attempt ? recordFallback(attempt, action.toHop) : skipHop();
        const moved = await store.update(record.id, mutation, record);
        if (!moved?.changed) return attempt ? this.lateCall(record, attempt) : DONE;
        count.fallback(hop.entry, moved.record, action.reason);
        this.log.info(
          { from: hop.entry, to: moved.record.chain[moved.record.hop], reason: action.reason },
          'falling back',
        );
        return { next: moved.record };
      }
      case 'fail': {
        const { attempt, error } = action;
        const failed = await store.update(record.id, fail(now, error, attempt), record);
        if (!failed?.changed) return attempt ? this.lateCall(record, attempt) : DONE;
        count.finished(failed.record);
        return { end: { kind: 'failed', error, statusCode: attempt?.status_code ?? null } };
      }
      case 'wait':
        if (action.reason === 'no_slot') count.limiterWait(action.hop.target);
        return { end: { kind: 'delayed', at: now + action.delayMs } };
      case 'stop': {
        // No known record: what happened meanwhile (a cancel, or nothing) is read by the write.
        const settled = await store.update(record.id, settleInterrupted(action.attempt));
        if (!settled || settled.record.status !== 'running') return DONE;
        // Our own shutdown stopped a live job: hand it back to the queue for another worker.
        return { end: { kind: 'delayed', at: now } };
      }
    }
  }

  /** A call that ended after the job did (cancelled or expired meanwhile) stays on record. */
  private async lateCall(record: JobRecord, attempt: Attempt): Promise<ExecutedStep> {
    await this.deps.store.update(record.id, appendAttempt(attempt));
    return DONE;
  }
}
