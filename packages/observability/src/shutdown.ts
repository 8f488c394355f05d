import type { Logger } from 'pino';

/**
 * The end of every process's `main`: once `started` resolves, its `close` runs on a signal (see
 * closeOnSignals); if it fails to start, `onStartError` may exit on its own terms (a config
 * error's one line), otherwise the failure is logged as fatal and the process exits 1.
 */
export function runUntilSignalled(
  name: string,
  started: Promise<{ close(): Promise<void> }>,
  logger: Logger,
  onStartError: (error: unknown) => void,
): void {
  started.then(
    (app) => closeOnSignals(() => app.close(), logger),
    (error: unknown) => {
      onStartError(error);
      logger.fatal({ err: error }, `${name} failed to start`);
      process.exit(1);
    },
  );
}

/**
 * Runs `close` once on SIGINT or SIGTERM (or when the launching parent goes away) and exits 0
 * when it is done; a second signal exits at once (the operator means it).
 */
export function closeOnSignals(close: () => Promise<void>, logger: Logger): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (closing) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    closing = true;
    logger.info({ signal }, 'shutting down');
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // Started by `npm start` with an IPC channel: if the launcher dies, that channel closes and
  // we stop too, so nothing is left running behind a killed launcher.
  if (process.send) {
    process.channel?.unref();
    process.on('disconnect', () => onSignal('SIGTERM'));
  }
}

/** The default response to a fatal condition: one line on stderr and in the log, then exit 1. */
export function exitOnFatal(logger: Logger): (reason: string) => void {
  return (reason) => {
    logger.fatal(reason);
    process.stderr.write(`switchyard: ${reason}\n`);
    process.exit(1);
  };
}
