import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ConfigError, exitWithConfigError, loadSettingsOrExit } from '@switchyard/config';
import { maskUrlPassword } from '@switchyard/core';
import { hasRedisServer, type RedisServer, startRedisServer } from '@switchyard/redis-server';
import { type Simulator, startSimulator } from '@switchyard/simulator';
import { type AppProcess, startApp } from '../dev/app-process';
import { banner } from '../dev/banner';
import { ensureDevTenant } from '../dev/dev-tenant';
import { repoRoot } from '../dev/repo-root';
import { isAlive, StateDir } from '../dev/state-dir';

/** How long the API and workers get to finish in-flight work on Ctrl-C. */
const STOP_GRACE_MS = 20_000;
const SIMULATOR_KEY = 'sk-switchyard-simulator';

/**
 * `npm start`: the whole stack on one machine. Redis (embedded unless REDIS_URL is set), the
 * provider simulator (unless a provider key is set), the API, a worker and the webhook dispatcher. Ctrl-C stops
 * them in dependency order: the apps first (they still write to Redis), Redis last.
 */
export async function devCommand(): Promise<void> {
  const settings = loadSettingsOrExit();
  const state = new StateDir(settings.env.SWITCHYARD_DATA_DIR);
  claimLauncher(state);

  const adminToken =
    settings.env.SWITCHYARD_ADMIN_TOKEN ?? state.read('admin-token') ?? newAdminToken(state);
  let redis: RedisServer | undefined;
  let simulator: Simulator | undefined;
  const apps: AppProcess[] = [];
  let stopping: Promise<void> | undefined;

  const stopAll = (exitCode: number): Promise<void> =>
    (stopping ??= (async () => {
      await Promise.all(apps.map((app) => app.stop(STOP_GRACE_MS)));
      await simulator?.close();
      await redis?.stop();
      state.remove('dev.pid');
      process.exit(exitCode);
    })());
  const onSignal = () => {
    if (!stopping) process.stdout.write('\nStopping Switchyard…\n');
    void stopAll(0);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    let redisUrl = settings.env.REDIS_URL;
    // Printed, so without its password: the banner ends up in terminals, screenshots and CI logs.
    let redisLabel = `${maskUrlPassword(redisUrl ?? '')} (REDIS_URL)`;
    if (!redisUrl) {
      if (!hasRedisServer()) {
        throw new ConfigError(
          'redis-server not found on PATH: install it (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis) or set REDIS_URL to a Redis you run',
        );
      }
      await stopOrphanedRedis(state);
      redis = await startRedisServer({
        dir: state.file('redis'),
        appendOnly: true,
        detached: true,
      });
      redisUrl = redis.url;
      redisLabel = `${redis.url} (embedded, AOF on, data in ${redis.dir})`;
    }

    const providerEnv: NodeJS.ProcessEnv = {};
    let providers = Object.values(settings.providers)
      .filter((provider) => provider.apiKey)
      .map((provider) => provider.name)
      .join(', ');
    if (!settings.env.OPENAI_API_KEY && !settings.env.ANTHROPIC_API_KEY) {
      simulator = await startSimulator({
        latency: { kind: 'lognormal', medianMs: 400, p99Ms: 2_000 },
      });
      Object.assign(providerEnv, {
        OPENAI_BASE_URL: simulator.openaiBaseUrl,
        OPENAI_API_KEY: SIMULATOR_KEY,
        ANTHROPIC_BASE_URL: simulator.anthropicBaseUrl,
        ANTHROPIC_API_KEY: SIMULATOR_KEY,
      });
      providers = `built-in simulator at ${simulator.url} for openai and anthropic (no provider key set)`;
    }

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...providerEnv,
      PORT: String(settings.env.PORT),
      REDIS_URL: redisUrl,
      SWITCHYARD_ADMIN_TOKEN: adminToken,
    };
    const root = repoRoot();
    const [api, worker, dispatcher] = await Promise.all([
      startApp('api', join(root, 'apps/api/src/main.ts'), env, 'api listening'),
      startApp('worker', join(root, 'apps/worker/src/main.ts'), env, 'worker started'),
      startApp(
        'webhooks',
        join(root, 'apps/webhook-dispatcher/src/main.ts'),
        env,
        'webhook dispatcher started',
      ),
    ]);
    apps.push(api, worker, dispatcher);
    for (const app of apps) {
      void app.exited.then((code) => {
        if (stopping) return;
        process.stderr.write(`switchyard: ${app.name} exited unexpectedly (${code}); stopping\n`);
        void stopAll(1);
      });
    }
    void redis?.exited.then((code) => {
      if (stopping) return;
      process.stderr.write(`switchyard: redis-server exited unexpectedly (${code}); stopping\n`);
      void stopAll(1);
    });

    const apiUrl = `http://localhost:${settings.env.PORT}`;
    const tenant = await ensureDevTenant(state, apiUrl, adminToken);
    const model =
      settings.env.OPENAI_API_KEY || simulator
        ? 'openai/gpt-4o-mini'
        : 'anthropic/claude-3-5-haiku-latest';
    process.stdout.write(
      banner({ apiUrl, adminToken, apiKey: tenant.apiKey, redis: redisLabel, providers, model }),
    );
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`switchyard: ${error.message}\n`);
    } else {
      process.stderr.write(`switchyard: ${(error as Error).message}\n`);
    }
    await stopAll(1);
  }
}

function newAdminToken(state: StateDir): string {
  const token = randomBytes(24).toString('base64url');
  state.write('admin-token', token);
  return token;
}

/** One launcher per state directory: a second `npm start` would fight over Redis and the port. */
function claimLauncher(state: StateDir): void {
  const previous = Number(state.read('dev.pid'));
  if (previous && previous !== process.pid && isAlive(previous)) {
    exitWithConfigError(
      new ConfigError(
        `another "npm start" (pid ${previous}) is already running from ${state.path}; stop it first`,
      ),
    );
  }
  state.write('dev.pid', String(process.pid));
}

/** A Redis left behind by a launcher that was killed outright; its launcher is gone, so stop it. */
async function stopOrphanedRedis(state: StateDir): Promise<void> {
  const pid = Number(state.read('redis/redis.pid'));
  if (!pid || !isAlive(pid)) return;
  process.kill(pid, 'SIGTERM');
  // Not our child, so no exit event to await: check until it is gone (it flushes its AOF first).
  for (let waited = 0; isAlive(pid) && waited < 10_000; waited += 50) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
