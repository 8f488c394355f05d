import type { Settings } from '@switchyard/config';
import type { DispatcherMetrics, Logger } from '@switchyard/observability';
import type { DeliveryLog, DeliveryRecord } from '@switchyard/outbox';
import type { WebhookSecrets } from '@switchyard/tenancy';
import {
  deliverWebhook,
  type DeliveryOutcome,
  nextRetryDelay,
  signWebhook,
} from '@switchyard/webhooks';
import { logAttempt } from './attempt-log';
import type { PendingDelivery } from './delivery-item';

export interface AttemptDeps {
  settings: Settings;
  secrets: Pick<WebhookSecrets, 'active'>;
  log: DeliveryLog;
  logger: Logger;
  metrics: DispatcherMetrics;
  /** Queues the next attempt of a delivery, due in `delayMs`; adding it twice must be a no-op. */
  scheduleRetry(next: PendingDelivery, delayMs: number): Promise<void>;
}

/**
 * One attempt of one delivery: its body, signed with every active secret of its tenant under the
 * event's `webhook-id`, sent through the SSRF guard. A failure that may pass queues the next
 * attempt on the retry schedule (no process sleeps); every attempt is recorded for
 * `GET /v1/jobs/{id}/deliveries`. Rejects only when the attempt could not be
 * recorded (Redis trouble, a tenant without secrets): the queue item is then run again.
 */
export async function attemptDelivery(deps: AttemptDeps, pending: PendingDelivery): Promise<void> {
  const { event, url, body, attempt } = pending;
  const secrets = (await deps.secrets.active(pending.tenant_id)).map((entry) => entry.secret);
  const signed = signWebhook({ id: event.id, timestamp: new Date(), body, secrets });
  // The submit's ID, for receivers to match a webhook to the request that caused it. Beside the
  // signature, not under it: Standard Webhooks signs id, timestamp and body only.
  const headers =
    pending.request_id === undefined ? signed : { ...signed, 'x-request-id': pending.request_id };
  const outcome = await deliverWebhook({
    url,
    body,
    headers,
    timeoutMs: deps.settings.webhooks.timeoutMs,
    allowPrivate: deps.settings.env.SWITCHYARD_WEBHOOK_ALLOW_PRIVATE,
  });
  const delay =
    outcome.kind === 'failed' && outcome.retryable
      ? nextRetryDelay(attempt, deps.settings.webhooks.retryScheduleMs, {
          retryAfterMs: 'retryAfterMs' in outcome ? outcome.retryAfterMs : undefined,
        })
      : undefined;
  const result = resultOf(outcome, delay);
  // Counted as sent, before it is recorded: a run cut short between the two sends it again, and
  // that second request is counted too.
  deps.metrics.webhookDeliveries.inc({ result });
  deps.metrics.webhookLatency.observe({ result }, outcome.latencyMs / 1_000);
  // The retry is queued before the attempt is recorded: a run cut short between the two runs
  // again (the log does not show the attempt), and queueing the same retry again is a no-op.
  if (delay !== undefined) await deps.scheduleRetry({ ...pending, attempt: attempt + 1 }, delay);
  await deps.log.add(event.job_id, {
    object: 'webhook_delivery',
    event_id: event.id,
    type: event.type,
    attempt,
    at: new Date().toISOString(),
    url,
    status_code: outcome.statusCode ?? null,
    error: outcome.kind === 'failed' && 'error' in outcome ? outcome.error.message : null,
    latency_ms: outcome.latencyMs,
    next_retry_at: delay === undefined ? null : new Date(Date.now() + delay).toISOString(),
    result,
  });
  logAttempt(deps.logger, pending, outcome, result);
}

function resultOf(outcome: DeliveryOutcome, delay: number | undefined): DeliveryRecord['result'] {
  if (outcome.kind === 'delivered') return 'delivered';
  if (outcome.kind === 'gone') return 'gone';
  return delay === undefined ? 'exhausted' : 'retrying';
}
