import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

export const REPO = resolve(__dirname, '../..');

export interface Child {
  process: ChildProcess;
  /** The first stdout line matching the ready pattern. */
  readyLine: string;
  stop(): Promise<void>;
}

/**
 * Runs a TypeScript entry point of the repo as its own process (as production runs it) and
 * resolves when a stdout line matches `ready`.
 */
export function startChild(
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
        resolveReady({
          process: child,
          readyLine: line,
          stop: async () => {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
            await exited;
          },
        });
      }
    });
    void exited.then(() => {
      if (!found) reject(new Error(`${entry} exited before it was ready`));
    });
  });
}

/** The provider simulator in its own process. */
export async function startSimulatorProcess(
  latency: string,
  extraArgs: string[] = [],
): Promise<{ url: string; stop(): Promise<void> }> {
  const child = await startChild(
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
  redis: { url: string; dir: string },
  simulatorUrl: string,
  worker: Record<string, number>,
  more: Record<string, unknown> = {},
): Promise<Child> {
  const config = join(redis.dir, 'worker.json');
  writeFileSync(config, JSON.stringify({ ...more, worker }));
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
    'apps/worker/src/main.ts',
    [],
    { LOG_LEVEL: 'info', ...env },
    /worker started/,
    nodeArgs,
  );
}
