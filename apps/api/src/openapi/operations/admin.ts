import {
  adminAuth,
  commonErrors,
  json,
  type OperationRegistry,
  pathParameter,
  ref,
} from './operation-parts';

const tenantId = pathParameter('id');

/** Tenants and their API keys, with the admin token. */
export const adminOperations: OperationRegistry = {
  'post /admin/tenants': {
    summary: 'Create a tenant with its first API key and webhook secret',
    operationId: 'createTenant',
    tags: ['admin'],
    security: adminAuth,
    requestBody: { required: true, ...json('TenantCreate') },
    responses: {
      '201': { description: 'Created. The key is shown only here.', ...json('TenantCreated') },
      ...commonErrors,
    },
  },
  'get /admin/tenants': {
    summary: 'List tenants',
    operationId: 'listTenants',
    tags: ['admin'],
    security: adminAuth,
    responses: { '200': { description: 'All tenants.' }, ...commonErrors },
  },
  'get /admin/tenants/{id}': {
    summary: 'Get a tenant',
    operationId: 'getTenant',
    tags: ['admin'],
    security: adminAuth,
    parameters: [tenantId],
    responses: {
      '200': {
        description: 'The tenant, with its API keys (their prefixes, never the keys).',
        content: {
          'application/json': {
            schema: {
              allOf: [
                ref('Tenant'),
                {
                  type: 'object',
                  required: ['api_keys'],
                  properties: { api_keys: { type: 'array', items: ref('ApiKeyInfo') } },
                },
              ],
            },
          },
        },
      },
      ...commonErrors,
    },
  },
  'patch /admin/tenants/{id}': {
    summary: 'Change a tenant’s name or limits',
    operationId: 'updateTenant',
    tags: ['admin'],
    security: adminAuth,
    parameters: [tenantId],
    requestBody: { required: true, ...json('TenantUpdate') },
    responses: { '200': { description: 'The tenant.', ...json('Tenant') }, ...commonErrors },
  },
  'post /admin/tenants/{id}/keys': {
    summary: 'Add an API key',
    operationId: 'createApiKey',
    tags: ['admin'],
    security: adminAuth,
    parameters: [tenantId],
    requestBody: { required: false, ...json('ApiKeyCreate') },
    responses: {
      '201': { description: 'The key, shown only here.', ...json('ApiKeyCreated') },
      ...commonErrors,
    },
  },
  'delete /admin/keys/{key_prefix}': {
    summary: 'Revoke an API key',
    operationId: 'revokeApiKey',
    tags: ['admin'],
    security: adminAuth,
    parameters: [pathParameter('key_prefix')],
    responses: { '204': { description: 'Revoked.' }, ...commonErrors },
  },
};
