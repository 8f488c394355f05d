import { randomBytes } from 'node:crypto';
import { type ConfigFile, parseEnv, resolveSettings, type Settings } from '@switchyard/config';
import { type ApiServer, startApiServer } from '@switchyard/api';
import { createLogger } from '@switchyard/observability';
import { type RedisServer, startRedisServer } from '@switchyard/redis-server';
import { SwitchyardClient } from '@switchyard/sdk';
import { type Simulator, type SimulatorStartOptions, startSimulator } from '@switchyard/simulator';
import { type DispatcherApp, startDispatcherApp } from '@switchyard/webhook-dispatcher';
import { startWorkerApp, type WorkerApp } from '@switchyard/worker';
import { assertNoConnectionsLeft } from './connection-leaks';

export interface StackOptions {
  /** Config file contents, as if read from SWITCHYARD_CONFIG. */
  config?: ConfigFile;
  simulator?: SimulatorStartOptions;
  /** Start without a worker (jobs stay queued). @defaultValue true */
  worker?: boolean;
  /** Share a Redis started elsewhere (the stack then does not stop it). */
  redis?: RedisServer;
  /**
   * Key namespace. @defaultValue a random one per stack; worker processes started from
   * `apps/worker/src/main.ts` use the production default, `sy`, so a test driving them sets it.
   */
  namespace?: string;
  /** Start a webhook dispatcher too. @defaultValue false */
  dispatcher?: boolean;
  /** SWITCHYARD_WEBHOOK_ALLOW_PRIVATE: lets webhooks reach a receiver on loopback. @defaultValue false */
  allowPrivateWebhooks?: boolean;
}

/**
 * The whole job path on real parts, in this process: a real redis-server on a free port, the
 * provider simulator over HTTP, the API on a free port and a worker, each with its own key
 * namespace so test files never see each other's data.
 */
export interface Stack {
  redis: RedisServer;
  simulator: Simulator;
  api: ApiServer;
  worker: WorkerApp | undefined;
  /** The webhook dispatcher, when `dispatcher` was asked for. */
  dispatcher: DispatcherApp | undefined;
  settings: Settings;
  adminToken: string;
  namespace: string;
  admin: SwitchyardClient;
  /** A new tenant and a client holding its first key. */
  tenant(limits?: { rpm?: number; monthly_budget_usd?: number | null }): Promise<TenantHandle>;
  startWorker(): Promise<WorkerApp>;
  close(): Promise<void>;
}

export interface TenantHandle {
  id: string;
  apiKey: string;
  client: SwitchyardClient;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const logger = createLogger('test', 'silent');
  const redis = options.redis ?? (await startRedisServer());
  const simulator = await startSimulator(options.simulator ?? {});
  const adminToken = randomBytes(18).toString('base64url');
  const namespace = options.namespace ?? `t${randomBytes(4).toString('hex')}`;
  const env = parseEnv({
    REDIS_URL: redis.url,
    OPENAI_API_KEY: 'sk-test',
    OPENAI_BASE_URL: simulator.openaiBaseUrl,
    ANTHROPIC_API_KEY: 'sk-ant-test',
    ANTHROPIC_BASE_URL: simulator.anthropicBaseUrl,
    SWITCHYARD_ADMIN_TOKEN: adminToken,
    SWITCHYARD_WEBHOOK_ALLOW_PRIVATE: options.allowPrivateWebhooks ? 'true' : 'false',
  });
  const settings = resolveSettings(env, options.config ?? {});
  // A test must never exit the test process: fatal conditions are collected and thrown on close.
  const fatal: string[] = [];
  const onFatal = (reason: string) => void fatal.push(reason);
  const api = await startApiServer({
    onFatal,
    settings,
    redisUrl: redis.url,
    adminToken,
    logger,
    namespace,
    port: 0,
    host: '127.0.0.1',
  });
  // Every process this stack starts, by the id that prefixes its Redis connection names.
  const owners = [api.id, `${namespace}:`];
  const startWorker = () =>
    startWorkerApp({
      settings,
      redisUrl: redis.url,
      logger,
      namespace,
      shutdownGraceMs: 2_000,
      onFatal,
      metricsPort: 0,
      metricsHost: '127.0.0.1',
    }).then((started) => {
      owners.push(started.id);
      return started;
    });
  const dispatcher = options.dispatcher
    ? await startDispatcherApp({
        settings,
        redisUrl: redis.url,
        logger,
        namespace,
        onFatal,
        metricsPort: 0,
        metricsHost: '127.0.0.1',
      })
    : undefined;
  if (dispatcher) owners.push(dispatcher.id);
  // Every worker started, so close() stops them all; `worker` is the latest.
  const workers: WorkerApp[] = [];
  let worker = options.worker === false ? undefined : await startWorker();
  if (worker) workers.push(worker);
  const admin = new SwitchyardClient({ baseUrl: api.url, apiKey: adminToken });

  return {
    redis,
    simulator,
    api,
    get worker() {
      return worker;
    },
    dispatcher,
    settings,
    adminToken,
    namespace,
    admin,
    tenant: async (limits = {}) => {
      const created = await admin.createTenant(`tenant-${randomBytes(3).toString('hex')}`, limits);
      const apiKey = created.api_key.key;
      return {
        id: created.tenant.id,
        apiKey,
        client: new SwitchyardClient({ baseUrl: api.url, apiKey }),
      };
    },
    startWorker: async () => {
      worker = await startWorker();
      workers.push(worker);
      return worker;
    },
    close: async () => {
      // A test may have closed some already; closing twice is harmless.
      await Promise.all(workers.map((started) => started.close()));
      await dispatcher?.close();
      await api.close();
      await simulator.close();
      await assertNoConnectionsLeft(redis.url, owners);
      if (!options.redis) await redis.stop();
      if (fatal.length) throw new Error(`fatal during the test: ${fatal.join('; ')}`);
    },
  };
}
