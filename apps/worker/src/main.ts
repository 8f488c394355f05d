import {
  ConfigError,
  exitWithConfigError,
  loadSettingsOrExit,
  requireRedisUrl,
} from '@switchyard/config';
import { closeOnSignals, createLogger } from '@switchyard/observability';
import { startWorkerApp } from './worker-app';

const settings = loadSettingsOrExit();
const logger = createLogger('worker', settings.env.LOG_LEVEL);
startWorkerApp({ settings, redisUrl: requireRedisUrl(settings), logger }).then(
  (app) => closeOnSignals(() => app.close(), logger),
  (error: unknown) => {
    if (error instanceof ConfigError) exitWithConfigError(error);
    logger.fatal({ err: error }, 'worker failed to start');
    process.exit(1);
  },
);
