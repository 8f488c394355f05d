import { UnrecoverableError } from 'bullmq';

/**
 * Thrown by the runner after it has already written the job's final status: BullMQ marks the
 * item failed without retrying (it is an UnrecoverableError), and the worker's `failed` handler
 * knows there is nothing left to record. Any other failure BullMQ reports (a job that stalled
 * too often, for one) still has an open record that must be failed.
 */
export class JobEndedError extends UnrecoverableError {}
