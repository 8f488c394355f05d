import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { REPO } from './repo';

/** The image's entrypoint: it runs `node dist/<app>/main.js`, as the container does. */
export const ENTRYPOINT = join(REPO, 'deploy/docker/entrypoint.sh');

export interface AppProcess {
  readonly app: string;
  readonly pid: number;
  /** The stdout line that said it was ready. */
  readonly readyLine: string;
  /** Everything it printed, for a failing test's message. */
  readonly output: string[];
  /** SIGTERM; resolves with how it exited. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts `entrypoint.sh <app> [args]` with exactly `env` (plus PATH) and resolves when a stdout
 * line matches `ready`; rejects with its output if it exits first.
 */
export function startApp(
  app: string,
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
): Promise<AppProcess> {
  const child: ChildProcess = spawn(ENTRYPOINT, [app, ...args], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );
  child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  return new Promise((resolve, reject) => {
    let started = false;
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output.push(line);
      if (started || !ready.test(line)) return;
      started = true;
      resolve({
        app,
        pid: child.pid!,
        readyLine: line,
        output,
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          return exited;
        },
      });
    });
    void exited.then(({ code }) => {
      if (!started)
        reject(new Error(`${app} exited (${code}) before it was ready:\n${output.join('\n')}`));
    });
  });
}

/** A process's command line, as ps shows it. */
export function commandLine(pid: number): string[] {
  return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
}

/** Running, as opposed to exited (a zombie has exited and only waits to be reaped). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
