import { z } from 'zod';
import { FinishReason, type JobError } from './job';
import { JobRequest, Metadata } from './job-request';
import { Message } from './message';

/** Most requests one batch takes (OpenAI's Batch API takes 50,000 lines; ours are live jobs). */
export const MAX_BATCH_REQUESTS = 10_000;

/** The client's name for one request of a batch, unique within it (OpenAI's rule). */
export const CustomId = z
  .string()
  .min(1)
  .max(512)
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  .regex(/^[^\u0000-\u001f]*$/, 'must not contain control characters');

/** One request of a JSON batch: an ordinary job body and its `custom_id`. */
export const BatchRequestItem = JobRequest.extend({ custom_id: CustomId }).meta({
  id: 'BatchRequestItem',
});
export type BatchRequestItem = z.infer<typeof BatchRequestItem>;
export type BatchRequestItemInput = z.input<typeof BatchRequestItem>;

/**
 * `POST /v1/batches` as JSON. `webhook` receives one `batch.completed` event when every request
 * has ended; `metadata` is kept on the batch. Items run at `batch` priority unless they say
 * otherwise.
 */
export const BatchCreateRequest = z
  .strictObject({
    requests: z.array(BatchRequestItem).min(1).max(MAX_BATCH_REQUESTS),
    webhook: JobRequest.shape.webhook,
    metadata: Metadata.default({}),
  })
  .meta({ id: 'BatchCreateRequest' });
export type BatchCreateRequest = z.infer<typeof BatchCreateRequest>;
export type BatchCreateRequestInput = z.input<typeof BatchCreateRequest>;

/** The body of one line of an OpenAI Batch input file: a Chat Completions request. */
export const ChatCompletionsBody = z
  .object({
    model: z.string().min(1).max(200),
    messages: z.array(Message).min(1).max(2_000),
    max_tokens: z.number().int().min(1).max(1_000_000).optional(),
    max_completion_tokens: z.number().int().min(1).max(1_000_000).optional(),
    temperature: z.number().min(0).max(2).optional(),
    top_p: z.number().min(0).max(1).optional(),
    stop: z.union([z.string().min(1), z.array(z.string().min(1)).min(1).max(4)]).optional(),
  })
  .meta({ id: 'ChatCompletionsBody' });
export type ChatCompletionsBody = z.infer<typeof ChatCompletionsBody>;

/** One line of an OpenAI Batch input file (`Content-Type: application/jsonl`). */
export const OpenAIBatchInputLine = z
  .object({
    custom_id: CustomId,
    method: z.literal('POST'),
    url: z.literal('/v1/chat/completions'),
    body: ChatCompletionsBody,
  })
  .meta({ id: 'OpenAIBatchInputLine' });
export type OpenAIBatchInputLine = z.infer<typeof OpenAIBatchInputLine>;

/**
 * `in_progress` while any request is queued or running; `completed` when all ended (whatever
 * each one's outcome); `canceling` between a cancel and the end of the requests already running;
 * `canceled` when those have ended too.
 */
export const BatchStatus = z.enum(['in_progress', 'completed', 'canceling', 'canceled']);
export type BatchStatus = z.infer<typeof BatchStatus>;

/** OpenAI's three counts, and ours: `canceled` counts requests canceled or expired unrun. */
export const BatchRequestCounts = z
  .object({
    total: z.number().int(),
    completed: z.number().int(),
    failed: z.number().int(),
    canceled: z.number().int(),
  })
  .meta({ id: 'BatchRequestCounts' });
export type BatchRequestCounts = z.infer<typeof BatchRequestCounts>;

export const Batch = z
  .object({
    id: z.string(),
    object: z.literal('batch'),
    status: BatchStatus,
    request_counts: BatchRequestCounts,
    created_at: z.iso.datetime(),
    completed_at: z.iso.datetime().nullable(),
    canceled_at: z.iso.datetime().nullable(),
    metadata: Metadata,
    urls: z.object({ get: z.string(), results: z.string(), cancel: z.string() }),
  })
  .meta({ id: 'Batch' });
export type Batch = z.infer<typeof Batch>;

/** A Chat Completions response, as OpenAI's batch output carries it. */
export const ChatCompletion = z
  .object({
    id: z.string(),
    object: z.literal('chat.completion'),
    created: z.number().int(),
    model: z.string(),
    choices: z.array(
      z.object({
        index: z.number().int(),
        message: z.object({ role: z.literal('assistant'), content: z.string() }),
        finish_reason: FinishReason,
      }),
    ),
    usage: z.object({
      prompt_tokens: z.number().int(),
      completion_tokens: z.number().int(),
      total_tokens: z.number().int(),
    }),
  })
  .meta({ id: 'ChatCompletion' });
export type ChatCompletion = z.infer<typeof ChatCompletion>;

/**
 * One line of `GET /v1/batches/{id}/results` (JSONL), in OpenAI's batch output shape: `id` is the
 * request's job ID. A succeeded request has `response` (status 200, a chat completion) and
 * `error: null`; any other end has `response: null` and `error` with the job's error type as
 * `code`.
 */
export const BatchResultLine = z
  .object({
    id: z.string(),
    custom_id: z.string(),
    response: z
      .object({ status_code: z.number().int(), request_id: z.string(), body: ChatCompletion })
      .nullable(),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
  })
  .meta({ id: 'BatchResultLine' });
export type BatchResultLine = z.infer<typeof BatchResultLine>;

/** Reused for a failed request's `error.code`. */
export type BatchItemErrorCode = JobError['type'] | 'expired';
