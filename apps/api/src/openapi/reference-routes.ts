import { BOARD_PATH } from '../board/queue-board';
import type { RouterRoute } from './router-routes';

/**
 * Parts of the router that are not in the API reference, each with why. Everything else the
 * router serves is, and needs its operation (see matchOperations).
 */
export const REFERENCE_EXCLUSIONS: ReadonlyArray<{ prefix: string; why: string }> = [
  {
    prefix: BOARD_PATH,
    why: 'Bull Board: an operator UI whose page and internal API are bull-board’s, not the contract’s',
  },
  { prefix: '/docs/assets', why: 'the static files of the reference page (swagger-ui-dist)' },
];

/** Whether `path` (an express pattern or a request path) lies in an excluded area. */
export function isExcluded(path: string): boolean {
  return REFERENCE_EXCLUSIONS.some(
    ({ prefix }) => path === prefix || path.startsWith(`${prefix}/`),
  );
}

/** The router's routes the reference documents: all but the exclusions. */
export function referenceRoutes(routes: readonly RouterRoute[]): RouterRoute[] {
  return routes.filter((route) => !isExcluded(route.path));
}

/** express's `/v1/jobs/:id` as OpenAPI writes it: `/v1/jobs/{id}`. */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(/:(\w+)/g, '{$1}');
}

/** A registry key: `'<lower-case method> <OpenAPI path>'`, e.g. `'get /v1/jobs/{id}'`. */
export function operationKey(route: RouterRoute): string {
  return `${route.method.toLowerCase()} ${openApiPath(route.path)}`;
}
