import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import {
  ConfigError,
  exitWithConfigError,
  loadSettingsOrExit,
  type Settings,
} from '@switchyard/config';
import { maskUrlPassword } from '@switchyard/core';
import { preflightRedis } from '@switchyard/redis-kit';
import {
  findFreePort,
  hasRedisServer,
  type RedisServer,
  startRedisServer,
} from '@switchyard/redis-server';
import { type Simulator, startSimulator } from '@switchyard/simulator';
import { type AppSpec, SupervisedApp } from '../dev/app-process';
import { banner } from '../dev/banner';
import { ensureDevTenant } from '../dev/dev-tenant';
import { repoRoot } from '../dev/repo-root';
import { isAlive, StateDir } from '../dev/state-dir';
import { superviseRedis } from '../dev/supervise-redis';

/**
 * How long each app gets to stop on Ctrl-C before it is killed: longer than its own deadline to
 * exit (the API 25 s, the dispatcher the webhook timeout + 15 s, a worker its shutdown grace +
 * 20 s), so a drain is never cut short from outside.
 */
const stopGraceMs = (settings: Settings): number =>
  Math.max(40_000, settings.worker.shutdownGraceMs + 30_000, settings.webhooks.timeoutMs + 25_000);
const SIMULATOR_KEY = 'sk-switchyard-simulator';

/**
 * `npm start`: the whole stack on one machine. Redis (embedded unless REDIS_URL is set), the
 * provider simulator (unless a provider key is set), the API, a worker and the webhook
 * dispatcher. Whatever it has started is stopped if any later step fails. While it runs, a child
 * that dies is restarted with backoff (Redis from its AOF). Ctrl-C or SIGTERM stop everything in
 * dependency order: the apps first (they drain and still write to Redis), the simulator (calls
 * in flight finish against it), Redis last; a second Ctrl-C kills what is left at once.
 */
