import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';

export const REPO = resolve(__dirname, '../../..');
const run = promisify(execFile);

/** Variables a developer's shell may hold that would change what `npm start` does. */
const AMBIENT = [
  'REDIS_URL',
  'OPENAI_API_KEY',
  'ANTHROPIC_API_KEY',
  'SWITCHYARD_ADMIN_TOKEN',
  'SWITCHYARD_VIEWER_TOKEN',
  'SWITCHYARD_CONFIG',
  'PORT',
];

/** `npm start` as a user runs it in a terminal, and what it printed. */
export interface NpmStart {
  readonly process: ChildProcess;
  /** Everything printed, stdout and stderr, line by line as it came. */
  readonly output: string[];
  readonly dataDir: string;
  /** Resolves when it printed `Press Ctrl-C to stop.`; rejects if it exits first. */
  readonly ready: Promise<void>;
  /** Resolves with npm's exit once every process holding its output has gone. */
  readonly closed: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the first printed line matching `pattern` (already printed ones count). */
  line(pattern: RegExp): Promise<string>;
  /** Sends `signal` to the whole foreground group, as a terminal's Ctrl-C does. */
  signal(signal: NodeJS.Signals): void;
  /** Stops it the way a user would (Ctrl-C) if it still runs, and removes its data folder. */
  dispose(): Promise<void>;
}

/**
 * Runs `npm start` in the repository with `env` over a clean environment (none of the ambient
 * variables above) and a data folder of its own, in its own process group like a terminal's
 * foreground job.
 */
export function startNpm(env: NodeJS.ProcessEnv = {}, dataDir?: string): NpmStart {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'switchyard-e2e-'));
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const name of AMBIENT) delete base[name];
  const child = spawn('npm', ['start'], {
    cwd: REPO,
    env: { ...base, SWITCHYARD_DATA_DIR: dir, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const waiters: Array<{ pattern: RegExp; found: (line: string) => void }> = [];
  const seen = (line: string) => {
    output.push(line);
    for (const waiter of [...waiters]) {
      if (waiter.pattern.test(line)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.found(line);
      }
    }
  };
  createInterface({ input: child.stdout! }).on('line', seen);
  createInterface({ input: child.stderr! }).on('line', seen);
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('close', (code, signal) => done({ code, signal })),
  );
  const line = (pattern: RegExp) =>
    new Promise<string>((found) => {
      const earlier = output.find((printed) => pattern.test(printed));
      if (earlier !== undefined) found(earlier);
      else waiters.push({ pattern, found });
    });
  const ready = new Promise<void>((resolveReady, fail) => {
    void line(/^Press Ctrl-C to stop\.$/).then(() => resolveReady());
    void closed.then(({ code }) =>
      fail(new Error(`npm start exited (${code}):\n${output.join('\n')}`)),
    );
  });
  ready.catch(() => undefined); // a test that expects a failed start awaits `closed` instead
  const signal = (name: NodeJS.Signals) => process.kill(-child.pid!, name);
  return {
    process: child,
    output,
    dataDir: dir,
    ready,
    closed,
    line,
    signal,
    dispose: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        signal('SIGINT');
        await closed;
      }
      if (dataDir === undefined) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `pid` and every process below it, read from ps (the launcher's children have own groups). */
export async function processTree(pid: number): Promise<number[]> {
  const { stdout } = await run('ps', ['-eo', 'pid=,ppid=']);
  const children = new Map<number, number[]>();
  for (const entry of stdout.trim().split('\n')) {
    const [child, parent] = entry.trim().split(/\s+/).map(Number);
    children.set(parent!, [...(children.get(parent!) ?? []), child!]);
  }
  const found: number[] = [];
  const walk = (p: number) => {
    for (const child of children.get(p) ?? []) {
      found.push(child);
      walk(child);
    }
  };
  walk(pid);
  return [pid, ...found];
}

/**
 * Running, as opposed to exited. A zombie (state Z) has exited and only waits for its new
 * parent, PID 1, to reap it: on a cold start tsx's esbuild helpers end up so for a moment.
 */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** The processes of `pids` still running, with their command lines (for a failure's message). */
export async function stillRunning(pids: readonly number[]): Promise<string[]> {
  const alive = pids.filter(isRunning);
  if (alive.length === 0) return [];
  const { stdout } = await run('ps', ['-o', 'pid=,args=', '-p', alive.join(',')]);
  return stdout.trim().split('\n');
}

/** The PID in the embedded Redis's pid file, 0 if there is none. */
export function embeddedRedisPid(dataDir: string): number {
  try {
    return Number(readFileSync(join(dataDir, 'redis', 'redis.pid'), 'utf8'));
  } catch {
    return 0;
  }
}

/**
 * Every running process started for the `npm start` that uses `dataDir`: npm, the launcher, the
 * apps and the embedded Redis all carry `SWITCHYARD_DATA_DIR=<dataDir>` in their environment,
 * and no other process does, so this finds them even after their parent is gone.
 */
export function processesOf(dataDir: string): Array<{ pid: number; args: string }> {
  const marker = `SWITCHYARD_DATA_DIR=${dataDir}`;
  const found: Array<{ pid: number; args: string }> = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid || !isRunning(pid)) continue;
    try {
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      if (!environ.includes(marker)) continue;
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
      found.push({ pid, args });
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

/** The PID of the app whose entry point is `entry` (e.g. `apps/worker/src/main.ts`). */
export function appPid(dataDir: string, entry: string): number {
  const app = processesOf(dataDir).find((found) => found.args.includes(entry));
  if (!app) throw new Error(`no running ${entry} for ${dataDir}`);
  return app.pid;
}
