import { requestLogLevel } from '../src/http/request-log';

test.each([
  ['/v1/jobs', 202, 'info'],
  ['/v1/jobs', 400, 'info'],
  ['/v1/jobs', 401, 'info'],
  ['/v1/jobs/{id}', 404, 'info'],
  ['unmatched', 404, 'info'],
  ['/v1/jobs', 429, 'info'],
  ['/v1/jobs', 500, 'error'],
  ['/v1/jobs', 503, 'error'],
  ['/healthz', 200, 'debug'],
  ['/readyz', 200, 'debug'],
  ['/metrics', 200, 'debug'],
  ['/metrics', 401, 'debug'],
  ['/readyz', 503, 'warn'],
])('%s answered %i is logged at %s', (route, status, level) => {
  expect(requestLogLevel(route, status)).toBe(level);
});
