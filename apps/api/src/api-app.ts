import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError, type Settings } from '@switchyard/config';
import { settlesWithin } from '@switchyard/core';
import { createApiMetrics, exitOnFatal, type Logger } from '@switchyard/observability';
import {
  createRedis,
  Keys,
  requireSafeRedis,
  watchRedisPolicy,
  whenReady,
} from '@switchyard/redis-kit';
import {
  EnqueueReconciler,
  IdempotencyStore,
  JobQueues,
  JobStore,
  JobWatcher,
} from '@switchyard/queue';
import { SpendLedger, TenantRateLimiter, TenantStore, WebhookSecrets } from '@switchyard/tenancy';
import express, { type Express } from 'express';
import type { ApiDeps } from './api-deps';
import './http/locals';
import { boardQueues } from './board/board-queues';
import { BOARD_PATH, queueBoard } from './board/queue-board';
import {
  ADMIN_ONLY,
  ANY_OPERATOR,
  authenticateOperator,
  authenticateTenant,
} from './http/authenticate';
import { answerClientError } from './http/client-error';
import { conformErrorBodies } from './http/conform-errors';
import { Drain } from './http/drain';
import { errorHandler, notFound } from './http/error-handler';
import { httpMetrics } from './http/http-metrics';
import { jsonBody } from './http/json-body';
import { checkPath } from './http/path-guard';
import { routeLabeller } from './http/route-label';
import { apiPathTemplates } from './openapi/openapi-document';
import { requireRedis } from './http/redis-guard';
import { requestId } from './http/request-id';
import { requestLog } from './http/request-log';
import { adminRoutes } from './routes/admin-routes';
import { docsRoutes } from './routes/docs-routes';
import { eventsRoutes } from './routes/events-routes';
import { healthRoutes } from './routes/health-routes';
import { jobsRoutes } from './routes/jobs-routes';
import { usageRoutes } from './routes/usage-routes';
import { webhookDeliveryRoutes } from './routes/webhook-delivery-routes';
import { webhookSecretRoutes } from './routes/webhook-secret-routes';

/** How long a stopping API lets requests in progress finish before cutting them. */
const DRAIN_MS = 10_000;
/** How long start-up waits for its connections to a Redis the preflight just reached. */
const CONNECT_WAIT_MS = 5_000;

/** The express app: middleware order is the request's path through the API. */
export function createApiApp(deps: ApiDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback, linklocal, uniquelocal');
  app.set('query parser', 'simple');
  const limit = deps.settings.api.bodyLimitBytes;
  // Tenants and keys are the admin's; the viewer token may look at the queues and the metrics.
  const requireAdmin = authenticateOperator(deps.operators, ADMIN_ONLY);
  const requireOperator = authenticateOperator(deps.operators, ANY_OPERATOR);

  const routeOf = routeLabeller(apiPathTemplates(), [BOARD_PATH, '/docs', '/openapi.json']);
  app.use(requestId, requestLog(deps.logger, routeOf), httpMetrics(deps.metrics, routeOf));
  app.use(checkPath);
  app.use(deps.drain.track);
  app.use(healthRoutes(deps, requireOperator));
  app.use(docsRoutes());
  app.use('/v1', requireRedis(deps.redis), authenticateTenant(deps.tenants), jsonBody(limit));
  app.use(jobsRoutes(deps));
  app.use(eventsRoutes(deps));
  app.use(usageRoutes(deps));
  app.use(webhookSecretRoutes(deps));
  app.use(webhookDeliveryRoutes(deps));
  // Bull Board before the other /admin routes: the viewer may use it, and it answers everything
  // under its path (with its own body parser), so nothing there reaches the admin-only guard.
  // Its bodies are read by our parser first (bull-board's own then finds the body read), so a
  // malformed or wrongly encoded one gets the same precise 4xx as anywhere else, and its own
  // error bodies are put in the contract's shape.
  app.use(
    BOARD_PATH,
    requireOperator,
    jsonBody(limit),
    conformErrorBodies,
    queueBoard(boardQueues(deps.queues), deps.redis),
    notFound,
  );
  app.use('/admin', requireAdmin, requireRedis(deps.redis), jsonBody(limit));
  app.use(adminRoutes(deps));
  app.use(notFound);
  app.use(errorHandler(deps.logger, limit));
  return app;
}