export async function devCommand(): Promise<void> {
  const settings = loadSettingsOrExit();
  const state = new StateDir(settings.env.SWITCHYARD_DATA_DIR);
  claimLauncher(state);

  const notice = (message: string) => process.stderr.write(`switchyard: ${message}\n`);
  // What has been started, or is being started (a signal may come in the middle of a start).
  const apps: SupervisedApp[] = [];
  let simulator: Promise<Simulator | undefined> = Promise.resolve(undefined);
  let redis: Promise<RedisServer | undefined> = Promise.resolve(undefined);
  let unwatchRedis: () => void = () => undefined;
  let stopping: Promise<void> | undefined;

  const stopAll = (exitCode: number): Promise<void> =>
    (stopping ??= (async () => {
      unwatchRedis();
      await Promise.all(apps.map((app) => app.stop(stopGraceMs(settings))));
      await (await simulator.catch(() => undefined))?.close();
      await (await redis.catch(() => undefined))?.stop();
      state.remove('dev.pid');
      process.exit(exitCode);
    })());
  const killAll = async (): Promise<never> => {
    unwatchRedis();
    const embedded = await redis.catch(() => undefined);
    await Promise.all([...apps.map((app) => app.kill()), embedded?.kill()]);
    state.remove('dev.pid');
    process.exit(1);
  };
  const onSignal = () => {
    if (stopping) {
      process.stdout.write('\nStopping now.\n');
      void killAll();
      return;
    }
    process.stdout.write('\nStopping Switchyard…\n');
    void stopAll(0);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    let redisUrl = settings.env.REDIS_URL;
    // Printed, so without its password: the banner ends up in terminals, screenshots and CI logs.
    let redisLabel = `${maskUrlPassword(redisUrl ?? '')} (REDIS_URL)`;
    if (redisUrl) {
      // The apps would each find out on their own; one line from here is clearer.
      const preflight = await preflightRedis(redisUrl, {
        allowEviction: settings.env.SWITCHYARD_ALLOW_REDIS_EVICTION,
      });
      if (!preflight.ok) throw new ConfigError(preflight.problem);
    } else {
      if (!hasRedisServer()) {
        throw new ConfigError(
          'redis-server not found on PATH: install it (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis) or set REDIS_URL to a Redis you run',
        );
      }
      await stopOrphanedRedis(state);
      redis = startRedisServer({ dir: state.file('redis'), appendOnly: true, detached: true });
      const embedded = (await redis)!;
      if (stopping) return; // a Ctrl-C while it started: stopAll stops it
      unwatchRedis = superviseRedis(embedded, notice);
      redisUrl = embedded.url;
      redisLabel = `${embedded.url} (embedded, AOF on, data in ${embedded.dir})`;
    }

    const providers = await startProviders(settings, (starting) => (simulator = starting));
    if (stopping) return;
    const metricsPorts = { worker: await findFreePort(), dispatcher: await findFreePort() };
    if (stopping) return;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...providers.env,
      PORT: String(settings.env.PORT),
      REDIS_URL: redisUrl,
      SWITCHYARD_ADMIN_TOKEN: adminTokenOf(settings, state),
    };
    const root = repoRoot();
    const specs: AppSpec[] = [
      { name: 'api', entry: 'apps/api/src/main.ts', env, readyMessage: 'api listening' },
      {
        name: 'worker',
        entry: 'apps/worker/src/main.ts',
        env: { ...env, METRICS_PORT: String(metricsPorts.worker) },
        readyMessage: 'worker started',
      },
      {
        name: 'webhooks',
        entry: 'apps/webhook-dispatcher/src/main.ts',
        env: { ...env, METRICS_PORT: String(metricsPorts.dispatcher) },
        readyMessage: 'webhook dispatcher started',
      },
    ];
    // Each app joins the list as it is spawned, so a failure of one stops the others too.
    const starting = specs.map((spec) => {
      const app = new SupervisedApp({ ...spec, entry: join(root, spec.entry) }, notice);
      apps.push(app);
      return app.start();
    });
    await Promise.all(starting);

    const apiUrl = `http://localhost:${settings.env.PORT}`;
    const tenant = await ensureDevTenant(state, apiUrl, env.SWITCHYARD_ADMIN_TOKEN!);
    if (stopping) return;
    process.stdout.write(
      banner({
        apiUrl,
        workerMetricsUrl: `http://localhost:${metricsPorts.worker}/metrics`,
        dispatcherMetricsUrl: `http://localhost:${metricsPorts.dispatcher}/metrics`,
        adminToken: env.SWITCHYARD_ADMIN_TOKEN!,
        apiKey: tenant.apiKey,
        redis: redisLabel,
        providers: providers.label,
        model: providers.model,
      }),
    );
  } catch (error) {
    if (!stopping) notice((error as Error).message);
    await stopAll(1);
  }
}

/**
 * The providers the apps call: the real ones when a key is set, else the built-in simulator,
 * started here (and handed to `track` while it starts, so a stop in the meantime stops it too).
 */
async function startProviders(
  settings: Settings,
  track: (starting: Promise<Simulator>) => void,
): Promise<{ env: NodeJS.ProcessEnv; label: string; model: string }> {
  if (settings.env.OPENAI_API_KEY || settings.env.ANTHROPIC_API_KEY) {
    const label = Object.values(settings.providers)
      .filter((provider) => provider.apiKey)
      .map((provider) => provider.name)
      .join(', ');
    const model = settings.env.OPENAI_API_KEY
      ? 'openai/gpt-4o-mini'
      : 'anthropic/claude-3-5-haiku-latest';
    return { env: {}, label, model };
  }
  const starting = startSimulator({ latency: { kind: 'lognormal', medianMs: 400, p99Ms: 2_000 } });
  track(starting);
  const simulator = await starting;
  return {
    env: {
      OPENAI_BASE_URL: simulator.openaiBaseUrl,
      OPENAI_API_KEY: SIMULATOR_KEY,
      ANTHROPIC_BASE_URL: simulator.anthropicBaseUrl,
      ANTHROPIC_API_KEY: SIMULATOR_KEY,
    },
    label: `built-in simulator at ${simulator.url} for openai and anthropic (no provider key set)`,
    model: 'openai/gpt-4o-mini',
  };
}

/** SWITCHYARD_ADMIN_TOKEN, else the one kept in the state directory, else a new one kept there. */
function adminTokenOf(settings: Settings, state: StateDir): string {
  const known = settings.env.SWITCHYARD_ADMIN_TOKEN ?? state.read('admin-token');
  if (known) return known;
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
