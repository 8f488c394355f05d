import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';

/** The `switchyard` bin as npm installs it. */
export const CLI_BIN = resolve(__dirname, '../../../apps/cli/bin/switchyard.js');

export interface CliResult {
  /** The exit code; null when a signal ended the process. */
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * A running `switchyard …` (plain pipes, or a pseudo-terminal through util-linux `script`): its
 * output so far, a way to await a piece of it, to send input or a signal, and its end.
 */
export class CliProcess {
  stdout = '';
  stderr = '';
  readonly done: Promise<CliResult>;
  private readonly waiters: { test: () => boolean; resolve: () => void }[] = [];

  constructor(private readonly child: ChildProcessByStdio<Writable, Readable, Readable>) {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => this.grow('stdout', chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => this.grow('stderr', chunk));
    this.done = new Promise((resolveDone, reject) => {
      child.once('error', reject);
      child.once('close', (code) =>
        resolveDone({ code, stdout: this.stdout, stderr: this.stderr }),
      );
    });
  }

  /** Resolves once `pattern` appears in the named stream (checked as output arrives). */
  until(stream: 'stdout' | 'stderr', pattern: RegExp): Promise<void> {
    return new Promise((resolveWait, reject) => {
      const test = () => pattern.test(this[stream]);
      if (test()) return resolveWait();
      this.waiters.push({ test, resolve: resolveWait });
      const ended = () =>
        reject(new Error(`ended without ${pattern} in ${stream}: ${JSON.stringify(this[stream])}`));
      void this.done.then(ended, ended);
    });
  }

  write(text: string): void {
    this.child.stdin.write(text);
  }

  /** Closes stdin: the command sees end of input (a pipe, never a terminal). */
  endInput(): void {
    this.child.stdin.end();
  }

  /** Stops reading stdout, like `| head -1` after its line: further writes meet EPIPE. */
  closeStdout(): void {
    this.child.stdout.destroy();
  }

  signal(name: NodeJS.Signals): void {
    this.child.kill(name);
  }

  private grow(stream: 'stdout' | 'stderr', chunk: string): void {
    this[stream] += chunk;
    for (const waiter of [...this.waiters]) {
      if (waiter.test()) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  }
}

/** Only what the contract names, so the test machine's own NO_COLOR or keys never leak in. */
const baseEnv = (env: Record<string, string>) => ({ PATH: process.env.PATH!, ...env });

/** `switchyard <args>` with stdout and stderr as pipes (not terminals), as a script runs it. */
export function startCli(args: string[], env: Record<string, string>): CliProcess {
  return new CliProcess(
    spawn(process.execPath, [CLI_BIN, ...args], {
      env: baseEnv(env),
      stdio: ['pipe', 'pipe', 'pipe'],
    }),
  );
}

export function runCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  const cli = startCli(args, env);
  cli.endInput();
  return cli.done;
}

const shellQuote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;

/**
 * `switchyard <args>` on a pseudo-terminal: util-linux `script -qfec` runs it with stdin, stdout
 * and stderr on one pty, and copies what the terminal shows to its own stdout (`\n` arrives as
 * `\r\n`, stdout and stderr interleaved as on a screen). Bytes written to `write()` are typed on
 * the terminal: `\x03` is Ctrl-C. `script -e` exits with the command's exit code.
 */
export function startCliInTerminal(args: string[], env: Record<string, string>): CliProcess {
  const command = [process.execPath, CLI_BIN, ...args].map(shellQuote).join(' ');
  return new CliProcess(
    spawn('/usr/bin/script', ['-qfec', command, '/dev/null'], {
      env: { TERM: 'xterm-256color', ...baseEnv(env) },
      stdio: ['pipe', 'pipe', 'pipe'],
    }),
  );
}
