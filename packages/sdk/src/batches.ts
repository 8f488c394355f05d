import {
  Batch,
  type BatchRequestItemInput,
  BatchResultLine,
  type Metadata,
} from '@switchyard/core';
import { z } from 'zod';
import { TimeoutError } from './errors';
import { newIdempotencyKey } from './idempotency-key';
import { jsonlLines } from './jsonl';
import { encodeId, sleep, type Transport } from './transport';

/** `GET /v1/batches`: newest first. */
export const BatchList = z.object({
  object: z.literal('list'),
  data: z.array(Batch),
  has_more: z.boolean(),
  next_cursor: z.string().nullable(),
});
export type BatchList = z.infer<typeof BatchList>;

/** A batch as an array of job bodies with their `custom_id`, or an OpenAI Batch input file. */
export type BatchInput = BatchRequestItemInput[] | { jsonl: string };

export interface BatchCreateOptions {
  /** Receives one `batch.completed` event when every request has ended. */
  webhook?: string;
  /** Kept on the batch. Only for an array: an OpenAI JSONL file has no place for it. */
  metadata?: Metadata;
  /** Same key and same body within 24 h returns the same batch. @defaultValue a random UUID */
  idempotencyKey?: string;
}

export interface BatchWaitOptions {
  /** Give up (TimeoutError) after this long. @defaultValue 3600000 (1 h) */
  timeoutMs?: number;
  /** How often to look. @defaultValue 1000 */
  pollIntervalMs?: number;
  /** Called after each look with the latest batch, e.g. to show `request_counts`. */
  onProgress?: (batch: Batch) => void;
  signal?: AbortSignal;
}

const FINAL_BATCH_STATUSES = new Set<Batch['status']>(['completed', 'canceled']);

/** `client.batches`: many jobs in one request, results as JSONL in OpenAI's batch output shape. */
export class Batches {
  constructor(private readonly transport: Transport) {}

  create(input: BatchInput, options: BatchCreateOptions = {}): Promise<Batch> {
    const headers = { 'Idempotency-Key': options.idempotencyKey ?? newIdempotencyKey() };
    if (Array.isArray(input)) {
      const { webhook, metadata } = options;
      const body = { requests: input, webhook, metadata };
      return this.transport.json(Batch, { method: 'POST', path: '/v1/batches', body, headers });
    }
    if (options.metadata !== undefined) {
      // Refused here rather than silently dropped: the wire format has no place for it.
      return Promise.reject(new TypeError('metadata can only be given with an array of requests'));
    }
    return this.transport.json(Batch, {
      method: 'POST',
      path: '/v1/batches',
      query: { webhook: options.webhook },
      body: input.jsonl,
      contentType: 'application/jsonl',
      headers,
    });
  }

  get(id: string): Promise<Batch> {
    return this.transport.json(Batch, { method: 'GET', path: `/v1/batches/${encodeId(id)}` });
  }

  list(options: { limit?: number; cursor?: string } = {}): Promise<BatchList> {
    const { limit, cursor } = options;
    return this.transport.json(BatchList, {
      method: 'GET',
      path: '/v1/batches',
      query: { limit, cursor },
    });
  }

  /** Cancels the requests not yet started; the batch is `canceling` until the running ones end. */
  cancel(id: string): Promise<Batch> {
    return this.transport.json(Batch, {
      method: 'POST',
      path: `/v1/batches/${encodeId(id)}/cancel`,
    });
  }

  /** One line per request that has ended, in submission order, read as the API streams them. */
  async *results(
    id: string,
    options: { signal?: AbortSignal } = {},
  ): AsyncGenerator<BatchResultLine> {
    const response = await this.transport.send({
      method: 'GET',
      path: `/v1/batches/${encodeId(id)}/results`,
      headers: { Accept: 'application/jsonl' },
      signal: options.signal,
    });
    for await (const line of jsonlLines(response.body!))
      yield BatchResultLine.parse(JSON.parse(line));
  }

  /** The batch once every request has ended (`completed`) or it was canceled (`canceled`). */
  async wait(id: string, options: BatchWaitOptions = {}): Promise<Batch> {
    const timeoutMs = options.timeoutMs ?? 60 * 60_000;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const batch = await this.get(id);
      options.onProgress?.(batch);
      if (FINAL_BATCH_STATUSES.has(batch.status)) return batch;
      if (Date.now() >= deadline) {
        throw new TimeoutError(`batch ${id} is still ${batch.status} after ${timeoutMs} ms`);
      }
      // The batch API has no long-poll: look again after a pause, never past the deadline.
      await sleep(Math.min(options.pollIntervalMs ?? 1_000, deadline - Date.now()), options.signal);
    }
  }
}
