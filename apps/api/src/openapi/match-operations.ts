import type { OpenApiOperation, OperationRegistry } from './operations';
import { operationKey } from './reference-routes';
import type { RouterRoute } from './router-routes';

/** The reference's routes paired with their operations, and what did not pair. */
export interface OperationMatch {
  /** OpenAPI `paths`: path → lower-case method → operation, in the router's order. */
  paths: Record<string, Record<string, OpenApiOperation>>;
  /** Keys (`'get /v1/jobs/{id}'`) of routes no registry has an operation for. */
  routesWithoutOperation: string[];
  /** Registry keys no route of the router has. */
  operationsWithoutRoute: string[];
  /** Keys written in more than one registry. */
  duplicateOperations: string[];
}

/**
 * Pairs each route with the operation under its key. The router decides which paths there are;
 * the registries only describe them, so a route or an operation without its pair is reported,
 * never dropped or guessed.
 */
export function matchOperations(
  routes: readonly RouterRoute[],
  registries: readonly OperationRegistry[],
): OperationMatch {
  const operations = new Map<string, OpenApiOperation>();
  const duplicateOperations: string[] = [];
  for (const registry of registries) {
    for (const [key, operation] of Object.entries(registry)) {
      if (operations.has(key)) duplicateOperations.push(key);
      operations.set(key, operation);
    }
  }
  const paths: OperationMatch['paths'] = {};
  const routesWithoutOperation: string[] = [];
  const routed = new Set<string>();
  for (const route of routes) {
    const key = operationKey(route);
    routed.add(key);
    const operation = operations.get(key);
    if (!operation) {
      routesWithoutOperation.push(key);
      continue;
    }
    const [method, path] = splitKey(key);
    paths[path] = { ...paths[path], [method]: operation };
  }
  const operationsWithoutRoute = [...operations.keys()].filter((key) => !routed.has(key));
  return { paths, routesWithoutOperation, operationsWithoutRoute, duplicateOperations };
}

function splitKey(key: string): [method: string, path: string] {
  const space = key.indexOf(' ');
  return [key.slice(0, space), key.slice(space + 1)];
}
