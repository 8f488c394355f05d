import {
  commonErrors,
  error,
  jobIdParameter,
  json,
  type OperationRegistry,
  tenantAuth,
} from './operation-parts';

/** A job's webhook deliveries, and the tenant's signing secret. */
export const webhooksOperations: OperationRegistry = {
  'get /v1/jobs/{id}/deliveries': {
    summary: 'The webhook delivery attempts of a job, oldest first',
    operationId: 'listDeliveries',
    tags: ['webhooks'],
    security: tenantAuth,
    parameters: [jobIdParameter],
    responses: {
      '200': {
        description:
          'A list: each attempt with its time, status code or error, latency, result and next retry.',
        content: { 'application/json': { schema: { type: 'object' } } },
      },
      ...commonErrors,
    },
  },
  'post /v1/jobs/{id}/redeliver': {
    summary: "Send the job's final webhook again, as a new event",
    operationId: 'redeliverWebhook',
    tags: ['webhooks'],
    security: tenantAuth,
    parameters: [jobIdParameter],
    responses: {
      '202': {
        description: 'Queued: `{object: "webhook_event", id, type}`.',
        content: { 'application/json': { schema: { type: 'object' } } },
      },
      ...commonErrors,
      '409': error('The job has no webhook or has not ended.'),
    },
  },
  'get /v1/webhook-secret': {
    summary: "The tenant's webhook signing secret",
    operationId: 'getWebhookSecret',
    tags: ['webhooks'],
    security: tenantAuth,
    responses: { '200': { description: 'The secret.', ...json('WebhookSecret') }, ...commonErrors },
  },
  'post /v1/webhook-secret/rotate': {
    summary: 'Rotate the webhook signing secret; the old one keeps signing for 24 h',
    operationId: 'rotateWebhookSecret',
    tags: ['webhooks'],
    security: tenantAuth,
    responses: {
      '200': { description: 'The new secret.', ...json('WebhookSecret') },
      ...commonErrors,
    },
  },
};
