import { type ApiDeps, BOARD_PATH, boardQueues, bullBoard, createApiApp } from '@switchyard/api';

/** A route as express matches it: a method and a path pattern (`/v1/jobs/:id`). */
export interface AppRoute {
  method: string;
  path: string;
}

/** What the walk reads of express's router layers (router 2: `rawPath`, `route`, `handle`). */
interface Layer {
  name: string;
  rawPath?: string | string[];
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
}

/** A file name under a static area stands for whatever it serves. */
const STATIC_FILE = '/:file';

/**
 * Every route of the API, read from the routers of the app itself rather than listed by hand,
 * so a route added later is fuzzed too: the app's routes, its static areas (`/docs/assets`), and
 * Bull Board's, which it mounts under {@link BOARD_PATH} as an app of its own (walked from the
 * same board the API mounts, built on the same deps).
 */
export function appRoutes(deps: ApiDeps): AppRoute[] {
  const routes: AppRoute[] = [];
  const app = createApiApp(deps) as unknown as { router: { stack: Layer[] } };
  walk(app.router.stack, '', routes);
  const board = bullBoard(boardQueues(deps.queues), 'admin') as unknown as {
    router: { stack: Layer[] };
  };
  walk(board.router.stack, BOARD_PATH, routes);
  return routes;
}

function walk(stack: readonly Layer[], prefix: string, into: AppRoute[]): void {
  for (const layer of stack) {
    if (layer.route) {
      for (const path of [layer.route.path].flat()) {
        for (const method of Object.keys(layer.route.methods)) {
          into.push({ method: method.toUpperCase(), path: prefix + path });
        }
      }
    } else if (layer.handle.stack) {
      const mount = layer.rawPath === '/' ? '' : String(layer.rawPath ?? '');
      walk(layer.handle.stack, prefix + mount, into);
    } else if (layer.name === 'serveStatic') {
      into.push({ method: 'GET', path: `${prefix}${String(layer.rawPath)}${STATIC_FILE}` });
    }
  }
}
