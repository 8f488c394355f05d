import { countLiveWorkers } from '@switchyard/queue';
import { type RequestHandler, Router } from 'express';
import type { ApiDeps } from '../api-deps';

/** Longest a readiness probe waits on Redis before calling it unreachable. */
const PING_TIMEOUT_MS = 1_000;

/** Liveness, readiness and metrics. */
export function healthRoutes(deps: ApiDeps, requireOperator: RequestHandler): Router {
  const router = Router();

  // Liveness: the process answers. Never touches Redis, so an outage does not restart pods.
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  // Readiness: Redis answers and at least one worker is consuming.
  router.get('/readyz', async (_req, res) => {
    const redis = await pingRedis(deps);
    const workers = redis
      ? await countLiveWorkers(deps.redis, deps.keys, Date.now()).catch(() => 0)
      : 0;
    const ready = redis && workers > 0;
    res.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : 'unavailable',
      redis: redis ? 'ok' : 'unreachable',
      workers,
    });
  });

  router.get('/metrics', requireOperator, async (_req, res) => {
    await recordQueueDepths(deps);
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

/** Queue depth per state, read at scrape time: what autoscaling on queue depth watches. */
async function recordQueueDepths(deps: ApiDeps): Promise<void> {
  if (deps.redis.status !== 'ready') return;
  for (const queue of deps.queues.all()) {
    const counts = await queue.getJobCounts('wait', 'active', 'delayed', 'prioritized', 'failed');
    for (const [state, count] of Object.entries(counts)) {
      deps.metrics.queueJobs.set({ queue: queue.name, state }, count);
    }
  }
}
