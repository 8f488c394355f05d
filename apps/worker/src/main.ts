import { exitIfConfigError, loadSettingsOrExit, requireRedisUrl } from '@switchyard/config';
import { createLogger, runUntilSignalled } from '@switchyard/observability';
import { startWorkerApp } from './worker-app';

const settings = loadSettingsOrExit();
const logger = createLogger('worker', settings.env.LOG_LEVEL);
runUntilSignalled(
  'worker',
  startWorkerApp({ settings, redisUrl: requireRedisUrl(settings), logger }),
  logger,
  exitIfConfigError,
  // Past the app's own drain (see its close) and well inside a Kubernetes grace period.
  { forceExitMs: settings.worker.shutdownGraceMs + 20_000 },
);
