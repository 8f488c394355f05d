import { matchOperations } from '../src/openapi/match-operations';
import type { OpenApiOperation } from '../src/openapi/operations';

const op = (operationId: string): OpenApiOperation => ({
  summary: operationId,
  operationId,
  tags: ['t'],
  responses: { '200': { description: 'ok' } },
});

test('pairs each route with its operation under the OpenAPI path, in the router’s order', () => {
  const match = matchOperations(
    [
      { method: 'POST', path: '/v1/jobs' },
      { method: 'GET', path: '/v1/jobs/:id' },
      { method: 'GET', path: '/v1/jobs' },
      { method: 'DELETE', path: '/admin/keys/:key_prefix' },
    ],
    [
      { 'get /v1/jobs': op('listJobs'), 'post /v1/jobs': op('submitJob') },
      { 'get /v1/jobs/{id}': op('getJob'), 'delete /admin/keys/{key_prefix}': op('revokeKey') },
    ],
  );
  expect(match).toEqual({
    paths: {
      '/v1/jobs': { post: op('submitJob'), get: op('listJobs') },
      '/v1/jobs/{id}': { get: op('getJob') },
      '/admin/keys/{key_prefix}': { delete: op('revokeKey') },
    },
    routesWithoutOperation: [],
    operationsWithoutRoute: [],
    duplicateOperations: [],
  });
  expect(Object.keys(match.paths)).toEqual([
    '/v1/jobs',
    '/v1/jobs/{id}',
    '/admin/keys/{key_prefix}',
  ]);
});

test('reports routes without an operation, operations without a route, and duplicates', () => {
  const match = matchOperations(
    [
      { method: 'GET', path: '/v1/jobs/:id' },
      { method: 'GET', path: '/v1/jobs/:id/events' },
      { method: 'POST', path: '/v1/batches' },
    ],
    [
      { 'get /v1/jobs/{id}': op('getJob'), 'get /v1/jobs/{job_id}/events': op('streamEvents') },
      { 'get /v1/jobs/{id}': op('getJobAgain'), 'put /v1/batches': op('putBatch') },
    ],
  );
  expect(match).toEqual({
    paths: { '/v1/jobs/{id}': { get: op('getJobAgain') } },
    routesWithoutOperation: ['get /v1/jobs/{id}/events', 'post /v1/batches'],
    operationsWithoutRoute: ['get /v1/jobs/{job_id}/events', 'put /v1/batches'],
    duplicateOperations: ['get /v1/jobs/{id}'],
  });
});
