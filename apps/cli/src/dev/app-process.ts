import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { formatLogLine } from './log-format';

export interface AppProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** Resolves with the exit code (or signal name) when the process ends. */
  readonly exited: Promise<string>;
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  stop(graceMs: number): Promise<void>;
}

/**
 * Runs one of the monorepo's apps (`apps/<name>/src/main.ts`) as a child process through tsx,
 * in its own process group (a Ctrl-C reaches only the launcher, which stops children in order)
 * and with an IPC channel, so a child notices if the launcher dies and shuts itself down.
 * Resolves when the app logs `readyMessage`; rejects with its last output if it exits first.
 */
export function startApp(
  name: string,
  entry: string,
  env: NodeJS.ProcessEnv,
  readyMessage: string,
): Promise<AppProcess> {
  const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), entry], {
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    detached: true,
  });
  const exited = new Promise<string>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? String(code))),
  );
  const recent: string[] = [];
  const remember = (line: string) => {
    recent.push(line);
    if (recent.length > 5) recent.shift();
  };

  return new Promise((resolve, reject) => {
    let ready = false;
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const formatted = formatLogLine(name, line);
      remember(formatted.text);
      process.stdout.write(`${formatted.text}\n`);
      if (!ready && formatted.message === readyMessage) {
        ready = true;
        resolve({ name, child, exited, stop: (graceMs) => stopChild(child, exited, graceMs) });
      }
    });
    createInterface({ input: child.stderr! }).on('line', (line) => {
      remember(line);
      process.stderr.write(`[${name}] ${line}\n`);
    });
    void exited.then((code) => {
      if (!ready)
        reject(new Error(`${name} exited (${code}) before it was ready: ${recent.join(' | ')}`));
    });
  });
}

async function stopChild(
  child: ChildProcess,
  exited: Promise<string>,
  graceMs: number,
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
