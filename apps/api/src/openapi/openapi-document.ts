// Importing core registers the contract's schemas (their `.meta({ id })`) globally.
import { MAX_USAGE_DAYS } from '@switchyard/core';
import { z } from 'zod';

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const json = (id: string) => ({ content: { 'application/json': { schema: ref(id) } } });
const error = (description: string) => ({ description, ...json('Error') });

const common = {
  '400': error(
    'Malformed JSON, a schema violation, a body that does not decode as its `Content-Encoding` says, or a malformed percent-encoding in the path; `details` lists each field.',
  ),
  '401': error('No or invalid credential.'),
  '403': error('The key lacks the scope.'),
  '404': error('Unknown ID, or an ID of another tenant.'),
  '503': error('Redis unreachable; retry after `Retry-After`.'),
};
const jobId = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string', pattern: '^job_' },
};
const tenantAuth = [{ apiKey: [] }];
const adminAuth = [{ adminToken: [] }];

/** The paths of the contract. Schemas come from packages/core, the single source of truth. */
const paths: Record<string, Record<string, unknown>> = {
  '/v1/jobs': {
    post: {
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
        ...common,
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
    get: {
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
      responses: { '200': { description: 'A page of jobs.', ...json('JobList') }, ...common },
    },
  },
  '/v1/jobs/{id}': {
    get: {
      summary: 'Get a job',
      operationId: 'getJob',
      tags: ['jobs'],
      security: tenantAuth,
      parameters: [
        jobId,
        {
          name: 'wait',
          in: 'query',
          schema: { type: 'integer', minimum: 0, maximum: 60 },
          description: 'Long-poll: hold up to N seconds for a final status.',
        },
      ],
      responses: { '200': { description: 'The job.', ...json('Job') }, ...common },
    },
  },
  '/v1/jobs/{id}/cancel': {
    post: {
      summary: 'Cancel a queued or running job',
      operationId: 'cancelJob',
      tags: ['jobs'],
      security: tenantAuth,
      parameters: [jobId],
      responses: {
        '200': { description: 'The canceled job.', ...json('Job') },
        ...common,
        '409': error('The job already ended.'),
      },
    },
  },
  '/v1/jobs/{id}/deliveries': {
    get: {
      summary: 'The webhook delivery attempts of a job, oldest first',
      operationId: 'listDeliveries',
      tags: ['webhooks'],
      security: tenantAuth,
      parameters: [jobId],
      responses: {
        '200': {
          description:
            'A list: each attempt with its time, status code or error, latency, result and next retry.',
          content: { 'application/json': { schema: { type: 'object' } } },
        },
        ...common,
      },
    },
  },
  '/v1/jobs/{id}/redeliver': {
    post: {
      summary: "Send the job's final webhook again, as a new event",
      operationId: 'redeliverWebhook',
      tags: ['webhooks'],
      security: tenantAuth,
      parameters: [jobId],
      responses: {
        '202': {
          description: 'Queued: `{object: "webhook_event", id, type}`.',
          content: { 'application/json': { schema: { type: 'object' } } },
        },
        ...common,
        '409': error('The job has no webhook or has not ended.'),
      },
    },
  },
  '/v1/usage': {
    get: {
      summary:
        "The tenant's usage per model or per day: requests, tokens, cost, cache hits and cost saved",
      operationId: 'getUsage',
      tags: ['usage'],
      security: tenantAuth,
      parameters: [
        {
          name: 'from',
          in: 'query',
          schema: { type: 'string', example: '2026-12-01' },
          description:
            'First day (UTC), `YYYY-MM-DD` or an ISO 8601 time (its UTC day). Default: the first day of `to`’s month.',
        },
        {
          name: 'to',
          in: 'query',
          schema: { type: 'string', example: '2026-12-31' },
          description: `Last day, included; same formats. Default: today (UTC). At most ${MAX_USAGE_DAYS} days from \`from\`.`,
        },
        {
          name: 'group_by',
          in: 'query',
          schema: { type: 'string', enum: ['model', 'day'], default: 'model' },
        },
      ],
      responses: {
        '200': {
          description: 'Groups with any usage, and the totals of the range.',
          ...json('UsageReport'),
        },
        ...common,
        '400': error(
          `A date that is not one, \`from\` after \`to\`, a range over ${MAX_USAGE_DAYS} days, an unknown \`group_by\` or parameter; \`details\` names it.`,
        ),
        '403': error('The key lacks the `usage:read` scope.'),
      },
    },
  },
  '/v1/webhook-secret': {
    get: {
      summary: "The tenant's webhook signing secret",
      operationId: 'getWebhookSecret',
      tags: ['webhooks'],
      security: tenantAuth,
      responses: { '200': { description: 'The secret.', ...json('WebhookSecret') }, ...common },
    },
  },
  '/v1/webhook-secret/rotate': {
    post: {
      summary: 'Rotate the webhook signing secret; the old one keeps signing for 24 h',
      operationId: 'rotateWebhookSecret',
      tags: ['webhooks'],
      security: tenantAuth,
      responses: { '200': { description: 'The new secret.', ...json('WebhookSecret') }, ...common },
    },
  },
  '/admin/tenants': {
    post: {
      summary: 'Create a tenant with its first API key and webhook secret',
      operationId: 'createTenant',
      tags: ['admin'],
      security: adminAuth,
      requestBody: { required: true, ...json('TenantCreate') },
      responses: {
        '201': { description: 'Created. The key is shown only here.', ...json('TenantCreated') },
        ...common,
      },
    },
    get: {
      summary: 'List tenants',
      operationId: 'listTenants',
      tags: ['admin'],
      security: adminAuth,
      responses: { '200': { description: 'All tenants.' }, ...common },
    },
  },
  '/admin/tenants/{id}': {
    patch: {
      summary: 'Change a tenant’s name or limits',
      operationId: 'updateTenant',
      tags: ['admin'],
      security: adminAuth,
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      requestBody: { required: true, ...json('TenantUpdate') },
      responses: { '200': { description: 'The tenant.', ...json('Tenant') }, ...common },
    },
  },
  '/admin/tenants/{id}/keys': {
    post: {
      summary: 'Add an API key',
      operationId: 'createApiKey',
      tags: ['admin'],
      security: adminAuth,
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      requestBody: { required: false, ...json('ApiKeyCreate') },
      responses: {
        '201': { description: 'The key, shown only here.', ...json('ApiKeyCreated') },
        ...common,
      },
    },
  },
  '/admin/keys/{key_prefix}': {
    delete: {
      summary: 'Revoke an API key',
      operationId: 'revokeApiKey',
      tags: ['admin'],
      security: adminAuth,
      parameters: [{ name: 'key_prefix', in: 'path', required: true, schema: { type: 'string' } }],
      responses: { '204': { description: 'Revoked.' }, ...common },
    },
  },
  '/healthz': {
    get: {
      summary: 'Liveness',
      tags: ['operations'],
      responses: { '200': { description: 'Alive.' } },
    },
  },
  '/readyz': {
    get: {
      summary: 'Readiness: Redis reachable and workers consuming',
      tags: ['operations'],
      responses: { '200': { description: 'Ready.' }, '503': { description: 'Not ready.' } },
    },
  },
  '/metrics': {
    get: {
      summary: 'Prometheus metrics',
      tags: ['operations'],
      security: adminAuth,
      responses: { '200': { description: 'Prometheus text.' } },
    },
  },
};

/** The path templates of the API (`/v1/jobs/{id}`), as the OpenAPI document lists them. */
export function apiPathTemplates(): string[] {
  return Object.keys(paths);
}

/** OpenAPI 3.1, generated at start-up from the zod schemas (3.1 uses JSON Schema 2020-12). */
export function buildOpenApiDocument(serverUrl?: string): Record<string, unknown> {
  const { schemas } = z.toJSONSchema(z.globalRegistry, {
    target: 'draft-2020-12',
    io: 'input',
    uri: (id) => `#/components/schemas/${id}`,
  });
  const components: Record<string, unknown> = {};
  for (const [id, schema] of Object.entries(schemas)) {
    const { $schema: _schema, $id: _id, ...rest } = schema as Record<string, unknown>;
    components[id] = rest;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Switchyard',
      version: '1',
      description:
        'An async job platform for AI model calls: submit a job, get an ID at once, then poll, long-poll or receive a signed webhook.',
    },
    ...(serverUrl && { servers: [{ url: serverUrl }] }),
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'A tenant API key (`sy_live_…`).' },
        adminToken: { type: 'http', scheme: 'bearer', description: 'SWITCHYARD_ADMIN_TOKEN.' },
      },
    },
  };
}
