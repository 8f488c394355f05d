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
    METRICS_PORT: 9464,
    SWITCHYARD_ALLOW_REDIS_EVICTION: false,
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
  [{ PORT: 'abc' }, 'PORT: must be a port number'],
  [{ PORT: '70000' }, 'PORT: must be between 1 and 65535'],
  [{ PORT: '80.5' }, 'PORT: must be an integer'],
  [{ REDIS_URL: 'localhost:6379' }, 'REDIS_URL: must be a redis:// or rediss:// URL'],
  [{ OPENAI_BASE_URL: 'api.openai.com' }, 'OPENAI_BASE_URL: must be an http:// or https:// URL'],
  [{ SWITCHYARD_ADMIN_TOKEN: 'short' }, 'SWITCHYARD_ADMIN_TOKEN: must be at least 16 characters'],
  [
    { SWITCHYARD_WEBHOOK_ALLOW_PRIVATE: 'yes' },
    'SWITCHYARD_WEBHOOK_ALLOW_PRIVATE: must be "true" or "false"',
  ],
  [
    { LOG_LEVEL: 'loud' },
    'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent',
  ],
])('%j stops start-up with one line', (env, message) => {
  expect(errorOf(env)).toBe(message);
});

test.each<[NodeJS.ProcessEnv, string]>([
  [{ METRICS_PORT: 'nine' }, 'METRICS_PORT: must be a port number'],
  [{ SWITCHYARD_VIEWER_TOKEN: 'short' }, 'SWITCHYARD_VIEWER_TOKEN: must be at least 16 characters'],
])('%j names the variable', (env, message) => {
  expect(errorOf(env)).toBe(message);
});

test('a bad value is never echoed: it may be a secret', () => {
  const secret = 'hunter2-but-longer';
  for (const env of [
    { REDIS_URL: `http://admin:${secret}@redis:6379` },
    { SWITCHYARD_ADMIN_TOKEN: secret.slice(0, 10) },
    { OPENAI_BASE_URL: `ftp://${secret}` },
  ]) {
    expect(errorOf(env)).not.toContain(secret.slice(0, 10));
  }
});
