import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { formatLogLine } from './log-format';
import { RestartPolicy } from './restart-policy';

export interface AppSpec {
  /** The label of its output lines (`[worker] …`). */
  name: string;
  /** `apps/<name>/src/main.ts`. */
  entry: string;
  env: NodeJS.ProcessEnv;
  /** The log message that says it is ready to serve. */
  readyMessage: string;
}

/**
 * One of the monorepo's apps run by `npm start`, as a child process through tsx, and kept
 * running: once it has been ready, an exit nobody asked for (a crash, a SIGKILL, the OOM killer)
 * is reported and followed by a restart with backoff (see RestartPolicy). A failure to start the
 * first time is not retried: its one line says why, and the launcher stops.
 *
 * The child runs in its own process group (a Ctrl-C reaches only the launcher, which stops
 * children in order) and with an IPC channel, so it notices if the launcher dies and stops too.
 */
export class SupervisedApp {
  private child: ChildProcess | undefined;
  private exited: Promise<string> = Promise.resolve('not started');
  private stopping = false;
  private restartTimer: NodeJS.Timeout | undefined;
  private readonly policy = new RestartPolicy();

  constructor(
    private readonly spec: AppSpec,
    /** Where the launcher's own notices go (stderr, `switchyard: …`). */
    private readonly notice: (message: string) => void,
  ) {}

  get name(): string {
    return this.spec.name;
  }

  /** Its process ID, 0 between a crash and its restart. */
  get pid(): number {
    return this.alive() ? (this.child?.pid ?? 0) : 0;
  }

  /** Starts it; resolves once it is ready, rejects with its last output if it exits first. */
  async start(): Promise<void> {
    await this.launch();
  }

  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`; no restart after. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child || !this.alive()) return;
    child.kill('SIGTERM');
    const insist = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(insist);
  }

  /** SIGKILL now (a second Ctrl-C); no restart after. */
  async kill(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    if (this.child && this.alive()) this.child.kill('SIGKILL');
    await this.exited;
  }

  private alive(): boolean {
    return (
      this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null
    );
  }

  private launch(): Promise<void> {
    const { name, entry, env, readyMessage } = this.spec;
    const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), entry], {
      env,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      detached: true,
    });
    this.child = child;
    this.policy.started(Date.now());
    const exited = new Promise<string>((resolve) => {
      child.once('exit', (code, signal) => resolve(signal ?? String(code)));
      // Spawning node itself failed (no exit follows): report it as the exit.
      child.once('error', (error) => resolve(error.message));
    });
    this.exited = exited;
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
          resolve();
        }
      });
      createInterface({ input: child.stderr! }).on('line', (line) => {
        remember(line);
        process.stderr.write(`[${name}] ${line}\n`);
      });
      void exited.then((code) => {
        if (!ready) reject(new Error(`${name} could not start: ${whyNotStarted(code, recent)}`));
        else if (!this.stopping) this.restartAfterCrash(code);
      });
    });
  }

  private restartAfterCrash(code: string): void {
    const delay = this.policy.nextDelay(Date.now());
    this.notice(`${this.name} exited unexpectedly (${code}); restarting it in ${delay / 1_000} s`);
    this.restartTimer = setTimeout(() => {
      if (this.stopping) return;
      this.launch().then(
        () => this.notice(`${this.name} is back`),
        (error: unknown) => {
          this.notice((error as Error).message);
          if (!this.stopping) this.restartAfterCrash('failed to restart');
        },
      );
    }, delay);
  }
}

/** An app's own one-line reason (`switchyard: PORT: … is already in use`), else its last lines. */
function whyNotStarted(code: string, recent: readonly string[]): string {
  const reason = recent.findLast((line) => line.startsWith('switchyard: '));
  return reason ? reason.slice('switchyard: '.length) : `exited (${code}): ${recent.join(' | ')}`;
}
