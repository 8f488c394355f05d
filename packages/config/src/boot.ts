import { ConfigError } from './config-error';
import { loadSettings, type Settings } from './settings';

/**
 * Settings for a process's `main`: on a configuration mistake, prints one line per mistake
 * (`switchyard: PORT: must be …`) and exits 1 instead of a stack trace.
 */
export function loadSettingsOrExit(source: NodeJS.ProcessEnv = process.env): Settings {
  try {
    return loadSettings(source);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    exitWithConfigError(error);
  }
}

/** For a process that failed to start: a configuration mistake exits with its one line. */
export function exitIfConfigError(error: unknown): void {
  if (error instanceof ConfigError) exitWithConfigError(error);
}

export function exitWithConfigError(error: ConfigError): never {
  for (const line of error.message.split('\n')) process.stderr.write(`switchyard: ${line}\n`);
  process.exit(1);
}

/** REDIS_URL for a process that cannot start its own Redis (only `npm start` does that). */
export function requireRedisUrl(settings: Settings): string {
  const url = settings.env.REDIS_URL;
  if (!url) {
    exitWithConfigError(
      new ConfigError('REDIS_URL: required (npm start sets it; otherwise point it at your Redis)'),
    );
  }
  return url;
}
