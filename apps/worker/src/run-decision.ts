import type { Settings } from '@switchyard/config';
import { type Attempt, isFinalStatus, type JobError } from '@switchyard/core';
import { costUsd, type DedupResult, decideAfterFailure } from '@switchyard/providers';
import type { JobRecord } from '@switchyard/queue';
import type { CallOutcome } from './call-step';
import { currentHop, type Hop } from './hop';
import { largerWindowHop } from './larger-window';
import { type Answer, failedAttempt, succeededAttempt } from './provider-call';

/** How long a job waits after Redis failed a step before its call. */
export const REDIS_RETRY_MS = 1_000;

/** What the runner has just learnt about a job. */
export type RunEvent =
  /** The job is at a hop it has not tried yet: claimed just now, or moved along its chain. */
  | { kind: 'ready' }
  /** Trying `hop` came to `outcome`. */
  | { kind: 'tried'; hop: Hop; outcome: CallOutcome };

/** What to do next. Only `call` keeps the run going without a write; the executor applies the rest. */
export type RunAction =
  | { do: 'call'; hop: Hop }
  /** Claimed after its `cancel_after` passed: it never started. */
  | { do: 'expire' }
  /** `attempt` is the job's own call (absent for an answer from the cache or a twin's call). */
  | {
      do: 'succeed';
      hop: Hop;
      answer: Answer;
      source: DedupResult['source'];
      attempt: Attempt | undefined;
    }
  | { do: 'retry'; hop: Hop; attempt: Attempt; delayMs: number }
  /** On along the chain; `attempt` is the failed call that sent it on, if there was one. */
  | {
      do: 'move';
      hop: Hop;
      toHop: number;
      attempt: Attempt | undefined;
      reason: 'failure' | 'circuit_open' | 'unpriced';
    }
  | { do: 'fail'; hop: Hop | undefined; error: JobError; attempt: Attempt | undefined }
  /** Back to the queue for `delayMs`, with nothing to record: no call was made. */
  | { do: 'wait'; hop: Hop; delayMs: number; reason: 'no_slot' | 'redis_unavailable' }
  /**
   * The job's signal fired: a cancel (or deadline) ended it, or our own shutdown stopped it. Which
   * one the stored record says, so the executor reads it; `attempt` is the call that was cut.
   */
  | { do: 'stop'; hop: Hop; attempt: Attempt | undefined }
  /** Already ended (cancelled, expired, deleted) before this run got to it. */
  | { do: 'nothing' };

/** What the decision needs beyond the record, gathered once per run. */
export interface RunPolicy {
  settings: Pick<Settings, 'retry' | 'models'>;
  /** The providers this worker can call. */
  providers: { has(provider: string): boolean };
  /** False when the tenant has a monthly budget: a model without a price is never called. */
  mayCallUnpriced: boolean;
  /** Set when the tenant's budget is spent and the job has made no call yet. */
  overBudget: { budgetUsd: number; spentUsd: number } | undefined;
  /** Uniform in [0, 1) for retry jitter; injectable so tests are exact. */
  random?: () => number;
}

/**
 * The whole of a job's routing, as one pure function of the record as it stands, what just
 * happened and the policy: no I/O, no clock, no throw. The retry and fallback policy for failed
 * calls is `decideAfterFailure`'s.
 */
