import { type Attempt, isFinalStatus } from '@switchyard/core';
import { appendAttempt, type JobMutation, recordRetry } from '@switchyard/queue';

/** Why a run's signal fired when the job itself is still live: our own shutdown. */
export const SHUTDOWN_REASON = 'worker shutting down';

/**
 * The record of a run whose signal fired. A job that ended (cancelled, or its deadline passed)
 * keeps the call that was cut short; a live one was stopped by our own shutdown, and its call is
 * recorded as such without counting against the model's retries (it says nothing about the
 * provider). Without a call there is nothing to write.
 */
export const settleInterrupted =
  (attempt: Attempt | undefined): JobMutation =>
  (job) => {
    if (!attempt) return undefined;
    return isFinalStatus(job.status)
      ? appendAttempt(attempt)(job)
      : recordRetry({ ...attempt, error: SHUTDOWN_REASON }, false)(job);
  };