export interface ApiServerOptions {
  settings: Settings;
  redisUrl: string;
  adminToken: string;
  /** SWITCHYARD_VIEWER_TOKEN: read-only access to Bull Board and `/metrics`. @defaultValue none */
  viewerToken?: string | undefined;
  logger: Logger;
  /** Key namespace; tests give each file its own. @defaultValue 'sy' */
  namespace?: string;
  /** Port to listen on; 0 picks a free one. @defaultValue settings.env.PORT */
  port?: number;
  /** @defaultValue '0.0.0.0' */
  host?: string;
  /** On close, how long requests in progress may take to finish. @defaultValue 10000 */
  drainMs?: number;
  /**
   * Called when the process can no longer serve correctly (Redis found evicting after a
   * reconnect). @defaultValue log the reason and exit 1, so the orchestrator restarts it
   */
  onFatal?: (reason: string) => void;
}

export interface ApiServer {
  /** Names this process's Redis connections (CLIENT LIST), as the worker's id does. */
  readonly id: string;
  readonly url: string;
  readonly port: number;
  readonly deps: ApiDeps;
  close(): Promise<void>;
}

/** Checks Redis is reachable and safe for queues, connects, and listens. */
export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const { settings, logger } = options;
  if (options.viewerToken !== undefined && options.viewerToken === options.adminToken) {
    // The admin token would win, so the "read-only" credential would quietly be an admin one.
    throw new ConfigError('SWITCHYARD_VIEWER_TOKEN: must differ from SWITCHYARD_ADMIN_TOKEN');
  }
  const requirements = { allowEviction: settings.env.SWITCHYARD_ALLOW_REDIS_EVICTION };
  await requireSafeRedis(options.redisUrl, requirements, logger);
  const id = `api-${randomUUID()}`;
  const keys = new Keys(options.namespace);
  const redis = createRedis(options.redisUrl, 'api', `${id}:store`);
  const subscriber = createRedis(options.redisUrl, 'subscriber', `${id}:events`);
  const queues = new JobQueues(redis, keys);
  const deps: ApiDeps = {
    settings,
    logger,
    metrics: createApiMetrics(),
    redis,
    subscriber,
    keys,
    store: new JobStore(redis, keys, settings.jobs.retentionMs, settings.events.maxLen),
    queues,
    watcher: new JobWatcher(subscriber, keys),
    idempotency: new IdempotencyStore(redis, keys),
    tenants: new TenantStore(redis, keys),
    limiter: new TenantRateLimiter(redis, keys),
    spend: new SpendLedger(redis, keys),
    webhookSecrets: new WebhookSecrets(redis, keys),
    operators: { admin: options.adminToken, viewer: options.viewerToken },
    drain: new Drain(),
  };
  deps.metrics.redisUp.watch(redis);
  // A submit that died between its record write and its enqueue leaves a job this finds.
  const reconciler = new EnqueueReconciler(redis, keys, deps.store, queues);
  reconciler.start(
    (count) => logger.warn({ count }, 'enqueued jobs whose submit died before enqueueing them'),
    (err: unknown) => logger.warn({ err }, 'enqueue reconciler failed'),
  );
  const closeRedis = () => {
    subscriber.disconnect();
    redis.disconnect();
  };

  // Found reachable a moment ago: wait for the connection so a normal start has no 503 window.
  // If Redis went away since, listen anyway and answer 503 until it is back (readiness says so).
  await settlesWithin(whenReady(redis), CONNECT_WAIT_MS);
  // A Redis that would evict queue keys is refused whenever it is seen, after a failover too.
  watchRedisPolicy(redis, requirements, options.onFatal ?? exitOnFatal(logger));

  const server = createApiApp(deps).listen(
    options.port ?? settings.env.PORT,
    options.host ?? '0.0.0.0',
  );
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new ConfigError(`PORT: ${options.port ?? settings.env.PORT} is already in use`)
          : error,
      ),
    );
  }).catch(async (error: unknown) => {
    await reconciler.stop();
    closeRedis();
    throw error;
  });
  // Long-polls hold requests up to 60 s; keep-alive must outlast a proxy's idle timeout.
  server.on('clientError', answerClientError);
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const port = (server.address() as AddressInfo).port;
  logger.info({ port }, 'api listening');

  return {
    id,
    url: `http://127.0.0.1:${port}`,
    port,
    deps,
    close: async () => {
      deps.drain.start();
      await drainServer(server, options.drainMs ?? DRAIN_MS);
      logger.info({ port }, 'api stopped taking requests');
      await reconciler.stop();
      await deps.queues.close().catch(() => undefined);
      closeRedis();
    },
  };
}

/**
 * Stops taking connections and lets requests in progress finish: held ones were just told to
 * answer (see Drain), the rest are quick. Idle keep-alive sockets are closed now, busy ones
 * once their response is sent (`Connection: close`, see createApiApp); whatever still runs after
 * `graceMs` is cut, so a stuck request cannot hold the process past its grace period.
 */
function drainServer(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const cut = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearTimeout(cut);
      resolve();
    });
    server.closeIdleConnections();
  });
}
