import { routeLabeller } from '../src/http/route-label';

const label = routeLabeller(
  ['/v1/jobs', '/v1/jobs/{id}', '/v1/jobs/{id}/cancel', '/admin/keys/{key_prefix}'],
  ['/admin/queues', '/docs'],
);

test.each([
  ['/v1/jobs', '/v1/jobs'],
  ['/v1/jobs/', '/v1/jobs'],
  ['/v1/jobs/job_abc', '/v1/jobs/{id}'],
  ['/v1/jobs/job_abc/cancel', '/v1/jobs/{id}/cancel'],
  ['/v1/jobs/job_abc/cancel/more', 'unmatched'],
  ['/admin/keys/sy_live_1234', '/admin/keys/{key_prefix}'],
  ['/admin/queues', '/admin/queues'],
  ['/admin/queues/api/queues', '/admin/queues'],
  ['/admin/queuesX', 'unmatched'],
  ['/docs/assets/swagger-ui.css', '/docs'],
  ['/constructor', 'unmatched'],
  ['/', 'unmatched'],
])('%s → %s', (path, expected) => {
  expect(label(path)).toBe(expected);
});
