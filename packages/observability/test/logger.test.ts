import { createLogger, MemoryLines } from '../src';

test('lines are JSON with the service name and an ISO time', () => {
  const sink = new MemoryLines();
  createLogger('api', 'info', sink).info({ port: 8080 }, 'api listening');
  expect(sink.lines).toEqual([
    expect.objectContaining({
      name: 'api',
      msg: 'api listening',
      port: 8080,
      level: 30,
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    }),
  ]);
});

test('secrets are redacted wherever they are logged', () => {
  const sink = new MemoryLines();
  createLogger('api', 'info', sink).info(
    {
      headers: { authorization: 'Bearer sy_live_secret', cookie: 'a=b', 'x-api-key': 'sk-1' },
      apiKey: 'sk-2',
      provider: { apiKey: 'sk-3', apiKeys: ['sk-4'] },
      adminToken: 'admin',
      viewerToken: 'viewer',
      tenant: { secret: 'whsec_1', secrets: ['whsec_2'] },
      redis: { password: 'hunter2' },
    },
    'request',
  );
  expect(sink.lines[0]).toMatchObject({
    headers: { authorization: '[redacted]', cookie: '[redacted]', 'x-api-key': '[redacted]' },
    apiKey: '[redacted]',
    provider: { apiKey: '[redacted]', apiKeys: '[redacted]' },
    adminToken: '[redacted]',
    viewerToken: '[redacted]',
    tenant: { secret: '[redacted]', secrets: '[redacted]' },
    redis: { password: '[redacted]' },
  });
});

test('credential headers of a logged request never reach the line', () => {
  const sink = new MemoryLines();
  createLogger('api', 'info', sink).info(
    { req: { method: 'GET', url: '/', headers: { authorization: 'Bearer sy_live_secret' } } },
    'request',
  );
  expect(sink.lines[0]).toMatchObject({ req: { headers: {} } });
  expect(JSON.stringify(sink.lines[0])).not.toContain('sy_live_secret');
});

test('the level filters', () => {
  const sink = new MemoryLines();
  const logger = createLogger('worker', 'warn', sink);
  logger.info('quiet');
  logger.warn('loud');
  expect(sink.lines.map((line) => line.msg)).toEqual(['loud']);
});
