import type { ApiMetrics } from '@switchyard/observability';
import type { RequestHandler } from 'express';

/**
 * Counts and times every request by its route pattern (never the raw path: IDs would explode
 * labels). `routeOf` names the pattern from the path alone, so a request refused
 * before its route ran (a 503 while Redis is away, a 401) is still counted under its route.
 */
export function httpMetrics(
  metrics: ApiMetrics,
  routeOf: (path: string) => string,
): RequestHandler {
  return (req, res, next) => {
    const end = metrics.httpDuration.startTimer();
    res.on('finish', () => {
      const labels = {
        method: req.method,
        route: routeOf(req.path),
        status: String(res.statusCode),
      };
      end(labels);
      metrics.httpRequests.inc(labels);
    });
    next();
  };
}
