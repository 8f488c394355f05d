import {
  type ApiDeps,
  BOARD_PATH,
  boardQueues,
  bullBoard,
  createApiApp,
  openApiPath,
  referenceRoutes,
  type RouterRoute,
  routerRoutes,
} from '@switchyard/api';

/** A route as express matches it: a method and a path pattern (`/v1/jobs/:id`). */
export type AppRoute = RouterRoute;

/**
 * Every route of the API, read from the routers of the app itself rather than listed by hand,
 * so a route added later is fuzzed too: the app's routes, its static areas (`/docs/assets`), and
 * Bull Board's, which it mounts under {@link BOARD_PATH} as an app of its own (walked from the
 * same board the API mounts, built on the same deps).
 */
export function appRoutes(deps: ApiDeps): AppRoute[] {
  const board = bullBoard(boardQueues(deps.queues), 'admin');
  return [...routerRoutes(createApiApp(deps).router), ...routerRoutes(board.router, BOARD_PATH)];
}

/**
 * The routes the API reference documents, as it writes them (`GET /v1/jobs/{id}`): the app's
 * routes minus the reference's exclusions (Bull Board, the page's static files).
 */
export function documentedRoutes(deps: ApiDeps): AppRoute[] {
  return referenceRoutes(appRoutes(deps)).map(({ method, path }) => ({
    method,
    path: openApiPath(path),
  }));
}
