// Importing core registers the contract's schemas (their `.meta({ id })`) globally.
import '@switchyard/core';
import { z } from 'zod';
import { matchOperations, type OperationMatch } from './match-operations';
import { OPERATION_REGISTRIES } from './operations';
import { referenceRoutes } from './reference-routes';
import type { RouterRoute } from './router-routes';

/**
 * The router and the operation registries disagree: the reference would miss a route or
 * describe one that does not exist. A programming error, found at start-up (and by the tests).
 */
export class RouteTableMismatchError extends Error {
  constructor(readonly mismatch: Omit<OperationMatch, 'paths'>) {
    const lines = [
      'The OpenAPI operations (apps/api/src/openapi/operations/) do not match the router:',
      ...listed(
        'routes without an operation (add one, keyed as shown)',
        mismatch.routesWithoutOperation,
      ),
      ...listed(
        'operations without a route (remove or fix the key)',
        mismatch.operationsWithoutRoute,
      ),
      ...listed('operations written in more than one registry', mismatch.duplicateOperations),
    ];
    super(lines.join('\n'));
    this.name = 'RouteTableMismatchError';
  }
}

/**
 * The reference's sections, in reading order (a page shows tags in the order given here, else in
 * the order routes are mounted, which puts health checks first). Only tags in use are listed.
 */
const TAGS: ReadonlyArray<{ name: string; description: string }> = [
  { name: 'jobs', description: 'Submit a job, then read, wait for, stream or cancel it.' },
  { name: 'events', description: 'A job’s events as Server-Sent Events.' },
  { name: 'batches', description: 'Up to 10,000 jobs at once, as JSON or an OpenAI batch file.' },
  { name: 'usage', description: 'Requests, tokens, cost and cache savings.' },
  { name: 'webhooks', description: 'Signed webhooks: deliveries, redelivery, the signing secret.' },
  { name: 'admin', description: 'Tenants and API keys (admin token).' },
  { name: 'operations', description: 'Health, metrics and this reference.' },
];

function usedTags(paths: OperationMatch['paths']): typeof TAGS {
  const used = new Set(
    Object.values(paths).flatMap((methods) => Object.values(methods).flatMap((op) => op.tags)),
  );
  return TAGS.filter((tag) => used.has(tag.name));
}

function listed(title: string, keys: readonly string[]): string[] {
  return keys.length === 0 ? [] : [`  ${title}:`, ...keys.map((key) => `    '${key}'`)];
}

/**
 * OpenAPI 3.1 of the routes `routes` lists (the app's router, read by routerRoutes), minus
 * `REFERENCE_EXCLUSIONS`, each described by its registry entry; the schemas are core's zod
 * schemas (3.1 uses JSON Schema 2020-12). Throws {@link RouteTableMismatchError} naming every
 * route without an operation and every operation without a route.
 */
export function buildOpenApiDocument(
  routes: readonly RouterRoute[],
  serverUrl?: string,
): Record<string, unknown> {
  const { paths, ...mismatch } = matchOperations(referenceRoutes(routes), OPERATION_REGISTRIES);
  if (Object.values(mismatch).some((keys) => keys.length > 0)) {
    throw new RouteTableMismatchError(mismatch);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Switchyard',
      version: '1',
      description:
        'An async job platform for AI model calls: submit a job, get an ID at once, then poll, long-poll, stream its events or receive a signed webhook.',
    },
    ...(serverUrl && { servers: [{ url: serverUrl }] }),
    tags: usedTags(paths),
    paths,
    components: {
      schemas: componentSchemas(),
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'A tenant API key (`sy_live_…`).' },
        adminToken: { type: 'http', scheme: 'bearer', description: 'SWITCHYARD_ADMIN_TOKEN.' },
      },
    },
  };
}

/** Every schema core registered, as `#/components/schemas/<id>`. */
function componentSchemas(): Record<string, unknown> {
  const { schemas } = z.toJSONSchema(z.globalRegistry, {
    target: 'draft-2020-12',
    io: 'input',
    uri: (id) => `#/components/schemas/${id}`,
  });
  const components: Record<string, unknown> = {};
  for (const [id, schema] of Object.entries(schemas)) {
    const { $schema: _schema, $id: _id, ...rest } = schema as Record<string, unknown>;
    components[id] = rest;
  }
  return components;
}

/** The path templates of the registries (`/v1/jobs/{id}`), equal to the router's (see above). */
export function apiPathTemplates(): string[] {
  const paths = OPERATION_REGISTRIES.flatMap((registry) =>
    Object.keys(registry).map((key) => key.slice(key.indexOf(' ') + 1)),
  );
  return [...new Set(paths)];
}
