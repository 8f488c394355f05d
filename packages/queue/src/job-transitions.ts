import {
  type Attempt,
  type JobError,
  type JobOutput,
  type ServedBy,
  type Usage,
  isFinalStatus,
} from '@switchyard/core';
import type { JobMutation } from './job-store';

/**
 * Every change of a job's state, as pure mutations for JobStore.update. Each one checks the
 * state it starts from, so a late writer (a call finishing after a cancel) changes nothing.
 */

/** running → succeeded, with the call that produced the output. */
export const succeed =
  (
    now: number,
    result: { servedBy: ServedBy; output: JobOutput; usage: Usage; attempt: Attempt },
  ): JobMutation =>
  (job) =>
    job.status === 'running'
      ? {
          ...job,
          status: 'succeeded',
          served_by: result.servedBy,
          output: result.output,
          usage: result.usage,
          attempts: [...job.attempts, result.attempt],
          completed_at: now,
        }
      : undefined;

/**
 * Records a failed call before a retry of the same model. `counts` is false for calls cut short
 * by our own shutdown, which say nothing about the provider.
 */
export const recordRetry =
  (attempt: Attempt, counts = true): JobMutation =>
  (job) =>
    job.status === 'running'
      ? {
          ...job,
          hop_calls: job.hop_calls + (counts ? 1 : 0),
          attempts: [...job.attempts, attempt],
        }
      : undefined;

/**
 * Records a failed call and moves on in the chain (to the next model, or to `toHop`) with a fresh
 * retry cycle; hops only ever move forward, so no model's retry cycle starts twice.
 */
export const recordFallback =
  (attempt: Attempt, toHop?: number): JobMutation =>
  (job) =>
    job.status === 'running'
      ? {
          ...job,
          hop: Math.max(toHop ?? job.hop + 1, job.hop + 1),
          hop_calls: 0,
          attempts: [...job.attempts, attempt],
        }
      : undefined;

/** Moves to the next model of the chain without a call (its circuit is open). */
export const skipHop = (): JobMutation => (job) =>
  job.status === 'running' ? { ...job, hop: job.hop + 1, hop_calls: 0 } : undefined;

/** running → succeeded with an answer no call of this job paid for (cache or a twin's call). */
export const succeedFromCache =
  (now: number, result: { servedBy: ServedBy; output: JobOutput; usage: Usage }): JobMutation =>
  (job) =>
    job.status === 'running'
      ? {
          ...job,
          status: 'succeeded',
          served_by: result.servedBy,
          output: result.output,
          usage: { ...result.usage, cost_usd: 0 },
          cached: true,
          completed_at: now,
        }
      : undefined;

/** Any non-final status → failed. */
export const fail =
  (now: number, error: JobError, attempt?: Attempt): JobMutation =>
  (job) =>
    isFinalStatus(job.status)
      ? undefined
      : {
          ...job,
          status: 'failed',
          error,
          attempts: attempt ? [...job.attempts, attempt] : job.attempts,
          completed_at: now,
        };

/** A client's cancel: queued or running → canceled. */
export const cancelByRequest =
  (now: number): JobMutation =>
  (job) =>
    isFinalStatus(job.status)
      ? undefined
      : {
          ...job,
          status: 'canceled',
          error: { type: 'canceled', message: 'canceled by request' },
          completed_at: now,
        };

/** `cancel_after` reached: a job that never started expires, a running one is cancelled. */
export const endAtDeadline =
  (now: number, cancelAfter: string): JobMutation =>
  (job) => {
    if (job.status === 'queued') {
      return {
        ...job,
        status: 'expired',
        error: {
          type: 'timeout',
          message: `cancel_after (${cancelAfter}) passed before the job started`,
        },
        completed_at: now,
      };
    }
    if (job.status === 'running') {
      return {
        ...job,
        status: 'canceled',
        error: {
          type: 'timeout',
          message: `cancel_after (${cancelAfter}) passed while the job was running`,
        },
        completed_at: now,
      };
    }
    return undefined;
  };

/** Adds the record of a call that ended after the job did (cancelled mid-call). */
export const appendAttempt =
  (attempt: Attempt): JobMutation =>
  (job) => ({ ...job, attempts: [...job.attempts, attempt] });
