import type { OperationRegistry } from './operation-parts';

/** This reference itself: the document and the page that renders it. */
export const docsOperations: OperationRegistry = {
  'get /openapi.json': {
    summary: 'This OpenAPI 3.1 document, generated from the router and the zod schemas',
    operationId: 'getOpenApiDocument',
    tags: ['operations'],
    responses: {
      '200': {
        description: 'The document.',
        content: { 'application/json': { schema: { type: 'object' } } },
      },
    },
  },
  'get /docs': {
    summary: 'The API reference page (this document, rendered)',
    operationId: 'getReferencePage',
    tags: ['operations'],
    responses: { '200': { description: 'An HTML page.', content: { 'text/html': {} } } },
  },
};
