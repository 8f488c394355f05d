import type { Level, Logger } from '@switchyard/observability';
import type { DeliveryRecord } from '@switchyard/outbox';
import type { DeliveryOutcome } from '@switchyard/webhooks';
import type { PendingDelivery } from './delivery-item';

/**
 * The level of an attempt's line. Deliveries that land run to thousands a second and each is in
 * the job's deliveries log already: `debug`. A failure that will be retried, or a 410, is worth a
 * line (`info`); a delivery that gave up for good is something to act on (`warn`).
 */
const LEVEL: Readonly<Record<DeliveryRecord['result'], Level>> = {
  delivered: 'debug',
  retrying: 'info',
  gone: 'info',
  exhausted: 'warn',
};

/**
 * One line per delivery attempt, with the job and the submit's request ID. Never the URL (its
 * query may hold the receiver's token) nor the body (the job's output).
 */
export function logAttempt(
  logger: Logger,
  pending: PendingDelivery,
  outcome: DeliveryOutcome,
  result: DeliveryRecord['result'],
): void {
  logger[LEVEL[result]](
    {
      jobId: pending.event.job_id,
      ...(pending.request_id !== undefined && { requestId: pending.request_id }),
      eventId: pending.event.id,
      type: pending.event.type,
      attempt: pending.attempt,
      result,
      statusCode: outcome.statusCode ?? null,
      ...(outcome.kind === 'failed' && 'error' in outcome && { error: outcome.error.code }),
      latencyMs: outcome.latencyMs,
    },
    result === 'exhausted' ? 'webhook delivery exhausted its retries' : 'webhook delivery',
  );
}
