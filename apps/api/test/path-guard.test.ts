import { pathProblem } from '../src/http/path-guard';

test.each([
  '/v1/jobs/job_1',
  '/v1/jobs/a%2Fb',
  '/docs/assets/swagger-ui.css',
  '/v1/jobs/%E2%82%AC',
  '/',
])('%s is a path routes may serve', (path) => {
  expect(pathProblem(path)).toBeUndefined();
});

test.each([
  '/v1/jobs/%E0%A4%A',
  '/v1/jobs/%',
  '/v1/jobs/%ff',
  '/v1/jobs/%C0%AF',
  '/admin/keys/a%2',
])('%s has a malformed percent-encoding', (path) => {
  expect(pathProblem(path)?.detail).toBe('malformed percent-encoding');
});

test.each(['/docs/assets/../x', '/docs/assets/x/.', '/docs/%2e%2e/x', '/docs/assets/x%2f..%2fy'])(
  '%s has a dot segment',
  (path) => {
    expect(pathProblem(path)?.detail).toBe('dot segment');
  },
);
