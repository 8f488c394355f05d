import type { Router } from 'express';

/** A route as express matches it: an upper-case method and a path pattern (`/v1/jobs/:id`). */
export interface RouterRoute {
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
export const STATIC_FILE = '/:file';

/**
 * Every route of an express router (an app's is `app.router`), read from its router layers rather than listed by
 * hand, in the order they are mounted: routes of nested routers with their mount paths, and each
 * static area (`express.static`) as one `GET <area>/:file`. An express app mounted inside is not
 * entered (its layers are its own app's); walk it on its own with its mount path as `prefix`.
 */
export function routerRoutes(router: Router, prefix = ''): RouterRoute[] {
  const routes: RouterRoute[] = [];
  // express's own typings predate router 2's layers, hence the cast to what is read of them.
  walk(router.stack as unknown as Layer[], prefix, routes);
  return routes;
}

function walk(stack: readonly Layer[], prefix: string, into: RouterRoute[]): void {
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
