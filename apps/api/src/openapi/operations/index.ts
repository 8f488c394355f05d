import { adminOperations } from './admin';
import { batchesOperations } from './batches';
import { docsOperations } from './docs';
import { eventsOperations } from './events';
import { healthOperations } from './health';
import { jobsOperations } from './jobs';
import type { OperationRegistry } from './operation-parts';
import { usageOperations } from './usage';
import { webhooksOperations } from './webhooks';

export type { OpenApiOperation, OperationRegistry } from './operation-parts';

/**
 * Every area's operations. A route of the router needs its entry in one of these (keyed
 * `'<lower-case method> <OpenAPI path>'`), and every entry needs its route: see
 * {@link matchOperations}.
 */
export const OPERATION_REGISTRIES: readonly OperationRegistry[] = [
  jobsOperations,
  eventsOperations,
  batchesOperations,
  usageOperations,
  webhooksOperations,
  adminOperations,
  healthOperations,
  docsOperations,
];
