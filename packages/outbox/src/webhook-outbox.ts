import {
  assembleBatch,
  assembleRecord,
  type BatchRecord,
  type JobRecord,
  newWebhookEvent,
  type WebhookEvent,
} from '@switchyard/queue';
import type { Keys } from '@switchyard/redis-kit';
import type { Redis } from 'ioredis';

/**
 * An event and the job as it stood when the event happened: what every delivery attempt of the
 * event sends, so a `job.started` delivered late still shows the job running and a retry sends
 * the same body as the first attempt.
 */
export type WebhookMessage = JobMessage | BatchMessage;

export interface JobMessage {
  event: WebhookEvent;
  job: JobRecord;
}

/** `batch.completed`: the batch as its last job's end left it (written in that same step). */
export interface BatchMessage {
  event: WebhookEvent;
  batch: BatchRecord;
}

/**
 * The outbox entry's fields after the event: the job's hash fields as written with it (the job
 * store's scripts lay them out the same way). Kept as hash fields rather than one JSON document
 * so a script can add the record it holds without decoding it.
 */
function outboxFields(event: WebhookEvent, record: JobRecord): string[] {
  return [
    'event',
    JSON.stringify(event),
    'doc',
    JSON.stringify(record),
    'status',
    record.status,
    'rev',
    String(record.rev),
    'started_at',
    record.started_at === null ? '' : String(record.started_at),
  ];
}

/** An outbox entry's fields (`[name, value, name, value, …]`) as the message they hold. */
export function parseOutboxEntry(fields: readonly string[]): WebhookMessage {
  const value = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) value.set(fields[i]!, fields[i + 1]!);
  const field = (name: string): string => {
    const found = value.get(name);
    if (found === undefined) throw new Error(`webhook outbox entry has no "${name}" field`);
    return found;
  };
  const event = JSON.parse(field('event')) as WebhookEvent;
  const batch = value.get('batch');
  if (batch !== undefined) return { event, batch: batchOfEntry(batch) };
  return {
    event,
    job: assembleRecord(
      field('doc'),
      field('status'),
      field('rev'),
      value.get('started_at') ?? null,
    ),
  };
}

/**
 * A new event for a job that has ended: its end announced again (`POST /v1/jobs/{id}/redeliver`),
 * with the job as it stands now. It gets its own `webhook-id`, being a new event. Like every
 * event of a job already accepted, it goes in whatever the outbox holds (its bound is on
 * admission, see createJobScript).
 */
export async function announceAgain(
  redis: Redis,
  keys: Keys,
  record: JobRecord,
): Promise<WebhookEvent> {
  const event = newWebhookEvent(
    `job.${record.status}`,
    record.id,
    record.completed_at ?? Date.now(),
  );
  await redis.xadd(keys.webhookOutbox, '*', ...outboxFields(event, record));
  return event;
}

/**
 * The batch of a `batch.completed` entry: the transition script copies the batch's hash into the
 * entry as the JSON of HGETALL's reply (`[name, value, …]`).
 */
function batchOfEntry(json: string): BatchRecord {
  const pairs = JSON.parse(json) as string[];
  const value = new Map<string, string>();
  for (let i = 0; i + 1 < pairs.length; i += 2) value.set(pairs[i]!, pairs[i + 1]!);
  const batch = assembleBatch((name) => value.get(name));
  if (!batch) throw new Error('webhook outbox entry has a batch without "doc"');
  return batch;
}
