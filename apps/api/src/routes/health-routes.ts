import { readWorkerCensus, type WorkerCensus } from '@switchyard/queue';
import { type RequestHandler, Router } from 'express';
import type { ApiDeps } from '../api-deps';
import { recordPlatformGauges } from '../services/platform-gauges';

const NO_WORKERS: WorkerCensus = { live: 0, consuming: 0 };
/** Longest a readiness probe waits on Redis before calling it unreachable. */
const PING_TIMEOUT_MS = 1_000;

/** Liveness, readiness and metrics. */
export function healthRoutes(deps: ApiDeps, requireOperator: RequestHandler): Router {
  const router = Router();

  // Liveness: the process answers. Never touches Redis, so an outage does not restart pods.
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  // Readiness: Redis answers and at least one worker takes jobs. A worker that beats but is
  // stalled (free slots, jobs waiting, nothing taken for 30 s) does not count. A draining API
  // (SIGTERM) is not ready either, so load balancers stop sending it requests.
  router.get('/readyz', async (_req, res) => {
    const redis = await pingRedis(deps);
    const census: WorkerCensus = redis
      ? await readWorkerCensus(deps.redis, deps.keys, Date.now()).catch(() => NO_WORKERS)
      : NO_WORKERS;
    const draining = deps.drain.draining;
    const ready = redis && census.consuming > 0 && !draining;
    res.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : draining ? 'draining' : 'unavailable',
      redis: redis ? 'ok' : 'unreachable',
      workers: census.live,
      consuming: census.consuming,
    });
  });

  router.get('/metrics', requireOperator, async (_req, res) => {
    await recordPlatformGauges(deps).catch(() => undefined); // stale gauges beat no metrics
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });

  return router;
}

async function pingRedis(deps: ApiDeps): Promise<boolean> {
  if (deps.redis.status !== 'ready') return false;
  const timeout = new Promise<false>((resolve) =>
    setTimeout(() => resolve(false), PING_TIMEOUT_MS).unref(),
  );
  const ping = deps.redis.ping().then(
    (reply) => reply === 'PONG',
    () => false,
  );
  return Promise.race([ping, timeout]);
}
