import { randomBytes } from 'node:crypto';
import { http } from '@switchyard/integration-tests';
import { createRedis, Keys } from '@switchyard/redis-kit';
import { findFreePort, type RedisServer, startRedisServer } from '@switchyard/redis-server';
import { type Simulator, type SimulatorStartOptions, startSimulator } from '@switchyard/simulator';
import type { Redis } from 'ioredis';
import { type AppName, type AppProcess, startAppProcess } from './app-process';

export interface FaultStackOptions {
  simulator?: SimulatorStartOptions;
  /** Extra `redis-server` arguments (e.g. a `maxmemory`). */
  redisArgs?: string[];
}

/** The API in its own process, and where it listens. */
export interface ApiProcess extends AppProcess {
  readonly url: string;
}

export interface Tenant {
  id: string;
  apiKey: string;
  webhookSecret: string;
}

/**
 * Real parts, each killable on its own: redis-server with AOF (`appendfsync everysec`, as
 * production runs it) on a free port, the provider simulator, and the API, workers and
 * dispatcher as child processes started from their `main.ts` (key namespace `sy`, their default).
 */
export interface FaultStack {
  readonly redis: RedisServer;
  readonly simulator: Simulator;
  readonly keys: Keys;
  /** A connection of the test's own, for looking at what the apps wrote. */
  readonly probe: Redis;
  startApi(config?: object): Promise<ApiProcess>;
  startWorker(config?: object): Promise<AppProcess>;
  startDispatcher(config?: object): Promise<AppProcess>;
  /** A new tenant, created through `api`, allowed 1,000,000 submits a minute. */
  tenant(api: ApiProcess): Promise<Tenant>;
  /** Stops every process it started (SIGTERM, SIGKILL for a stopped one), then Redis. */
  close(): Promise<void>;
}

export async function startFaultStack(options: FaultStackOptions = {}): Promise<FaultStack> {
  const redis = await startRedisServer({ appendOnly: true, args: options.redisArgs });
  const simulator = await startSimulator(options.simulator ?? {});
  const adminToken = randomBytes(18).toString('base64url');
  const keys = new Keys();
  const probe = createRedis(redis.url, 'worker', 'fault-test-probe');
  const started: AppProcess[] = [];
  const env = {
    REDIS_URL: redis.url,
    OPENAI_API_KEY: `sk-test-${randomBytes(12).toString('hex')}`,
    OPENAI_BASE_URL: simulator.openaiBaseUrl,
    ANTHROPIC_API_KEY: `sk-ant-test-${randomBytes(12).toString('hex')}`,
    ANTHROPIC_BASE_URL: simulator.anthropicBaseUrl,
    SWITCHYARD_ADMIN_TOKEN: adminToken,
    SWITCHYARD_WEBHOOK_ALLOW_PRIVATE: 'true',
  };
  const start = async (app: AppName, extra: Record<string, string>, config: object) => {
    const child = await startAppProcess(app, { ...env, ...extra }, config);
    started.push(child);
    return child;
  };
  return {
    redis,
    simulator,
    keys,
    probe,
    startApi: async (config = {}) => {
      const port = await findFreePort();
      const child = await start('api', { PORT: String(port) }, config);
      return Object.assign(child, { url: `http://127.0.0.1:${port}` });
    },
    startWorker: (config = {}) => start('worker', {}, config),
    startDispatcher: (config = {}) => start('webhook-dispatcher', {}, config),
    tenant: async (api) => {
      const name = `tenant-${randomBytes(3).toString('hex')}`;
      const created = await http(`${api.url}/admin/tenants`, {
        token: adminToken,
        body: {
          name,
          limits: { rpm: 1_000_000 },
        },
      });
      if (created.status !== 201) throw new Error(`tenant not created: ${created.status}`);
      return {
        id: created.body.tenant.id,
        apiKey: created.body.api_key.key,
        webhookSecret: created.body.webhook_secret,
      };
    },
    close: async () => {
      await Promise.all(started.map((child) => child.stop()));
      probe.disconnect();
      await simulator.close();
      await redis.stop();
    },
  };
}
