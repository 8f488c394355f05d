import {
  ConfigError,
  exitWithConfigError,
  loadSettingsOrExit,
  requireRedisUrl,
} from '@switchyard/config';
import { closeOnSignals, createLogger } from '@switchyard/observability';
import { startApiServer } from './api-app';

const settings = loadSettingsOrExit();
const adminToken = settings.env.SWITCHYARD_ADMIN_TOKEN;
if (!adminToken) {
  exitWithConfigError(
    new ConfigError('SWITCHYARD_ADMIN_TOKEN: required by the API (npm start generates one)'),
  );
}
const logger = createLogger('api', settings.env.LOG_LEVEL);
startApiServer({ settings, redisUrl: requireRedisUrl(settings), adminToken, logger }).then(
  (server) => closeOnSignals(() => server.close(), logger),
  (error: unknown) => {
    if (error instanceof ConfigError) exitWithConfigError(error);
    logger.fatal({ err: error }, 'api failed to start');
    process.exit(1);
  },
);
