import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const REPO = resolve(__dirname, '../../..');

export interface WorkerProcess {
  readonly pid: number;
  /** Sends SIGTERM and resolves with how the process exited (`0`, `1`, or a signal name). */
  stop(): Promise<string>;
  /** Every line it printed on stdout so far (JSON log lines). */
  readonly lines: readonly string[];
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
  const exited = new Promise<string>((done) =>
    child.once('exit', (code, signal) => done(signal ?? String(code))),
  );
  const lines: string[] = [];
  return new Promise((resolveStarted, reject) => {
    let started = false;
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      if (started || !line.includes('worker started')) return;
      started = true;
      resolveStarted({
        pid: child.pid!,
        lines,
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          return exited;
        },
      });
    });
    void exited.then(() => {
      if (!started) reject(new Error('the worker process exited before it started'));
    });
  });
}
