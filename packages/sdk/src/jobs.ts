import {
  isFinalStatus,
  Job,
  JobList,
  type JobRequestInput,
  type JobStatus,
} from '@switchyard/core';
import { TimeoutError } from './errors';
import { newIdempotencyKey } from './idempotency-key';
import { encodeId, type Transport } from './transport';

export interface SubmitOptions {
  /**
   * Same key and same body within 24 h returns the same job. @defaultValue a random UUID, so
   * the client's own retries of this submit never create a second job
   */
  idempotencyKey?: string;
  /** Hold the request until the job ends or this many seconds (≤ 60) pass (`Prefer: wait`). */
  waitSeconds?: number;
  signal?: AbortSignal;
}

export interface Submitted {
  job: Job;
  /** True when the Idempotency-Key matched an earlier request: this is that request's job. */
  replayed: boolean;
}

export interface ListOptions {
  status?: JobStatus;
  /** Jobs per page. @defaultValue the API's, 20 */
  limit?: number;
  /** `next_cursor` of the previous page. */
  cursor?: string;
}

export interface WaitOptions {
  /** Give up (TimeoutError) after this long. @defaultValue 600000 (10 min) */
  timeoutMs?: number;
  /** Called after each long-poll with the latest job. */
  onPoll?: (job: Job) => void;
}

/** The longest hold the API grants one long-poll. */
const MAX_WAIT_SECONDS = 60;

export async function submitJob(
  transport: Transport,
  body: JobRequestInput,
  options: SubmitOptions = {},
): Promise<Submitted> {
  const headers: Record<string, string> = {
    'Idempotency-Key': options.idempotencyKey ?? newIdempotencyKey(),
  };
  if (options.waitSeconds) headers.Prefer = `wait=${options.waitSeconds}`;
  const response = await transport.send({
    method: 'POST',
    path: '/v1/jobs',
    body,
    headers,
    signal: options.signal,
  });
  return {
    job: Job.parse(await response.json()),
    replayed: response.headers.get('idempotent-replayed') === 'true',
  };
}

export function getJob(
  transport: Transport,
  id: string,
  options: { waitSeconds?: number } = {},
): Promise<Job> {
  return transport.json(Job, {
    method: 'GET',
    path: `/v1/jobs/${encodeId(id)}`,
    query: { wait: options.waitSeconds || undefined },
  });
}

export function listJobs(transport: Transport, options: ListOptions = {}): Promise<JobList> {
  const { status, limit, cursor } = options;
  return transport.json(JobList, {
    method: 'GET',
    path: '/v1/jobs',
    query: { status, limit, cursor },
  });
}

/** Every job, newest first, page after page. */
export async function* listAllJobs(
  transport: Transport,
  options: { status?: JobStatus } = {},
): AsyncGenerator<Job> {
  let cursor: string | undefined;
  do {
    const page = await listJobs(transport, { status: options.status, cursor });
    yield* page.data;
    cursor = page.has_more && page.next_cursor !== null ? page.next_cursor : undefined;
  } while (cursor !== undefined);
}

export function cancelJob(transport: Transport, id: string): Promise<Job> {
  return transport.json(Job, { method: 'POST', path: `/v1/jobs/${encodeId(id)}/cancel` });
}

/**
 * The job once it has ended, by back-to-back long-polls (the API answers as soon as the job
 * ends, so nothing sleeps in between).
 */
export async function waitForJob(
  transport: Transport,
  id: string,
  options: WaitOptions = {},
): Promise<Job> {
  const timeoutMs = options.timeoutMs ?? 10 * 60_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = Math.ceil((deadline - Date.now()) / 1_000);
    const job = await getJob(transport, id, {
      waitSeconds: Math.max(1, Math.min(MAX_WAIT_SECONDS, left)),
    });
    options.onPoll?.(job);
    if (isFinalStatus(job.status)) return job;
    if (Date.now() >= deadline) {
      throw new TimeoutError(`job ${id} is still ${job.status} after ${timeoutMs} ms`);
    }
  }
}
