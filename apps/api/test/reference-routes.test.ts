import { openApiPath, operationKey, referenceRoutes } from '../src/openapi/reference-routes';

test.each([
  ['/v1/jobs', '/v1/jobs'],
  ['/v1/jobs/:id', '/v1/jobs/{id}'],
  ['/v1/jobs/:id/cancel', '/v1/jobs/{id}/cancel'],
  ['/admin/keys/:key_prefix', '/admin/keys/{key_prefix}'],
  ['/a/:x/b/:y', '/a/{x}/b/{y}'],
])('express %s is OpenAPI %s', (express, openApi) => {
  expect(openApiPath(express)).toBe(openApi);
});

test('a registry key is the lower-case method and the OpenAPI path', () => {
  expect(operationKey({ method: 'POST', path: '/v1/jobs/:id/cancel' })).toBe(
    'post /v1/jobs/{id}/cancel',
  );
});

test('Bull Board and the page’s static files are left out of the reference; the rest stays', () => {
  const routes = [
    { method: 'GET', path: '/docs' },
    { method: 'GET', path: '/docs/assets/:file' },
    { method: 'GET', path: '/admin/queues' },
    { method: 'PUT', path: '/admin/queues/api/queues/:queueName/:jobId/retry' },
    { method: 'GET', path: '/admin/queuesque' },
    { method: 'GET', path: '/admin/tenants' },
    { method: 'GET', path: '/openapi.json' },
  ];
  expect(referenceRoutes(routes)).toEqual([
    { method: 'GET', path: '/docs' },
    { method: 'GET', path: '/admin/queuesque' },
    { method: 'GET', path: '/admin/tenants' },
    { method: 'GET', path: '/openapi.json' },
  ]);
});
