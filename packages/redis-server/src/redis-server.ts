import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from './free-port';

export interface RedisServerOptions {
  /**
   * Data directory. Given: it is kept (AOF and RDB files persist across runs). Omitted: a fresh
   * temporary directory, removed by `stop()`.
   */
  dir?: string;
  /** AOF with `appendfsync everysec`, what queues need to survive a crash. @defaultValue false */
  appendOnly?: boolean;
  /** Port; 0 picks a free one. @defaultValue 0 */
  port?: number;
  /** Extra `redis-server` arguments, e.g. `['--maxmemory-policy', 'allkeys-lru']`. */
  args?: string[];
  /**
   * Start in its own process group, so a Ctrl-C meant for the parent does not reach it and the
   * parent can stop it last, after everything that still writes to it. @defaultValue false
   */
  detached?: boolean;
}

/** A real `redis-server` child process. */
export interface RedisServer {
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  readonly pid: number;
  /** Whether the server process is up (false after `kill` or `stop`, until `restart`). */
  readonly running: boolean;
  /** SIGKILL, as a crash looks to clients. Resolves when it has exited. */
  kill(): Promise<void>;
  /** Start again on the same port and directory (after `kill` or `stop`). */
  restart(): Promise<void>;
  /** Clean shutdown (Redis flushes its AOF); removes the directory if it was temporary. */
  stop(): Promise<void>;
  /** Resolves with the exit code if the server exits on its own. */
  readonly exited: Promise<number | null>;
  /**
   * Calls `listener` each time the server process exits without `kill`, `restart` or `stop`
   * having asked it to (a crash, an OOM kill, someone's SIGKILL): what a supervisor restarts.
   */
  onCrash(listener: (code: number | null, signal: NodeJS.Signals | null) => void): void;
}

const READY_LINE = 'Ready to accept connections';
/** How long a clean shutdown may take before SIGKILL. */
const STOP_GRACE_MS = 10_000;

/** True when `redis-server` can be run from PATH. */
export function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * Starts `redis-server` and resolves once it logs that it is ready (an event, not a poll).
 * Always `maxmemory-policy noeviction`: under eviction Redis silently drops queue keys.
 */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const temporary = options.dir === undefined;
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'switchyard-redis-'));
  mkdirSync(dir, { recursive: true });
  let port = options.port ?? 0;
  let child: ChildProcess | undefined;
  let resolveExited!: (code: number | null) => void;
  const exited = new Promise<number | null>((resolve) => (resolveExited = resolve));
  const crashListeners: Array<(code: number | null, signal: NodeJS.Signals | null) => void> = [];

  const launch = async (): Promise<void> => {
    // prettier-ignore
    const args = [
      '--port', String(port),
      '--bind', '127.0.0.1',
      '--dir', dir,
      '--appendonly', options.appendOnly ? 'yes' : 'no',
      '--appendfsync', 'everysec',
      '--save', options.appendOnly ? '3600 1' : '',
      '--maxmemory-policy', 'noeviction',
      '--pidfile', join(dir, 'redis.pid'),
      '--logfile', '',
      ...(options.args ?? []),
    ];
    const started = await spawnUntilReady(args, options.detached ?? false);
    child = started;
    started.once('exit', (code, signal) => {
      resolveExited(code);
      // `terminate` clears `child` before it signals: an exit of the current child is a crash.
      if (child === started) for (const listener of crashListeners) listener(code, signal);
    });
  };

  if (port !== 0) {
    await launch();
  } else {
    // A port found free can be taken before redis binds it; try a few.
    for (let attempt = 0; ; attempt++) {
      port = await findFreePort();
      try {
        await launch();
        break;
      } catch (error) {
        if (attempt >= 4) throw error;
      }
    }
  }

  const terminate = async (signal: NodeJS.Signals): Promise<void> => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      // Redis refuses to exit on SIGTERM when its final save fails (a full disk, a removed
      // directory); the AOF already holds every write, so after a grace period we insist.
      const insist = setTimeout(() => running.kill('SIGKILL'), STOP_GRACE_MS);
      running.once('exit', () => {
        clearTimeout(insist);
        resolve();
      });
      running.kill(signal);
    });
  };

  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    get pid() {
      return child?.pid ?? 0;
    },
    get running() {
      return child !== undefined && child.exitCode === null && child.signalCode === null;
    },
    exited,
    onCrash: (listener) => void crashListeners.push(listener),
    kill: () => terminate('SIGKILL'),
    restart: async () => {
      await terminate('SIGKILL');
      await launch();
    },
    stop: async () => {
      await terminate('SIGTERM');
      if (temporary) rmSync(dir, { recursive: true, force: true });
    },
  };
}

function spawnUntilReady(args: string[], detached: boolean): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'], detached });
    let output = '';
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes(READY_LINE)) {
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        child.stderr?.resume();
        child.off('exit', onExit);
        resolve(child);
      }
    };
    const onExit = (code: number | null): void =>
      reject(new Error(`redis-server exited (${code}) before it was ready: ${lastLines(output)}`));
    child.once('error', (error) =>
      reject(
        new Error(`cannot start redis-server (is it installed and on PATH?): ${error.message}`),
      ),
    );
    child.once('exit', onExit);
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  });
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-3).join(' | ');
}
