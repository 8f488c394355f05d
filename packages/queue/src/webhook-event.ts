import { isFinalStatus, randomId } from '@switchyard/core';
import type { Redis } from 'ioredis';
import { assembleRecord } from './job-hash';
import type { JobRecord } from './job-record';
import type { Keys } from './keys';

/** A webhook event as the job store writes it to the outbox, for the dispatcher to send. */
export interface WebhookEvent {
  /** `msg_…`: the `webhook-id` of every delivery attempt of this event. */
  id: string;
  type: string;
  job_id: string;
  /** When it happened, ms. */
  at: number;
}

/**
 * An event and the job as it stood when the event happened: what every delivery attempt of the
 * event sends, so a `job.started` delivered late still shows the job running and a retry sends
 * the same body as the first attempt.
 */
export interface WebhookMessage {
  event: WebhookEvent;
  job: JobRecord;
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
  return {
    event: JSON.parse(field('event')) as WebhookEvent,
    job: assembleRecord(
      field('doc'),
      field('status'),
      field('rev'),
      value.get('started_at') ?? null,
    ),
  };
}

function newEvent(type: string, jobId: string, at: number): WebhookEvent {
  return { id: randomId('msg_'), type, job_id: jobId, at };
}

/** The `job.started` event claimRun writes if the job asked for it (it decides in the script). */
export const startEventOf = (jobId: string, now: number): WebhookEvent =>
  newEvent('job.started', jobId, now);

/** True when a job's start is announced to its webhook. */
export function announcesStart(record: JobRecord): boolean {
  return (
    record.request.webhook !== undefined && record.request.webhook_events_filter.includes('start')
  );
}

/**
 * The event a change of a job announces, if any: its end (`job.succeeded`, `job.failed`, …)
 * when it has a webhook and asked for `completed`. Starts are announced by claimRun.
 */
export function endEventOf(
  before: JobRecord,
  after: JobRecord,
  now: number,
): WebhookEvent | undefined {
  if (isFinalStatus(before.status) || !isFinalStatus(after.status)) return undefined;
  if (after.request.webhook === undefined) return undefined;
  if (!after.request.webhook_events_filter.includes('completed')) return undefined;
  return newEvent(`job.${after.status}`, after.id, now);
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
  const event = newEvent(`job.${record.status}`, record.id, record.completed_at ?? Date.now());
  await redis.xadd(keys.webhookOutbox, '*', ...outboxFields(event, record));
  return event;
}
