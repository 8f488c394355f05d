import { createLogger } from '../src';

function capture(): { lines: Array<Record<string, unknown>>; write(line: string): void } {
  const lines: Array<Record<string, unknown>> = [];
  return { lines, write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) };
}

test('lines are JSON with the service name and an ISO time', () => {
  const sink = capture();
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
  const sink = capture();
  createLogger('api', 'info', sink).info(
    {
      req: { headers: { authorization: 'Bearer sy_live_secret', 'x-api-key': 'sk-secret' } },
      apiKey: 'sk-2',
      provider: { apiKey: 'sk-3' },
      adminToken: 'admin',
    },
    'request',
  );
  expect(sink.lines[0]).toMatchObject({
    req: { headers: { authorization: '[redacted]', 'x-api-key': '[redacted]' } },
    apiKey: '[redacted]',
    provider: { apiKey: '[redacted]' },
    adminToken: '[redacted]',
  });
});

test('the level filters', () => {
  const sink = capture();
  const logger = createLogger('worker', 'warn', sink);
  logger.info('quiet');
  logger.warn('loud');
  expect(sink.lines.map((line) => line.msg)).toEqual(['loud']);
});
