import type { Settings } from '@switchyard/config';
import type { Logger, Metrics } from '@switchyard/observability';
import {
  type DeliveryLog,
  type DeliveryRecord,
  type JobStore,
  toPublicJob,
  type WebhookEvent,
} from '@switchyard/queue';
import type { WebhookSecrets } from '@switchyard/tenancy';
import {
  deliverWebhook,
  type DeliveryOutcome,
  nextRetryDelay,
  signWebhook,
} from '@switchyard/webhooks';
import { DelayedError, type Job } from 'bullmq';

/** A delivery queue item: the event, and how many attempts it has had. */
export interface DeliveryJobData {
  event: WebhookEvent;
  attempts: number;
}

export interface DeliveryProcessorDeps {
  settings: Settings;
  store: JobStore;
  secrets: Pick<WebhookSecrets, 'active'>;
  log: DeliveryLog;
  logger: Logger;
  metrics: Metrics;
  /** Base of the `urls` in the job object sent. */
  publicUrl: string;
}

/**
 * One attempt to deliver one event: the job as it stands now, signed with every active secret
 * of its tenant under the event's `webhook-id`, sent through the SSRF guard. A failure that may
 * pass waits in BullMQ's delayed set for the next step of the schedule (no process sleeps);
 * every attempt is recorded for `GET /v1/jobs/{id}/deliveries`.
 */
export function deliveryProcessor(deps: DeliveryProcessorDeps) {
  return async (job: Job<DeliveryJobData>, token?: string): Promise<void> => {
    const { event } = job.data;
    const attempt = job.data.attempts + 1;
    const record = await deps.store.get(event.job_id);
    const url = record?.request.webhook;
    if (!record || !url) {
      deps.logger.warn({ event }, 'webhook event for a job that is gone: dropped');
      deps.metrics.webhookDeliveries.inc({ result: 'dropped' });
      return;
    }
    const body = JSON.stringify({
      type: event.type,
      timestamp: new Date(event.at).toISOString(),
      data: toPublicJob(record, deps.publicUrl),
    });
    const secrets = (await deps.secrets.active(record.tenant_id)).map((entry) => entry.secret);
    const headers = signWebhook({ id: event.id, timestamp: new Date(), body, secrets });
    const outcome = await deliverWebhook({
      url,
      body,
      headers: { ...headers },
      timeoutMs: deps.settings.webhooks.timeoutMs,
      allowPrivate: deps.settings.env.SWITCHYARD_WEBHOOK_ALLOW_PRIVATE,
    });
    const delay =
      outcome.kind === 'failed' && outcome.retryable
        ? nextRetryDelay(attempt, deps.settings.webhooks.retryScheduleMs, {
            retryAfterMs:
              outcome.kind === 'failed' && 'retryAfterMs' in outcome
                ? outcome.retryAfterMs
                : undefined,
          })
        : undefined;
    const result = resultOf(outcome, delay);
    await deps.log.add(record.id, {
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
    deps.metrics.webhookDeliveries.inc({ result });
    if (result === 'exhausted') {
      deps.logger.warn({ event, attempt }, 'webhook delivery exhausted its retries');
    }
    if (delay === undefined) return;
    await job.updateData({ event, attempts: attempt });
    await job.moveToDelayed(Date.now() + delay, token);
    throw new DelayedError();
  };
}

function resultOf(outcome: DeliveryOutcome, delay: number | undefined): DeliveryRecord['result'] {
  if (outcome.kind === 'delivered') return 'delivered';
  if (outcome.kind === 'gone') return 'gone';
  return delay === undefined ? 'exhausted' : 'retrying';
}
