import {
  ConfigError,
  exitWithConfigError,
  loadSettingsOrExit,
  requireRedisUrl,
} from '@switchyard/config';
import { closeOnSignals, createLogger } from '@switchyard/observability';
import { startDispatcherApp } from './dispatcher-app';

const settings = loadSettingsOrExit();
const logger = createLogger('webhook-dispatcher', settings.env.LOG_LEVEL);
startDispatcherApp({ settings, redisUrl: requireRedisUrl(settings), logger }).then(
  (app) => closeOnSignals(() => app.close(), logger),
  (error: unknown) => {
    if (error instanceof ConfigError) exitWithConfigError(error);
    logger.fatal({ err: error }, 'webhook dispatcher failed to start');
    process.exit(1);
  },
);
