import { join } from 'node:path';
import { loadSettings } from '@switchyard/config';
import { composeValidator, interpolate } from '../src/compose';
import { APPS, find } from '../src/k8s-tree';
import { parseEnvFile, render } from '../src/kustomize';
import { readRepoFile, REPO } from '../src/repo';
import { readYaml } from '../src/yaml-documents';

/** docker-compose.yml: valid Compose, and the stack docs/OPERATIONS.md describes. */
const raw = readYaml(join(REPO, 'docker-compose.yml'));
const env = { SWITCHYARD_ADMIN_TOKEN: 'a-token-of-24-characters' };
const compose = interpolate(raw, env);
const validate = composeValidator();
const APP_PORTS = { api: 8080, worker: 9464, 'webhook-dispatcher': 9464 } as const;

test('the file is valid against the Compose specification', () => {
  expect(validate(compose)).toEqual([]);
});

test('the schema catches a mistake', () => {
  const broken = structuredClone(compose);
  broken.services.redis.healthcheck.intervall = '5s';
  broken.services.api.stop_grace_period = 'a minute';
  expect(validate(broken)).toEqual([
    '/services/redis/healthcheck must NOT have additional properties',
    '/services/api/stop_grace_period must match format "duration"',
  ]);
});

test('it refuses to start without an admin token, naming it', () => {
  expect(() => interpolate(raw, {})).toThrow(
    'SWITCHYARD_ADMIN_TOKEN: set SWITCHYARD_ADMIN_TOKEN (16+ characters)',
  );
});

test('Redis keeps an AOF on a named volume, never evicts, and is checked', () => {
  const redis = compose.services.redis;
  expect(redis.image).toBe('redis:7');
  expect(redis.command.join(' ')).toBe(
    'redis-server --appendonly yes --appendfsync everysec --maxmemory-policy noeviction',
  );
  expect(redis.volumes).toEqual(['redis-data:/data']);
  expect(Object.keys(compose.volumes)).toEqual(['redis-data']);
  expect(redis.healthcheck.test).toEqual(['CMD', 'redis-cli', 'ping']);
  expect(redis.ports).toBeUndefined();
});

test('each app runs the image by its command once Redis is healthy, and is health-checked', () => {
  for (const [app, port] of Object.entries(APP_PORTS)) {
    const service = compose.services[app];
    expect(service.build).toBe('.');
    expect(service.command).toEqual([app]);
    expect(service.depends_on).toEqual({ redis: { condition: 'service_healthy' } });
    expect(service.environment.REDIS_URL).toBe('redis://redis:6379');
    expect(service.environment.SWITCHYARD_ADMIN_TOKEN).toBe(env.SWITCHYARD_ADMIN_TOKEN);
    expect(service.environment[app === 'api' ? 'PORT' : 'METRICS_PORT']).toBe(String(port));
    expect(service.healthcheck.test).toEqual([
      'CMD',
      'node',
      '/app/deploy/docker/healthcheck.js',
      `http://127.0.0.1:${port}/healthz`,
    ]);
  }
  // Provider keys only where calls are made or models are checked.
  expect(Object.keys(compose.services['webhook-dispatcher'].environment)).not.toContain(
    'OPENAI_API_KEY',
  );
});

test('apps run as the image’s non-root user, read-only and without privileges', () => {
  for (const app of [...Object.keys(APP_PORTS), 'simulator']) {
    const service = compose.services[app];
    expect(service.user).toBeUndefined();
    expect(service.read_only).toBe(true);
    expect(service.cap_drop).toEqual(['ALL']);
    expect(service.security_opt).toEqual(['no-new-privileges:true']);
  }
  expect(readRepoFile('Dockerfile')).toMatch(/^USER node$/m);
});

test('every app mounts the config file its SWITCHYARD_CONFIG names, and the apps accept it', () => {
  for (const app of Object.keys(APP_PORTS)) {
    const service = compose.services[app];
    expect(service.environment.SWITCHYARD_CONFIG).toBe('/etc/switchyard/config.yaml');
    expect(service.volumes).toEqual([
      './deploy/compose/config.yaml:/etc/switchyard/config.yaml:ro',
    ]);
  }
  const settings = loadSettings({
    ...compose.services.worker.environment,
    SWITCHYARD_CONFIG: join(REPO, 'deploy/compose/config.yaml'),
  });
  expect(settings.worker.concurrency).toBe(500);
  expect(settings.env.METRICS_PORT).toBe(9464);
});

test('stop grace periods are the Kubernetes termination grace periods', () => {
  const manifests = render('k8s/base');
  for (const [app, deployment] of Object.entries(APPS)) {
    const seconds = find(manifests, 'Deployment', deployment).spec.template.spec
      .terminationGracePeriodSeconds;
    expect(compose.services[app].stop_grace_period).toBe(`${seconds}s`);
  }
});

test('the simulator runs only under its profile, and simulator.env points the SDKs at it', () => {
  const simulator = compose.services.simulator;
  expect(simulator.profiles).toEqual(['simulator']);
  expect(simulator.command.slice(0, 5)).toEqual([
    'simulator',
    '--host',
    '0.0.0.0',
    '--port',
    '8090',
  ]);
  const urls = parseEnvFile(readRepoFile('deploy/compose/simulator.env'));
  expect(urls).toEqual({
    OPENAI_API_KEY: 'sk-simulator',
    OPENAI_BASE_URL: 'http://simulator:8090/v1',
    ANTHROPIC_API_KEY: 'sk-ant-simulator',
    ANTHROPIC_BASE_URL: 'http://simulator:8090',
  });
  const pointed = interpolate(raw, { ...env, ...urls });
  expect(pointed.services.worker.environment.OPENAI_BASE_URL).toBe('http://simulator:8090/v1');
  expect(pointed.services.api.environment.ANTHROPIC_API_KEY).toBe('sk-ant-simulator');
});
