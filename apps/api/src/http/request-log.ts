import type { Level, Logger } from '@switchyard/observability';
import type { Principal } from '@switchyard/tenancy';
import type { Request, RequestHandler, Response } from 'express';
import { pinoHttp } from 'pino-http';

/**
 * Routes an orchestrator or a scraper calls every few seconds. Their answers are what the prober
 * acts on, so a line for each would only bury the requests people look for.
 */
const PROBES: ReadonlySet<string> = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * The level of a request's line, by its route (see route-label.ts) and status.
 * - 5xx: `error`, our failure.
 * - 4xx: `info`, like 2xx. They are the clients' mistakes (a bad key, an unknown ID, a rate
 *   limit), part of normal traffic; at `warn` they would drown what an operator must act on.
 *   The line's status code tells them apart.
 * - probes: `debug`, or `warn` when they fail (an unready API is worth a line, not a flood).
 */
export function requestLogLevel(route: string, status: number): Level {
  if (PROBES.has(route)) return status >= 500 ? 'warn' : 'debug';
  return status >= 500 ? 'error' : 'info';
}

/** The path as received: express rewrites `req.path` inside mounted routers. */
const pathOf = (req: Request): string => req.originalUrl.split('?', 1)[0]!;

/**
 * One line per request when it ends (pino-http): method, URL, route template, status, duration,
 * the request ID and, once authenticated, the tenant. Request and response go through the
 * logger's serializers (serialize-http.ts), which keep an allow list of headers and never a body.
 * Runs after `requestId`, whose ID it reuses.
 */
export function requestLog(logger: Logger, routeOf: (path: string) => string): RequestHandler {
  const fields = (req: Request, res: Response) => ({
    route: routeOf(pathOf(req)),
    // Set by authenticateTenant on /v1 routes; absent before it and on other routes.
    tenantId: (res.locals.principal as Principal | undefined)?.tenantId,
  });
  // The ID as a field of its own, first, named as in the worker's and dispatcher's lines.
  const withId = (res: Response, line: object) => ({ requestId: res.locals.requestId, ...line });
  return pinoHttp<Request, Response>({
    // The serializers keep an allow list of what a request line holds, so the logger's redaction
    // (a second line of defence for lines logged with arbitrary objects) has nothing to find in
    // these lines; without it, each costs a fraction as much, and there is one per request.
    logger: logger.child({}, { redact: [] }),
    genReqId: (_req, res) => res.locals.requestId,
    // pino-http makes a child logger per request for the request, and with `quietReqLogger` a
    // second one for its ID: one is enough, the ID goes into the line below (see withId).
    quietReqLogger: false,
    customAttributeKeys: { responseTime: 'durationMs' },
    // The logger's own serializers, not pino-http's, which would log every header.
    wrapSerializers: false,
    customLogLevel: (req, res) => requestLogLevel(routeOf(pathOf(req)), res.statusCode),
    customSuccessObject: (req, res, line: object) => withId(res, { ...line, ...fields(req, res) }),
    // pino-http makes up an error for a 5xx; the error handler logs the real one under the
    // same requestId, so the request's line carries only what happened.
    customErrorObject: (req, res, _error, line: { err?: unknown }) => {
      const { err: _made, ...rest } = line;
      return withId(res, { ...rest, ...fields(req, res) });
    },
    customErrorMessage: () => 'request failed',
  });
}
