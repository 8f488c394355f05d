import { adminAuth, type OperationRegistry } from './operation-parts';

/** What orchestrators and Prometheus call. */
export const healthOperations: OperationRegistry = {
  'get /healthz': {
    summary: 'Liveness',
    operationId: 'getLiveness',
    tags: ['operations'],
    responses: { '200': { description: 'Alive.' } },
  },
  'get /readyz': {
    summary: 'Readiness: Redis reachable and workers consuming',
    operationId: 'getReadiness',
    tags: ['operations'],
    responses: { '200': { description: 'Ready.' }, '503': { description: 'Not ready.' } },
  },
  'get /metrics': {
    summary: 'Prometheus metrics',
    operationId: 'getMetrics',
    tags: ['operations'],
    description: 'The admin token, or the viewer token (`SWITCHYARD_VIEWER_TOKEN`).',
    security: adminAuth,
    responses: { '200': { description: 'Prometheus text.' } },
  },
};
