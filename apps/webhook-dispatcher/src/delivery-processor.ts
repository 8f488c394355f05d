import { attemptKey } from '@switchyard/outbox';
import type { Job } from 'bullmq';
import { type AttemptDeps, attemptDelivery } from './attempt-delivery';
import type { DeliveryItem } from './delivery-item';
import type { Slots } from './slots';

export interface DeliveryProcessorDeps extends AttemptDeps {
  /** Bounds the requests in flight across every item this process holds. */
  slots: Slots;
}

/**
 * Works through one `webhooks` queue item: each of its deliveries gets one attempt, as many at
 * once as the slots allow. An item run before (its process died, or an attempt could not be
 * recorded) skips the attempts its log already shows, so those are not sent twice. If any
 * attempt could not be recorded the item fails, and BullMQ runs it again after a backoff.
 */
export function deliveryProcessor(deps: DeliveryProcessorDeps) {
  return async (item: Job<DeliveryItem>): Promise<void> => {
    let pending = item.data.deliveries;
    if (item.attemptsStarted > 1) {
      const recorded = await deps.log.recordedAttempts(pending.map((d) => d.event.job_id));
      pending = pending.filter((d) => !recorded.has(attemptKey(d.event.id, d.attempt)));
    }
    const results = await Promise.allSettled(
      pending.map((delivery) => deps.slots.run(() => attemptDelivery(deps, delivery))),
    );
    const errors = results.flatMap((result) =>
      result.status === 'rejected' ? [result.reason as unknown] : [],
    );
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) {
      throw new AggregateError(errors, `${errors.length} of ${pending.length} attempts failed`);
    }
  };
}
