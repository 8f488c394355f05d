import {
  commonErrors,
  error,
  jobIdParameter,
  json,
  type OperationRegistry,
  tenantAuth,
} from './operation-parts';

/** Submitting, reading, listing and canceling jobs. */
export const jobsOperations: OperationRegistry = {
  'post /v1/jobs': {
    summary: 'Submit a job',
    operationId: 'submitJob',
    tags: ['jobs'],
    security: tenantAuth,
    parameters: [
      {
        name: 'Idempotency-Key',
        in: 'header',
        schema: { type: 'string', maxLength: 255 },
        description:
          'Same key and body within 24 h returns the same job (200, `Idempotent-Replayed: true`); another body is 422.',
      },
      {
        name: 'Prefer',
        in: 'header',
        schema: { type: 'string', example: 'wait=10' },
        description: '`wait=N` (N ≤ 60) holds the request until the job ends or N seconds pass.',
      },
      {
        name: 'X-Request-Id',
        in: 'header',
        schema: { type: 'string', example: 'my-trace-123' },
        description:
          'Your ID for this request (up to 128 token characters; anything else is replaced by a new `req_…`). Returned as `X-Request-Id` and sent with the job’s webhooks as `x-request-id`.',
      },
    ],
    requestBody: { required: true, ...json('JobRequest') },
    responses: {
      '202': { description: 'Accepted; `Location` points at the job.', ...json('Job') },
      '201': {
        description:
          '`Prefer: wait` saw the job end: the final job, with `Preference-Applied` and `Location`.',
        ...json('Job'),
      },
      '200': {
        description:
          'Idempotent replay of an earlier request (`Idempotent-Replayed: true`), waited for or not.',
        ...json('Job'),
      },
      ...commonErrors,
      '400': error(
        'Malformed JSON or a schema violation (`details` lists each field); a model no configured provider serves; a model without a price in the config, unless `pricing.allow_unpriced` (never for a tenant with a monthly budget).',
      ),
      '402': error('The tenant’s monthly budget is spent.'),
      '409': error('A request with this Idempotency-Key is still in flight.'),
      '413': error('Body over the limit.'),
      '415': error(
        'Body is not application/json, or its `Content-Encoding` is not gzip, deflate or br.',
      ),
      '422': error('Idempotency-Key reused with a different body.'),
      '429': error('Tenant rate limit; see `Retry-After` and `RateLimit-*`.'),
    },
  },
  'get /v1/jobs': {
    summary: 'List jobs, newest first',
    operationId: 'listJobs',
    tags: ['jobs'],
    security: tenantAuth,
    parameters: [
      {
        name: 'status',
        in: 'query',
        schema: {
          type: 'string',
          enum: ['queued', 'running', 'succeeded', 'failed', 'canceled', 'expired'],
        },
      },
      {
        name: 'limit',
        in: 'query',
        schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
      },
      { name: 'cursor', in: 'query', schema: { type: 'string' } },
    ],
    responses: { '200': { description: 'A page of jobs.', ...json('JobList') }, ...commonErrors },
  },
  'get /v1/jobs/{id}': {
    summary: 'Get a job',
    operationId: 'getJob',
    tags: ['jobs'],
    security: tenantAuth,
    parameters: [
      jobIdParameter,
      {
        name: 'wait',
        in: 'query',
        schema: { type: 'integer', minimum: 0, maximum: 60 },
        description: 'Long-poll: hold up to N seconds for a final status.',
      },
    ],
    responses: { '200': { description: 'The job.', ...json('Job') }, ...commonErrors },
  },
  'post /v1/jobs/{id}/cancel': {
    summary: 'Cancel a queued or running job',
    operationId: 'cancelJob',
    tags: ['jobs'],
    security: tenantAuth,
    parameters: [jobIdParameter],
    responses: {
      '200': { description: 'The canceled job.', ...json('Job') },
      ...commonErrors,
      '409': error('The job already ended.'),
    },
  },
};
