import { ConfigError, parseEnv } from '../src';

function errorOf(env: NodeJS.ProcessEnv): string {
  try {
    parseEnv(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

test('defaults when nothing is set', () => {
  expect(parseEnv({})).toEqual({
    PORT: 8080,
    SWITCHYARD_WEBHOOK_ALLOW_PRIVATE: false,
    SWITCHYARD_DATA_DIR: '.switchyard',
    LOG_LEVEL: 'info',
  });
});

test('empty strings count as unset', () => {
  expect(parseEnv({ PORT: '', REDIS_URL: '' }).PORT).toBe(8080);
});

test('values are parsed to their types', () => {
  const env = parseEnv({
    PORT: '9000',
    REDIS_URL: 'redis://localhost:6380/2',
    SWITCHYARD_WEBHOOK_ALLOW_PRIVATE: 'true',
    LOG_LEVEL: 'debug',
    SWITCHYARD_ADMIN_TOKEN: 'a'.repeat(16),
  });
  expect(env).toMatchObject({
    PORT: 9000,
    SWITCHYARD_WEBHOOK_ALLOW_PRIVATE: true,
    LOG_LEVEL: 'debug',
  });
});

test.each<[NodeJS.ProcessEnv, string]>([
  [{ PORT: 'abc' }, 'PORT: must be a port number (got "abc")'],
  [{ PORT: '70000' }, 'PORT: must be between 1 and 65535 (got "70000")'],
  [{ PORT: '80.5' }, 'PORT: must be an integer (got "80.5")'],
  [
    { REDIS_URL: 'localhost:6379' },
    'REDIS_URL: must be a redis:// or rediss:// URL (got "localhost:6379")',
  ],
  [
    { OPENAI_BASE_URL: 'api.openai.com' },
    'OPENAI_BASE_URL: must be an http:// or https:// URL (got "api.openai.com")',
  ],
  [
    { SWITCHYARD_ADMIN_TOKEN: 'short' },
    'SWITCHYARD_ADMIN_TOKEN: must be at least 16 characters (got "short")',
  ],
  [
    { SWITCHYARD_WEBHOOK_ALLOW_PRIVATE: 'yes' },
    'SWITCHYARD_WEBHOOK_ALLOW_PRIVATE: must be "true" or "false" (got "yes")',
  ],
  [
    { LOG_LEVEL: 'loud' },
    'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent (got "loud")',
  ],
])('%j stops start-up with one line', (env, message) => {
  expect(errorOf(env)).toBe(message);
});
