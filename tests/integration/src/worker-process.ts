import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const REPO = resolve(__dirname, '../../..');

export interface WorkerProcess {
  /** Sends SIGTERM and resolves when the process has exited. */
  stop(): Promise<void>;
}

/**
 * A worker as production runs it, in its own process (`apps/worker/src/main.ts`), started with
 * the given environment and config file contents; resolves once it logs "worker started".
 */
export function startWorkerProcess(
  env: Record<string, string>,
  config: object,
  configDir: string,
): Promise<WorkerProcess> {
  const configPath = join(configDir, `worker-${process.pid}-${Date.now()}.json`);
  writeFileSync(configPath, JSON.stringify(config));
  const child: ChildProcess = spawn(
    process.execPath,
    ['--require', require.resolve('tsx/cjs'), join(REPO, 'apps/worker/src/main.ts')],
    {
      env: {
        ...process.env,
        LOG_LEVEL: 'info',
        SWITCHYARD_CONFIG: configPath,
        METRICS_PORT: '0',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  return new Promise((resolveStarted, reject) => {
    let started = false;
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (started || !line.includes('worker started')) return;
      started = true;
      resolveStarted({
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          await exited;
        },
      });
    });
    void exited.then(() => {
      if (!started) reject(new Error('the worker process exited before it started'));
    });
  });
}
