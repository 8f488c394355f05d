import type { Settings } from '@switchyard/config';
import {
  BatchCreateRequest,
  BatchRequestItem,
  InvalidRequestError,
  MAX_BATCH_REQUESTS,
  type OpenAIBatchInputLine,
  OpenAIBatchInputLine as InputLine,
  quoted,
} from '@switchyard/core';
import { parseOrThrow } from '../http/validate';

/** One request of a batch, and where it sits in the request (for errors: `body.requests.3`). */
export interface BatchItem {
  item: BatchRequestItem;
  where: string;
}

/** A batch as submitted, whichever format it came in. */
export interface BatchInput {
  items: BatchItem[];
  webhook: string | undefined;
  /** Where the webhook was given (`body.webhook`, `query.webhook`), for errors. */
  webhookPath: string;
  metadata: Record<string, string>;
}

/**
 * A JSON batch (`BatchCreateRequest`). Items without a `priority` run at `batch` priority. The
 * count is checked before the items are, so an oversized batch is refused without reading it.
 */
export function batchFromJson(body: unknown): BatchInput {
  const requests = (body as { requests?: unknown } | null)?.requests;
  if (Array.isArray(requests)) {
    refuseOversized(requests.length, 'body.requests');
    (body as { requests: unknown[] }).requests = requests.map(atBatchPriority);
  }
  const parsed = parseOrThrow(BatchCreateRequest, body, 'body');
  const items = parsed.requests.map((item, i) => ({ item, where: `body.requests.${i}` }));
  refuseDuplicates(items);
  return { items, webhook: parsed.webhook, webhookPath: 'body.webhook', metadata: parsed.metadata };
}

/**
 * An OpenAI Batch input file: one JSON object per line; blank lines are skipped but counted, so
 * errors name the line an editor shows. Each line's body becomes a job body (see jobOfLine).
 */
export function batchFromJsonl(
  text: string,
  settings: Settings,
  webhook: string | undefined,
): BatchInput {
  const items: BatchItem[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    refuseOversized(items.length + 1, 'body');
    const where = `line ${i + 1}`;
    const parsed = parseOrThrow(InputLine, parseLine(line, where), where);
    items.push({ item: jobOfLine(parsed, settings, where), where: `${where}.body` });
  }
  if (items.length === 0) {
    throw new InvalidRequestError('The batch file holds no request: one JSON object per line.', [
      { path: 'body', message: 'no request' },
    ]);
  }
  refuseDuplicates(items);
  return { items, webhook, webhookPath: 'query.webhook', metadata: {} };
}

/**
 * A Chat Completions body as a job body at `batch` priority. A model without a provider
 * (`gpt-4o-mini`) is OpenAI's, unless it is a route alias of the config; `max_completion_tokens`
 * (OpenAI's newer name) is `max_tokens`.
 */
function jobOfLine(line: OpenAIBatchInputLine, settings: Settings, where: string) {
  const { model, messages, max_tokens, max_completion_tokens, temperature, top_p, stop } =
    line.body;
  const known = model.includes('/') || Object.hasOwn(settings.routes, model);
  const maxTokens = max_completion_tokens ?? max_tokens;
  const job = {
    custom_id: line.custom_id,
    model: known ? model : `openai/${model}`,
    input: {
      messages,
      ...(maxTokens !== undefined && { max_tokens: maxTokens }),
      ...(temperature !== undefined && { temperature }),
      ...(top_p !== undefined && { top_p }),
      ...(stop !== undefined && { stop }),
    },
    priority: 'batch',
  };
  return parseOrThrow(BatchRequestItem, job, `${where}.body`);
}

function parseLine(line: string, where: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    // JSON.parse's message quotes the line: not echoed.
    throw new InvalidRequestError(`Invalid request: ${where}: not valid JSON.`, [
      { path: where, message: 'not valid JSON' },
    ]);
  }
}

/** A request that names no `priority` runs at `batch` priority (an explicit one is kept). */
function atBatchPriority(item: unknown): unknown {
  const plain = typeof item === 'object' && item !== null && !Array.isArray(item);
  return plain && !Object.hasOwn(item, 'priority') ? { ...item, priority: 'batch' } : item;
}

function refuseOversized(count: number, path: string): void {
  if (count <= MAX_BATCH_REQUESTS) return;
  throw new InvalidRequestError(
    `A batch takes at most ${MAX_BATCH_REQUESTS} requests; split it into several batches.`,
    [{ path, message: `more than ${MAX_BATCH_REQUESTS} requests` }],
  );
}

/** `custom_id` must be unique in a batch (results are matched by it): the second one is named. */
function refuseDuplicates(items: readonly BatchItem[]): void {
  const seen = new Map<string, string>();
  for (const { item, where } of items) {
    const first = seen.get(item.custom_id);
    if (first === undefined) {
      seen.set(item.custom_id, where);
      continue;
    }
    // A JSONL item sits at `line N.body`, its custom_id at `line N`.
    const path = (at: string) => `${at.replace(/\.body$/, '')}.custom_id`;
    throw new InvalidRequestError(
      `Duplicate custom_id ${quoted(item.custom_id)}: ${path(where)} repeats ${path(first)}.`,
      [{ path: path(where), message: `duplicate of ${path(first)}` }],
    );
  }
}
