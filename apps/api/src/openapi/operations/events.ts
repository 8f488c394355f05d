import type { OperationRegistry } from './operation-parts';

// Placeholder: the `events` branch writes this registry (GET /v1/jobs/{id}/events) together
// with its route; merging that branch replaces this file, and the route table check in
// openapi-document.ts then requires both to be there.
export const eventsOperations: OperationRegistry = {};
