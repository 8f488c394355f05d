import { isFinalStatus, randomId } from '@switchyard/core';
import type { JobRecord } from './job-record';

/**
 * A webhook event as the job store writes it to the outbox, for the dispatcher to send. The
 * outbox entry's layout, and reading it, are @switchyard/outbox's (webhook-outbox.ts).
 */
export interface WebhookEvent {
  /** `msg_…`: the `webhook-id` of every delivery attempt of this event. */
  id: string;
  type: string;
  /** The job the event is about; for `batch.completed`, the batch (its deliveries log is kept under it). */
  job_id: string;
  /** When it happened, ms. */
  at: number;
}

/** A new event (`webhook-id` `msg_…`) of `type` for a job. */
export function newWebhookEvent(type: string, jobId: string, at: number): WebhookEvent {
  return { id: randomId('msg_'), type, job_id: jobId, at };
}

/** The `job.started` event claimRun writes if the job asked for it (it decides in the script). */
export const startEventOf = (jobId: string, now: number): WebhookEvent =>
  newWebhookEvent('job.started', jobId, now);

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
  return newWebhookEvent(`job.${after.status}`, after.id, now);
}
