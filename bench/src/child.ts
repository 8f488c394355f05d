import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { trackProcess } from './live-processes';
import type { Scope } from './scope';

export const REPO = resolve(__dirname, '../..');

/** How long a child may take to stop on SIGTERM before it gets SIGKILL. */
const STOP_GRACE_MS = 15_000;

export interface Child {
  process: ChildProcess;
  /** The first stdout line matching the ready pattern. */
  readyLine: string;
  /** SIGTERM, SIGKILL if it has not exited after a grace period; resolves once it has exited. */
  stop(): Promise<void>;
}

/**
 * Runs a TypeScript entry point of the repo as its own process (as production runs it) and
 * resolves when a stdout line matches `ready`. The child is stopped when `scope` closes, from
 * the moment it is spawned: one that never gets ready does not outlive the scenario either.
 */
export function startChild(
  scope: Scope,
  entry: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
  nodeArgs: string[] = [],
): Promise<Child> {
  const child = spawn(
    process.execPath,
    [...nodeArgs, '--require', require.resolve('tsx/cjs'), join(REPO, entry), ...args],
    {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  trackProcess(child.pid, exited);
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const insist = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(insist);
  };
  scope.add(child, stop);
  return new Promise((resolveReady, reject) => {
    let found = false;
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (!found && ready.test(line)) {
        found = true;
        // From here on its output is only drained, not split into lines: the bench process also
        // generates the load, and parsing thousands of log lines a second would slow it down.
        lines.close();
        child.stdout!.resume();
        resolveReady({ process: child, readyLine: line, stop });
      }
    });
    child.once('error', reject);
    void exited.then(() => {
      if (!found)
        reject(
          new Error(`${entry} exited (${child.exitCode ?? child.signalCode}) before it was ready`),
        );
    });
  });
}

/** The provider simulator in its own process. */
export async function startSimulatorProcess(
  scope: Scope,
  latency: string,
  extraArgs: string[] = [],
): Promise<{ url: string; stop(): Promise<void> }> {
  const child = await startChild(
    scope,
    'packages/simulator/src/main.ts',
    ['--port', '0', '--latency', latency, ...extraArgs],
    {},
    /listening on/,
  );
  const url = /listening on (\S+)/.exec(child.readyLine)![1]!;
  return { url, stop: child.stop };
}

/**
 * One worker process of apps/worker against `redisUrl` and the simulator at `simulatorUrl`, with
 * `worker` as the config file's worker section and `more` as the rest of the file (written next
 * to Redis's data).
 */
export async function startWorkerProcess(
  scope: Scope,
  redis: { url: string; dir: string },
  simulatorUrl: string,
  worker: Record<string, number | string>,
  more: Record<string, unknown> = {},
): Promise<Child> {
  const config = join(
    redis.dir,
    `worker-${Date.now()}-${Math.random().toString(36).slice(2)}.json`,
  );
  // A short shutdown grace: the bench throws the Redis away, and a worker holding calls that wait
  // for the limiter would otherwise take its default 10 s to stop.
  writeFileSync(config, JSON.stringify({ ...more, worker: { shutdown_grace: '1s', ...worker } }));
  const env = {
    REDIS_URL: redis.url,
    OPENAI_BASE_URL: `${simulatorUrl}/v1`,
    OPENAI_API_KEY: 'sk-bench',
    SWITCHYARD_CONFIG: config,
    METRICS_PORT: '0', // several workers run side by side
  };
  // BENCH_WORKER_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the worker.
  const nodeArgs = process.env.BENCH_WORKER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  return startChild(
    scope,
    'apps/worker/src/main.ts',
    [],
    { LOG_LEVEL: 'info', ...env },
    /worker started/,
    nodeArgs,
  );
}
