import { writeSync } from 'node:fs';

/** How long to wait before writing again to a pipe that is full (its reader is behind). */
const FULL_PIPE_PAUSE_MS = 2;
const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Where log lines go by default: standard output, the lines of one event-loop turn in one
 * synchronous write at the turn's end (and whatever is left when the process exits).
 *
 * Chosen over pino's default (sonic-boom, asynchronous with a synchronous flush at exit) because
 * of how that flush fails: when the reader of stdout is gone (the `npm start` launcher was
 * killed), its exit-time `flushSync` retries a write that can only fail with EPIPE, for ever, so
 * the process could never exit and no signal got through. Here a closed reader ends logging and
 * nothing else; a full pipe is waited for, as any blocking write would be. Gathering a turn's
 * lines costs a line at most one turn of delay and saves a system call per line (an API writes a
 * line per request).
 */
export class StdoutLines {
  private closed = false;
  private pending: string[] = [];
  private scheduled = false;

  constructor(private readonly fd = 1) {
    process.once('exit', () => this.flush());
  }

  write(line: string): void {
    if (this.closed) return;
    this.pending.push(line);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Writes what is pending now, in one write. */
  flush(): void {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    const text = this.pending.length === 1 ? this.pending[0]! : this.pending.join('');
    this.pending = [];
    let buffer = Buffer.from(text);
    while (!this.closed && buffer.length > 0) {
      try {
        buffer = buffer.subarray(writeSync(this.fd, buffer));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') {
          this.closed = true; // EPIPE and the like: nobody reads any more
          return;
        }
        Atomics.wait(pause, 0, 0, FULL_PIPE_PAUSE_MS);
      }
    }
  }
}

let shared: StdoutLines | undefined;

/** The process's one StdoutLines on fd 1, which every logger writing to stdout shares. */
export function stdoutLines(): StdoutLines {
  shared ??= new StdoutLines();
  return shared;
}
