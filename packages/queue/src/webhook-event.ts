import { isFinalStatus, randomId } from '@switchyard/core';
import type { Redis } from 'ioredis';
import type { JobRecord } from './job-record';
import type { Keys } from './keys';

/**
 * Events the outbox keeps, newest first: Redis runs without eviction, and a stream nobody reads
 * (no dispatcher running) must not grow without end.
 */
export const OUTBOX_MAX_EVENTS = 100_000;

/** A webhook event as the job store writes it to the outbox, for the dispatcher to send. */
export interface WebhookEvent {
  /** `msg_…`: the `webhook-id` of every delivery attempt of this event. */
  id: string;
  type: string;
  job_id: string;
  /** When it happened, ms. */
  at: number;
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
 * A new event for a job that has ended: its end announced again (`POST /v1/jobs/{id}/redeliver`).
 * It gets its own `webhook-id`, being a new event.
 */
export async function announceAgain(
  redis: Redis,
  keys: Keys,
  record: JobRecord,
): Promise<WebhookEvent> {
  const event = newEvent(`job.${record.status}`, record.id, record.completed_at ?? Date.now());
  await redis.xadd(
    keys.webhookOutbox,
    'MAXLEN',
    '~',
    OUTBOX_MAX_EVENTS,
    '*',
    'event',
    JSON.stringify(event),
  );
  return event;
}
