// Webhook delivery: one HTTP attempt (deliverWebhook) and when to try again (nextRetryDelay).
export {
  deliverWebhook,
  DEFAULT_DELIVERY_TIMEOUT_MS,
  type DeliverWebhookInput,
} from './deliver-webhook';
export { MAX_RESPONSE_BODY_BYTES } from './exchange';
export type {
  DeliveredOutcome,
  DeliveryError,
  DeliveryFailureReason,
  DeliveryOutcome,
  ErrorFailedOutcome,
  FailedOutcome,
  GoneOutcome,
  StatusFailedOutcome,
} from './delivery-outcome';
export { destroyWebhookAgents, IDLE_SOCKET_TIMEOUT_MS } from './http-agents';
export { parseRetryAfter } from './retry-after';
export {
  DEFAULT_RETRY_JITTER,
  DEFAULT_WEBHOOK_SCHEDULE_MS,
  nextRetryDelay,
  type NextRetryDelayOptions,
} from './retry-schedule';
