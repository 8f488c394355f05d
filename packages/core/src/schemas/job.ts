import { z } from 'zod';
import { Metadata, Priority } from './job-request';

export const JobStatus = z.enum([
  'queued',
  'running',
  'succeeded',
  'failed',
  'canceled',
  'expired',
]);
export type JobStatus = z.infer<typeof JobStatus>;

export const FINAL_STATUSES: readonly JobStatus[] = ['succeeded', 'failed', 'canceled', 'expired'];
export function isFinalStatus(status: JobStatus): boolean {
  return FINAL_STATUSES.includes(status);
}

export const JobErrorType = z.enum([
  'invalid_request',
  'provider_error',
  'rate_limited',
  'timeout',
  'budget_exceeded',
  'canceled',
]);
export type JobErrorType = z.infer<typeof JobErrorType>;

export const JobError = z
  .object({ type: JobErrorType, message: z.string() })
  .meta({ id: 'JobError' });
export type JobError = z.infer<typeof JobError>;

/** Provider finish reasons normalised across providers (Anthropic's `end_turn` is `stop`, …). */
export const FinishReason = z.enum(['stop', 'length', 'content_filter', 'tool_calls', 'other']);
export type FinishReason = z.infer<typeof FinishReason>;

export const AttemptOutcome = z.enum([
  'succeeded',
  'retryable_error',
  'rate_limited',
  'timeout',
  'terminal_error',
  'canceled',
  /** The worker making the call died before its answer was recorded (see docs/RELIABILITY.md). */
  'lost',
]);
export type AttemptOutcome = z.infer<typeof AttemptOutcome>;

/** One provider call. Every call is recorded, retries and fallbacks included. */
export const Attempt = z
  .object({
    provider: z.string(),
    model: z.string(),
    outcome: AttemptOutcome,
    status_code: z.number().int().nullable(),
    latency_ms: z.number().int(),
    started_at: z.iso.datetime(),
    error: z.string().nullable(),
    retry_after_ms: z.number().int().nullable(),
    /**
     * On a `lost` call only: what it was charged to the tenant's spend, an estimated upper bound
     * (prompt tokens estimated, output at its `max_tokens`); null when the model has no price.
     */
    estimated_cost_usd: z.number().nullable().optional(),
  })
  .meta({ id: 'Attempt' });
export type Attempt = z.infer<typeof Attempt>;

export const Usage = z
  .object({
    input_tokens: z.number().int(),
    output_tokens: z.number().int(),
    /** `null` when the model has no price in the config. */
    cost_usd: z.number().nullable(),
  })
  .meta({ id: 'Usage' });
export type Usage = z.infer<typeof Usage>;

export const JobOutput = z
  .object({ text: z.string(), finish_reason: FinishReason })
  .meta({ id: 'JobOutput' });
export type JobOutput = z.infer<typeof JobOutput>;

export const ServedBy = z.object({ provider: z.string(), model: z.string() });
export type ServedBy = z.infer<typeof ServedBy>;

export const JobMetrics = z.object({
  queue_ms: z.number().int().nullable(),
  run_ms: z.number().int().nullable(),
  total_ms: z.number().int().nullable(),
});
export type JobMetrics = z.infer<typeof JobMetrics>;

/** The job object every job route answers with. */
export const Job = z
  .object({
    id: z.string(),
    object: z.literal('job'),
    status: JobStatus,
    model: z.string(),
    priority: Priority,
    served_by: ServedBy.nullable(),
    output: JobOutput.nullable(),
    usage: Usage.nullable(),
    cached: z.boolean(),
    attempts: z.array(Attempt),
    error: JobError.nullable(),
    metrics: JobMetrics,
    created_at: z.iso.datetime(),
    started_at: z.iso.datetime().nullable(),
    completed_at: z.iso.datetime().nullable(),
    /** When `cancel_after` ends the job, if it was given. */
    deadline_at: z.iso.datetime().nullable(),
    metadata: Metadata,
    urls: z.object({ get: z.string(), cancel: z.string(), events: z.string() }),
  })
  .meta({ id: 'Job' });
export type Job = z.infer<typeof Job>;

export const JobList = z
  .object({
    object: z.literal('list'),
    data: z.array(Job),
    has_more: z.boolean(),
    /** Pass as `cursor` to get the next page; `null` on the last page. */
    next_cursor: z.string().nullable(),
  })
  .meta({ id: 'JobList' });
export type JobList = z.infer<typeof JobList>;
