import {
  type BatchItemErrorCode,
  type BatchResultLine,
  type ChatCompletion,
  isFinalStatus,
  type JobStatus,
} from '@switchyard/core';
import { assembleRecord, BATCH_SLICE, type JobRecord, RECORD_FIELDS } from '@switchyard/queue';
import type { ApiDeps } from '../api-deps';

/**
 * The batch's result lines as JSONL text, one chunk per slice of BATCH_SLICE jobs in submission
 * order, each slice read in one pipelined round trip: however large the batch, one slice is in
 * memory at a time, and the next is read only when the consumer asks (the route waits for the
 * socket to drain first). Jobs not yet ended, and records already expired, have no line.
 */
export async function* resultChunks(deps: ApiDeps, batchId: string): AsyncGenerator<string> {
  for (let start = 0; ; start += BATCH_SLICE) {
    const ids = await deps.batches.jobIds(batchId, start, start + BATCH_SLICE - 1);
    if (!ids.length) return;
    const rows = await deps.redis
      .pipeline(ids.map((id) => ['hmget', deps.keys.job(id), ...RECORD_FIELDS]))
      .exec();
    let text = '';
    for (const [error, row] of rows ?? []) {
      if (error) throw error;
      const [doc, status, rev, startedAt] = row as Array<string | null>;
      if (!doc || !isFinalStatus(status as JobStatus)) continue;
      const line = resultLine(assembleRecord(doc, status!, rev!, startedAt ?? null));
      if (line) text += `${JSON.stringify(line)}\n`;
    }
    if (text) yield text;
  }
}

/**
 * An ended job of a batch in OpenAI's batch output shape: `id` is the job's ID; a succeeded job
 * answers as a chat completion with status 200 and the batch submit's request ID; any other end
 * has `response: null` and `error.code` the job's error type (`expired` for an expired job).
 */
export function resultLine(record: JobRecord): BatchResultLine | undefined {
  if (!record.batch) return undefined;
  const base = { id: record.id, custom_id: record.batch.custom_id };
  const completion = chatCompletionOf(record);
  if (completion) {
    const request_id = record.request_id ?? record.id;
    return { ...base, response: { status_code: 200, request_id, body: completion }, error: null };
  }
  const code: BatchItemErrorCode =
    record.status === 'expired' ? 'expired' : (record.error?.type ?? 'canceled');
  const message = record.error?.message ?? `The request ended ${record.status}.`;
  return { ...base, response: null, error: { code, message } };
}

function chatCompletionOf(record: JobRecord): ChatCompletion | undefined {
  const { output, usage, served_by: servedBy } = record;
  if (record.status !== 'succeeded' || !output || !usage || !servedBy) return undefined;
  return {
    id: `chatcmpl-${record.id}`,
    object: 'chat.completion',
    created: Math.floor((record.completed_at ?? record.created_at) / 1_000),
    model: servedBy.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: output.text },
        finish_reason: output.finish_reason,
      },
    ],
    usage: {
      prompt_tokens: usage.input_tokens,
      completion_tokens: usage.output_tokens,
      total_tokens: usage.input_tokens + usage.output_tokens,
    },
  };
}
