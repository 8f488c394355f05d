import { writeSync } from 'node:fs';

/** How long to wait before writing again to a pipe that is full (its reader is behind). */
const FULL_PIPE_PAUSE_MS = 2;
const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Where log lines go by default: standard output, one synchronous write per line. Chosen over
 * pino's default (sonic-boom, asynchronous with a synchronous flush at exit) because of how that
 * flush fails: when the reader of stdout is gone (the `npm start` launcher was killed), its
 * exit-time `flushSync` retries a write that can only fail with EPIPE, for ever, so the process
 * could never exit and no signal got through. Here a closed reader ends logging and nothing else;
 * a full pipe is waited for, as any blocking write would be. Lines are short and a process writes
 * at most a few thousand a second, so the write costs microseconds.
 */
export class StdoutLines {
  private closed = false;

  constructor(private readonly fd = 1) {}

  write(line: string): void {
    if (this.closed) return;
    for (;;) {
      try {
        writeSync(this.fd, line);
        return;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'EAGAIN') {
          this.closed = true; // EPIPE and the like: nobody reads any more
          return;
        }
        Atomics.wait(pause, 0, 0, FULL_PIPE_PAUSE_MS);
      }
    }
  }
}
