import { exitIfConfigError, loadSettingsOrExit, requireRedisUrl } from '@switchyard/config';
import { createLogger, runUntilSignalled } from '@switchyard/observability';
import { startDispatcherApp } from './dispatcher-app';

const settings = loadSettingsOrExit();
const logger = createLogger('webhook-dispatcher', settings.env.LOG_LEVEL);
runUntilSignalled(
  'webhook dispatcher',
  startDispatcherApp({ settings, redisUrl: requireRedisUrl(settings), logger }),
  logger,
  exitIfConfigError,
  // Past the app's own drain (see its close) and well inside a Kubernetes grace period.
  { forceExitMs: settings.webhooks.timeoutMs + 15_000 },
);
