import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const REPO = resolve(__dirname, '../../..');

/** The three long-running apps, by the line each logs once it serves. */
const READY: Record<AppName, string> = {
  api: 'api listening',
  worker: 'worker started',
  'webhook-dispatcher': 'webhook dispatcher started',
};

export type AppName = 'api' | 'worker' | 'webhook-dispatcher';

/** One app in its own process, as production runs it (`apps/<app>/src/main.ts`). */
export interface AppProcess {
  readonly app: AppName;
  readonly pid: number;
  /** Every line it printed on stdout so far (JSON log lines). */
  readonly lines: readonly string[];
  /** Sends `signal` (SIGKILL, SIGSTOP, SIGCONT, …) and returns at once. */
  signal(signal: NodeJS.Signals): void;
  /** SIGKILL, resolving once the process is gone: a crash, as the rest of the stack sees it. */
  kill(): Promise<void>;
  /** SIGTERM (a SIGKILL after 30 s), resolving once it has exited; harmless when it is gone. */
  stop(): Promise<void>;
}

/**
 * Starts an app with `env` (over this process's environment) and `config` as its
 * SWITCHYARD_CONFIG file; resolves once it logs that it serves, rejects if it exits first.
 */
export function startAppProcess(
  app: AppName,
  env: Record<string, string>,
  config: object = {},
): Promise<AppProcess> {
  const dir = mkdtempSync(join(tmpdir(), `switchyard-${app}-`));
  const configPath = join(dir, 'config.json');
  writeFileSync(configPath, JSON.stringify(config));
  const child: ChildProcess = spawn(
    process.execPath,
    ['--require', require.resolve('tsx/cjs'), join(REPO, `apps/${app}/src/main.ts`)],
    {
      env: {
        ...process.env,
        LOG_LEVEL: 'info',
        METRICS_PORT: '0',
        ...env,
        SWITCHYARD_CONFIG: configPath,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  void exited.then(() => rmSync(dir, { recursive: true, force: true }));
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  const lines: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
  const handle: AppProcess = {
    app,
    pid: child.pid!,
    lines,
    signal: (signal) => {
      if (!gone()) child.kill(signal);
    },
    kill: async () => {
      if (!gone()) child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      if (gone()) return;
      // A stopped process cannot act on SIGTERM until it is continued.
      child.kill('SIGCONT');
      child.kill('SIGTERM');
      const insist = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(insist);
    },
  };
  return new Promise((resolveStarted, reject) => {
    let started = false;
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      if (started || !line.includes(READY[app])) return;
      started = true;
      resolveStarted(handle);
    });
    void exited.then(() => {
      if (!started) reject(new Error(`${app} exited before it started:\n${lines.join('\n')}`));
    });
  });
}
