import type { Logger } from 'pino';

export interface RunOptions {
  /**
   * Longest a stop may take, from the first signal to exit. Past it the process exits 1 anyway:
   * a close that hangs (a connection that never ends) must not outlive the orchestrator's grace
   * period and be killed without a word. @defaultValue 30 s
   */
  forceExitMs?: number;
}

const DEFAULT_FORCE_EXIT_MS = 30_000;

/**
 * The end of every process's `main`. Signal handlers go in at once, before `started` settles, so
 * a SIGTERM during start-up is never lost: the app is closed as soon as it is up (or the process
 * exits when start-up fails). Once up, `close` runs on SIGINT or SIGTERM, or when the launching
 * parent goes away, and the process exits 0 when it is done; a second signal exits at once (the
 * operator means it). If start fails, `onStartError` may exit on its own terms (a config error's
 * one line); otherwise the failure is logged as fatal and the process exits 1.
 */
export function runUntilSignalled(
  name: string,
  started: Promise<{ close(): Promise<void> }>,
  logger: Logger,
  onStartError: (error: unknown) => void,
  options: RunOptions = {},
): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals | 'disconnect'): void => {
    if (stopping) {
      if (signal === 'disconnect') return; // the launcher that signalled us has exited since
      exitNow(1, () => logger.warn({ signal }, 'second signal: exiting now'));
    }
    stopping = true;
    safely(() => logger.info({ signal }, 'shutting down'));
    // A ref'd timer on purpose: it keeps the process alive until it fires or close finishes.
    setTimeout(
      () => exitNow(1, () => logger.error(`${name} did not stop in time: exiting`)),
      options.forceExitMs ?? DEFAULT_FORCE_EXIT_MS,
    );
    started
      .then((app) => app.close())
      .then(
        () => exitNow(0),
        (error: unknown) => exitNow(1, () => logger.error({ err: error }, 'shutdown failed')),
      );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // Started by `npm start` with an IPC channel: if the launcher dies, that channel closes and we
  // stop too, so nothing is left running behind a killed launcher.
  if (process.send) {
    process.channel?.unref();
    process.on('disconnect', () => stop('disconnect'));
  }
  started.catch((error: unknown) => {
    onStartError(error);
    exitNow(1, () => logger.fatal({ err: error }, `${name} failed to start`));
  });
}

/**
 * Exits with `code` after `last` (a last log line). The line is best effort: with the launcher
 * gone, stdout is a broken pipe, and nothing may stand between a stopping process and its exit.
 */
function exitNow(code: number, last?: () => void): never {
  if (last) safely(last);
  process.exit(code);
}

function safely(work: () => void): void {
  try {
    work();
  } catch {
    // see exitNow
  }
}

/** The default response to a fatal condition: one line on stderr and in the log, then exit 1. */
export function exitOnFatal(logger: Logger): (reason: string) => void {
  return (reason) => {
    safely(() => logger.fatal(reason));
    safely(() => process.stderr.write(`switchyard: ${reason}\n`));
    process.exit(1);
  };
}
