import { buildOpenApiDocument, RouteTableMismatchError } from '../src/openapi/openapi-document';
import { OPERATION_REGISTRIES } from '../src/openapi/operations';
import type { RouterRoute } from '../src/openapi/router-routes';

/** The routes the registries describe, as express would list them, plus the excluded areas. */
function routesOfRegistries(): RouterRoute[] {
  return OPERATION_REGISTRIES.flatMap((registry) =>
    Object.keys(registry).map((key) => {
      const [method, path] = key.split(' ') as [string, string];
      return { method: method.toUpperCase(), path: path.replace(/\{(\w+)\}/g, ':$1') };
    }),
  );
}

const excluded: RouterRoute[] = [
  { method: 'GET', path: '/docs/assets/:file' },
  { method: 'GET', path: '/admin/queues/api/queues' },
];

test('a document of the routes, each with its registry’s operation; exclusions left out', () => {
  const document = buildOpenApiDocument([...routesOfRegistries(), ...excluded]) as {
    tags: Array<{ name: string }>;
    paths: Record<string, Record<string, { operationId: string }>>;
  };
  // Sections in reading order, only those in use (the event stream is among the jobs' routes).
  expect(document.tags.map((tag) => tag.name)).toEqual([
    'jobs',
    'batches',
    'usage',
    'webhooks',
    'admin',
    'operations',
  ]);
  expect(document.paths['/v1/jobs/{id}']!.get!.operationId).toBe('getJob');
  expect(document.paths['/v1/jobs/{id}/events']!.get!.operationId).toBe('streamJobEvents');
  expect(document.paths['/v1/batches']!.post!.operationId).toBe('createBatch');
  expect(document.paths['/admin/keys/{key_prefix}']!.delete!.operationId).toBe('revokeApiKey');
  expect(Object.keys(document.paths)).not.toContain('/docs/assets/{file}');
  const ids = Object.values(document.paths).flatMap((methods) =>
    Object.values(methods).map((operation) => operation.operationId),
  );
  expect(new Set(ids).size).toBe(ids.length);
});

test('a route without an operation and an operation without a route stop the build, named', () => {
  const routes = routesOfRegistries().filter((route) => route.path !== '/v1/usage');
  routes.push({ method: 'GET', path: '/v1/secret-new-thing/:id' });
  let thrown: unknown;
  try {
    buildOpenApiDocument(routes);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(RouteTableMismatchError);
  expect((thrown as RouteTableMismatchError).mismatch).toEqual({
    routesWithoutOperation: ['get /v1/secret-new-thing/{id}'],
    operationsWithoutRoute: ['get /v1/usage'],
    duplicateOperations: [],
  });
  expect((thrown as Error).message).toBe(
    [
      'The OpenAPI operations (apps/api/src/openapi/operations/) do not match the router:',
      '  routes without an operation (add one, keyed as shown):',
      "    'get /v1/secret-new-thing/{id}'",
      '  operations without a route (remove or fix the key):',
      "    'get /v1/usage'",
    ].join('\n'),
  );
});
