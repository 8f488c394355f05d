import {
  ConfigError,
  exitIfConfigError,
  exitWithConfigError,
  loadSettingsOrExit,
  requireRedisUrl,
} from '@switchyard/config';
import { createLogger, runUntilSignalled } from '@switchyard/observability';
import { startApiServer } from './api-app';

const settings = loadSettingsOrExit();
const adminToken = settings.env.SWITCHYARD_ADMIN_TOKEN;
if (!adminToken) {
  exitWithConfigError(
    new ConfigError('SWITCHYARD_ADMIN_TOKEN: required by the API (npm start generates one)'),
  );
}
const logger = createLogger('api', settings.env.LOG_LEVEL);
runUntilSignalled(
  'api',
  startApiServer({
    settings,
    redisUrl: requireRedisUrl(settings),
    adminToken,
    viewerToken: settings.env.SWITCHYARD_VIEWER_TOKEN,
    logger,
  }),
  logger,
  exitIfConfigError,
  // Past the app's own drain (see its close) and well inside a Kubernetes grace period.
  { forceExitMs: 25_000 },
);