export function decide(record: JobRecord, event: RunEvent, policy: RunPolicy): RunAction {
  if (event.kind === 'ready') return decideStart(record, policy);
  const { hop, outcome } = event;
  const hasNextHop = record.hop + 1 < record.chain.length;
  switch (outcome.kind) {
    case 'circuit_open':
      // An open circuit sends the job straight on: no call, so no attempt to record.
      return hasNextHop
        ? { do: 'move', hop, toHop: record.hop + 1, attempt: undefined, reason: 'circuit_open' }
        : {
            do: 'fail',
            hop,
            attempt: undefined,
            error: {
              type: 'provider_error',
              message: `${hop.entry} is failing (circuit open); it will be tried again in ${Math.ceil(outcome.retryInMs / 1_000)} s`,
            },
          };
    case 'no_slot':
      return { do: 'wait', hop, delayMs: outcome.waitMs, reason: 'no_slot' };
    case 'redis_unavailable':
      // Not the job's fault and not a call: back to the queue, to run when Redis answers.
      return { do: 'wait', hop, delayMs: REDIS_RETRY_MS, reason: 'redis_unavailable' };
    case 'aborted':
      return { do: 'stop', hop, attempt: undefined };
    case 'answered': {
      const { response, call } = outcome;
      // An answer this job did not pay for (cache, or an identical job's call) costs nothing.
      const cost = call ? costUsd(hop.price, response.inputTokens, response.outputTokens) : 0;
      const answer: Answer = {
        servedBy: hop.target,
        output: { text: response.text, finish_reason: response.finishReason },
        usage: {
          input_tokens: response.inputTokens,
          output_tokens: response.outputTokens,
          cost_usd: cost,
        },
      };
      const attempt = call && succeededAttempt(call, response.statusCode);
      return { do: 'succeed', hop, answer, source: outcome.source, attempt };
    }
    case 'failed': {
      const attempt = failedAttempt(outcome.call, outcome.failure);
      if (outcome.failure.kind === 'canceled') return { do: 'stop', hop, attempt };
      const step = decideAfterFailure({
        failure: outcome.failure,
        callsOnHop: record.hop_calls + 1,
        hasNextHop,
        largerWindowHop: largerWindowHop(record.chain, record.hop, policy.settings.models),
        retry: policy.settings.retry,
        random: policy.random,
      });
      if (step.action === 'retry') return { do: 'retry', hop, attempt, delayMs: step.delayMs };
      if (step.action === 'fallback') {
        const toHop = Math.max(step.toHop ?? record.hop + 1, record.hop + 1);
        return { do: 'move', hop, toHop, attempt, reason: 'failure' };
      }
      return { do: 'fail', hop, attempt, error: step.error };
    }
  }
}

/** Before a hop is tried: whether the job runs at all, and whether this hop may be called. */
function decideStart(record: JobRecord, policy: RunPolicy): RunAction {
  if (isFinalStatus(record.status)) return { do: 'nothing' };
  // Still queued after a claim: its deadline has passed.
  if (record.status === 'queued') return { do: 'expire' };
  if (policy.overBudget) {
    const { budgetUsd, spentUsd } = policy.overBudget;
    return {
      do: 'fail',
      hop: undefined,
      attempt: undefined,
      error: {
        type: 'budget_exceeded',
        message: `monthly budget of $${budgetUsd} is spent ($${spentUsd.toFixed(4)} this month)`,
      },
    };
  }
  const hop = currentHop(record, policy.settings);
  if (!policy.providers.has(hop.target.provider)) {
    return {
      do: 'fail',
      hop,
      attempt: undefined,
      error: {
        type: 'provider_error',
        message: `provider "${hop.target.provider}" is not configured on this worker`,
      },
    };
  }
  if (!hop.price && !policy.mayCallUnpriced) {
    // A call without a price could not be counted against the tenant's budget.
    if (record.hop + 1 < record.chain.length) {
      return { do: 'move', hop, toHop: record.hop + 1, attempt: undefined, reason: 'unpriced' };
    }
    return {
      do: 'fail',
      hop,
      attempt: undefined,
      error: { type: 'invalid_request', message: unpricedMessage(hop.entry) },
    };
  }
  return { do: 'call', hop };
}

function unpricedMessage(entry: string): string {
  return (
    `${entry} has no price in the config and the tenant has a monthly budget, so it is never ` +
    `called (a call without a price could not be counted), and no model is left after it in ` +
    `the chain. Price it under \`models\` in SWITCHYARD_CONFIG (input_per_million, ` +
    `output_per_million).`
  );
}
