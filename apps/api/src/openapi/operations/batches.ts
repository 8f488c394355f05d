import type { OperationRegistry } from './operation-parts';

// Placeholder: the `batches` branch writes this registry (POST/GET /v1/batches, …) together with
// its routes; merging that branch replaces this file, and the route table check in
// openapi-document.ts then requires both to be there.
export const batchesOperations: OperationRegistry = {};
