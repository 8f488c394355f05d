import type { JobError } from '@switchyard/core';
import { UnrecoverableError } from 'bullmq';

/**
 * Thrown by the runner after it has already written the job's final status: BullMQ marks the
 * item failed without retrying (it is an UnrecoverableError), and the worker's `failed` handler
 * knows there is nothing left to record. Any other failure BullMQ reports (a job that stalled
 * too often, for one) still has an open record that must be failed.
 *
 * Its message is what Bull Board shows as the item's failure reason, to admins and viewers
 * alike: the error's type and the provider's HTTP status, never the error's text, which may be a
 * provider's own words quoting the request. The job record has the whole error.
 */
export class JobEndedError extends UnrecoverableError {
  constructor(error: JobError, statusCode?: number | null) {
    super(`${error.type}${statusCode ? ` (HTTP ${statusCode})` : ''}: see the job record`);
  }
}
