/**
 * An OpenAPI 3.1 Operation object as the registries in this folder write it: schemas by
 * `$ref: '#/components/schemas/<core meta id>'` (see {@link json}), never copied.
 */
export interface OpenApiOperation {
  summary: string;
  /** Unique across the document: SDK generators name their methods after it. */
  operationId: string;
  tags: string[];
  description?: string;
  /** Omitted for routes anyone may call. */
  security?: Array<Record<string, string[]>>;
  parameters?: Array<Record<string, unknown>>;
  requestBody?: Record<string, unknown>;
  responses: Record<string, Record<string, unknown>>;
}

/**
 * A registry of one area: operations keyed `'<lower-case method> <OpenAPI path>'`
 * (`'get /v1/jobs/{id}'`), each the route of the same method and path in the router.
 */
export type OperationRegistry = Readonly<Record<string, OpenApiOperation>>;

export const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
export const json = (id: string) => ({ content: { 'application/json': { schema: ref(id) } } });
export const error = (description: string) => ({ description, ...json('Error') });

/** The errors every authenticated route may answer; an operation overrides what it says more. */
export const commonErrors = {
  '400': error(
    'Malformed JSON, a schema violation, a body that does not decode as its `Content-Encoding` says, or a malformed percent-encoding in the path; `details` lists each field.',
  ),
  '401': error('No or invalid credential.'),
  '403': error('The key lacks the scope.'),
  '404': error('Unknown ID, or an ID of another tenant.'),
  '503': error('Redis unreachable; retry after `Retry-After`.'),
};

export const jobIdParameter = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string', pattern: '^job_' },
};

/** A path parameter with no format of its own to state. */
export const pathParameter = (name: string) => ({
  name,
  in: 'path',
  required: true,
  schema: { type: 'string' },
});

export const tenantAuth = [{ apiKey: [] }];
export const adminAuth = [{ adminToken: [] }];
