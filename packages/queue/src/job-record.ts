import type {
  Attempt,
  JobError,
  JobOutput,
  JobRequest,
  JobStatus,
  ServedBy,
  Usage,
} from '@switchyard/core';

/**
 * The stored truth about one job: the request as accepted, the router's progress and what
 * happened. The public Job object is a view of it (see job-view.ts). Times are epoch ms.
 */
export interface JobRecord {
  id: string;
  tenant_id: string;
  status: JobStatus;
  /** Bumped on every write; writers compare-and-set on it (see job-store.ts). */
  rev: number;
  request: JobRequest;
  /** The `provider/model` chain to try in order: the model (or its route) then fallbacks. */
  chain: string[];
  /** Index in `chain` of the model being tried. */
  hop: number;
  /** Calls made to the current hop; a new hop starts its own retry cycle at 0. */
  hop_calls: number;
  served_by: ServedBy | null;
  output: JobOutput | null;
  usage: Usage | null;
  cached: boolean;
  attempts: Attempt[];
  error: JobError | null;
  created_at: number;
  started_at: number | null;
  completed_at: number | null;
  deadline_at: number | null;
  /**
   * `X-Request-Id` of the submit that created the job: the worker's lines for the job and its
   * webhook deliveries carry it, so one ID follows the job end to end. Internal (the public job
   * shows it nowhere); absent on records written before it was kept and on jobs not created
   * through the API.
   */
  request_id?: string;
  /**
   * The batch the job belongs to, and its `custom_id` there; absent for a job submitted alone.
   * A job's end counts in its batch in the same step as the job's final write (see
   * transitionJobScript).
   */
  batch?: { id: string; custom_id: string };
}

export function newJobRecord(input: {
  id: string;
  tenantId: string;
  request: JobRequest;
  chain: string[];
  now: number;
  deadlineAt: number | null;
  /** The submit's request ID, when the job comes from an HTTP request. */
  requestId?: string;
  /** The batch the job is submitted in, if any. */
  batch?: { id: string; custom_id: string };
}): JobRecord {
  return {
    id: input.id,
    tenant_id: input.tenantId,
    status: 'queued',
    rev: 1,
    request: input.request,
    chain: input.chain,
    hop: 0,
    hop_calls: 0,
    served_by: null,
    output: null,
    usage: null,
    cached: false,
    attempts: [],
    error: null,
    created_at: input.now,
    started_at: null,
    completed_at: null,
    deadline_at: input.deadlineAt,
    ...(input.requestId !== undefined && { request_id: input.requestId }),
    ...(input.batch !== undefined && { batch: input.batch }),
  };
}
