import { createHash } from 'node:crypto';
import { toPublicBatch, toPublicJob, type WebhookEvent } from '@switchyard/queue';
import type { BatchMessage, WebhookMessage } from '@switchyard/outbox';

/** One delivery to make: the event, where it goes, what it says, and which attempt this is. */
export interface PendingDelivery {
  event: WebhookEvent;
  tenant_id: string;
  url: string;
  /**
   * The request body exactly as every attempt sends it (`{type, timestamp, data}`, the job as it
   * stood at the event). Rendered once when the event enters the queue, and carried as text: the
   * queue stores and parses one string instead of the job's whole object tree.
   */
  body: string;
  /** 1 for the first attempt. */
  attempt: number;
  /**
   * The `X-Request-Id` of the submit that created the job, sent as the delivery's `X-Request-Id`.
   * Absent when the job has none, and on items queued before it was carried.
   */
  request_id?: string;
}

/** The first attempt of a message, or undefined if its job has no webhook URL. */
export function firstAttempt(
  message: WebhookMessage,
  publicUrl: string,
): PendingDelivery | undefined {
  if ('batch' in message) return batchAttempt(message, publicUrl);
  const { event, job } = message;
  if (!job.request.webhook) return undefined;
  return {
    event,
    tenant_id: job.tenant_id,
    url: job.request.webhook,
    body: JSON.stringify({
      type: event.type,
      timestamp: new Date(event.at).toISOString(),
      data: toPublicJob(job, publicUrl),
    }),
    attempt: 1,
    ...(job.request_id !== undefined && { request_id: job.request_id }),
  };
}

/** The first attempt of a `batch.completed` event, to the batch's webhook. */
function batchAttempt(message: BatchMessage, publicUrl: string): PendingDelivery | undefined {
  const { event, batch } = message;
  if (!batch.webhook) return undefined;
  return {
    event,
    tenant_id: batch.tenant_id,
    url: batch.webhook,
    body: JSON.stringify({
      type: event.type,
      timestamp: new Date(event.at).toISOString(),
      data: toPublicBatch(batch, publicUrl),
    }),
    attempt: 1,
    ...(batch.request_id !== undefined && { request_id: batch.request_id }),
  };
}

/**
 * A `webhooks` queue item. Events that leave the outbox together travel as one item of up to
 * {@link MAX_DELIVERIES_PER_ITEM} first attempts; every retry is an item of its own, delayed until
 * it is due. Queue work is per item, so batching is what lets one dispatcher send thousands of
 * webhooks a second (docs/PERFORMANCE.md).
 */
export interface DeliveryItem {
  deliveries: PendingDelivery[];
}

/**
 * Most first attempts in one item. Bigger items cost less queue work per delivery, but a
 * dispatcher holds a whole item while it works through it, and an item interrupted by a crash
 * is run again (minus what its attempts log shows done).
 */
export const MAX_DELIVERIES_PER_ITEM = 25;

/**
 * The queue item ID, which makes adding an item twice a no-op: an item of one delivery is named
 * by its event and attempt (`msg_….2`), readable in Bull Board; a batch by a digest of its events.
 * (BullMQ refuses IDs containing ':'.)
 */
export function itemId(item: DeliveryItem): string {
  const [only, ...others] = item.deliveries;
  if (only && others.length === 0) return `${only.event.id}.${only.attempt}`;
  const digest = createHash('sha256');
  for (const delivery of item.deliveries)
    digest.update(`${delivery.event.id}.${delivery.attempt},`);
  return `batch_${digest.digest('hex').slice(0, 32)}`;
}

/** Deliveries read together, as few items as the size limit allows. */
export function itemsOf(deliveries: readonly PendingDelivery[]): DeliveryItem[] {
  const items: DeliveryItem[] = [];
  for (let start = 0; start < deliveries.length; start += MAX_DELIVERIES_PER_ITEM) {
    items.push({ deliveries: deliveries.slice(start, start + MAX_DELIVERIES_PER_ITEM) });
  }
  return items;
}
