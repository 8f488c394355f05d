import { MAX_BATCH_REQUESTS } from '@switchyard/core';
import { error, json, type OperationRegistry, ref, tenantAuth } from './operation-parts';

const tags = ['batches'];
const batchId = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string', pattern: '^batch_' },
};
const common = {
  '400': error('A malformed percent-encoding in the path, or a bad query; `details` names it.'),
  '401': error('No or invalid credential.'),
  '403': error('The key lacks the scope.'),
  '404': error('Unknown ID, or an ID of another tenant.'),
  '503': error('Redis unreachable; retry after `Retry-After`.'),
};

/** The batch routes, keyed `'<method> <OpenAPI path>'` (see the other operations files). */
export const batchesOperations: OperationRegistry = {
  'post /v1/batches': {
    summary: 'Submit a batch of up to 10,000 job bodies',
    description:
      'As JSON (`BatchCreateRequest`) or as an OpenAI Batch input file (`application/jsonl`, one `OpenAIBatchInputLine` per line; its webhook in `?webhook=`). Each request becomes an ordinary job, at `batch` priority unless it says otherwise; a model without a provider (`gpt-4o-mini`) is OpenAI’s. The batch counts once against the tenant’s submit rate limit.',
    operationId: 'createBatch',
    tags,
    security: tenantAuth,
    parameters: [
      {
        name: 'Idempotency-Key',
        in: 'header',
        schema: { type: 'string', maxLength: 255 },
        description:
          'Same key and body within 24 h returns the same batch (200, `Idempotent-Replayed: true`); another body is 422.',
      },
      {
        name: 'webhook',
        in: 'query',
        schema: { type: 'string', format: 'uri' },
        description:
          'JSONL only: receives `batch.completed` (a JSON batch says `webhook` in its body).',
      },
    ],
    requestBody: {
      required: true,
      content: {
        'application/json': { schema: ref('BatchCreateRequest') },
        'application/jsonl': {
          schema: {
            type: 'string',
            description: `Up to ${MAX_BATCH_REQUESTS} lines, each an OpenAIBatchInputLine.`,
          },
          // OpenAPI 3.1 cannot type a line of JSONL (3.2's itemSchema can): an extension says it.
          'x-jsonl-item': ref('OpenAIBatchInputLine'),
        },
      },
    },
    responses: {
      '202': { description: 'Accepted; `Location` points at the batch.', ...json('Batch') },
      '200': { description: 'Idempotent replay of an earlier request.', ...json('Batch') },
      ...common,
      '400': error(
        'A bad item or line (`details` names its index or line number and the field), a duplicate `custom_id` (named), more than 10,000 requests, an unknown or unpriced model.',
      ),
      '402': error('The tenant’s monthly budget is spent.'),
      '409': error('A request with this Idempotency-Key is still in flight.'),
      '413': error('Body over `api.batch_body_limit_bytes` (default 50 MiB).'),
      '415': error('Body is neither application/json nor application/jsonl.'),
      '422': error('Idempotency-Key reused with a different body.'),
      '429': error('Tenant rate limit; see `Retry-After` and `RateLimit-*`.'),
    },
  },
  'get /v1/batches': {
    summary: 'List batches, newest first',
    operationId: 'listBatches',
    tags,
    security: tenantAuth,
    parameters: [
      {
        name: 'limit',
        in: 'query',
        schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
      },
      { name: 'cursor', in: 'query', schema: { type: 'string' } },
    ],
    responses: {
      '200': {
        description: 'A page of batches.',
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['object', 'data', 'has_more', 'next_cursor'],
              properties: {
                object: { const: 'list' },
                data: { type: 'array', items: ref('Batch') },
                has_more: { type: 'boolean' },
                next_cursor: { type: ['string', 'null'] },
              },
            },
          },
        },
      },
      ...common,
    },
  },
  'get /v1/batches/{id}': {
    summary: 'Get a batch, with its request counts',
    operationId: 'getBatch',
    tags,
    security: tenantAuth,
    parameters: [batchId],
    responses: { '200': { description: 'The batch.', ...json('Batch') }, ...common },
  },
  'get /v1/batches/{id}/results': {
    summary: 'The results of the requests that have ended, as JSONL',
    description:
      'One `BatchResultLine` per ended request, in submission order, in OpenAI’s batch output shape; streamed.',
    operationId: 'getBatchResults',
    tags,
    security: tenantAuth,
    parameters: [batchId],
    responses: {
      '200': {
        description: 'JSONL, one line per ended request.',
        content: {
          'application/jsonl': {
            schema: { type: 'string', description: 'One BatchResultLine per line.' },
            'x-jsonl-item': ref('BatchResultLine'),
          },
        },
      },
      ...common,
    },
  },
  'post /v1/batches/{id}/cancel': {
    summary: 'Cancel every request of a batch not yet ended',
    operationId: 'cancelBatch',
    tags,
    security: tenantAuth,
    parameters: [batchId],
    responses: {
      '200': { description: 'The batch, `canceling` or `canceled`.', ...json('Batch') },
      ...common,
      '409': error('The batch already completed.'),
    },
  },
};
