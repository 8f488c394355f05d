import type { ApiMetrics } from '@switchyard/observability';
import type { RequestHandler } from 'express';

/**
 * What a request whose client went away before the answer counts as: nginx's 499, "client closed
 * request" (a long-poll given up on, a submit whose client timed out).
 */
const CLIENT_CLOSED = '499';

/**
 * Counts and times every request by its route pattern (never the raw path: IDs would explode
 * labels). The pattern comes from the path as received (`routeOf`), before any router rewrites
 * it, so a request refused before its route ran (a 503 while Redis is away, a 401) and one served
 * inside a mounted router (Bull Board) are counted under their route too.
 */
export function httpMetrics(
  metrics: ApiMetrics,
  routeOf: (path: string) => string,
): RequestHandler {
  return (req, res, next) => {
    const end = metrics.httpDuration.startTimer();
    const route = routeOf(req.originalUrl.split('?', 1)[0]!);
    // 'close' comes once per response, after 'finish' when the answer was sent: one listener.
    res.on('close', () => {
      const status = res.writableFinished ? String(res.statusCode) : CLIENT_CLOSED;
      const labels = { method: req.method, route, status };
      end(labels);
      metrics.httpRequests.inc(labels);
    });
    next();
  };
}
